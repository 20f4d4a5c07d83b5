"""A Python-Markdown extension: the generator's raw HTML blocks pass through unparsed.

Python-Markdown reads every character of a raw HTML block with its HTML parser (pure
Python) before it passes the block through untouched; on a large fact base the fact
cards and archived texts are most of every page, and that parse is most of an engine's
time. This extension finds the generator's blocks with :func:`generator.site.rawhtml.lift`
(a regular expression, balanced tags) before the HTML parser runs and stores each one in
Python-Markdown's own stash of raw HTML, which puts it back, unchanged, into the page.

It is what ``factsheet export`` lists in ``markdown_extensions`` (as
``generator.site.rawblocks``), so that any engine that converts pages with Python-Markdown
(MkDocs, ProperDocs, Zensical) builds the exported pages without that parse, and without
the factsheet plugin. A block the expression does not recognise is left to the parser.
The MkDocs plugin does the same with its own events (``raw_html_bypasses_markdown``).

The export writes each block it found wrapped in an HTML comment of its own
(:func:`wrap`): before converting a page, Zensical scans its Markdown for links in pure
Python, byte by byte, and skips a comment in one step. This extension takes the blocks
out of their comments (without it, the blocks would stay hidden in them: the export
writes them bare when it does not list the extension).
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from generator.site.rawhtml import lift

_OPEN, _CLOSE = "<!--fs-raw\n", "\n-->"
_WRAPPED = re.compile(r"^<!--fs-raw\n(.*?)\n-->$", re.M | re.S)


def wrap(markdown: str) -> str:
    """The page with each of the generator's raw HTML blocks in a comment of its own."""
    lifted = lift(markdown)
    text = lifted.markdown
    for key, block in lifted.blocks.items():
        if "-->" in block:  # it would end the comment: left as it is
            text = text.replace(key, block, 1)
        else:
            text = text.replace(key, _OPEN + block + _CLOSE, 1)
    return text


class RawBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if _OPEN in text:
            text = _WRAPPED.sub(lambda m: self._stash(m.group(1)), text)
        lifted = lift(text)
        for key, block in lifted.blocks.items():
            lifted.markdown = lifted.markdown.replace(key, self._stash(block), 1)
        return lifted.markdown.split("\n")

    def _stash(self, block: str) -> str:
        # alone in a paragraph of its own: the stash puts a block-level element back in
        # place of the paragraph, not inside it
        return "\n" + self.md.htmlStash.store(block) + "\n"


class RawBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after whitespace normalisation (30), before MkDocs' anchor scan (21) and the
        # HTML block parser (20)
        md.preprocessors.register(RawBlocks(md), "factsheet_raw_blocks", 25)


def makeExtension(**kwargs: object) -> RawBlocksExtension:
    return RawBlocksExtension(**kwargs)

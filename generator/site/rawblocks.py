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
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from generator.site.rawhtml import lift


class RawBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        lifted = lift("\n".join(lines))
        if not lifted.blocks:
            return lines
        text = lifted.markdown
        for key, block in lifted.blocks.items():
            # alone in a paragraph of its own: the stash puts a block-level element back
            # in place of the paragraph, not inside it
            text = text.replace(key, "\n" + self.md.htmlStash.store(block) + "\n", 1)
        return text.split("\n")


class RawBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after whitespace normalisation (30), before MkDocs' anchor scan (21) and the
        # HTML block parser (20)
        md.preprocessors.register(RawBlocks(md), "factsheet_raw_blocks", 25)


def makeExtension(**kwargs: object) -> RawBlocksExtension:
    return RawBlocksExtension(**kwargs)

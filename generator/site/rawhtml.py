"""Set the generator's raw HTML blocks aside while Python-Markdown converts a page.

Markdown passes a raw HTML block through untouched, but Python-Markdown (and
MkDocs, which scans it again for anchors) still reads every character of it
with an HTML parser; on a 10,000-fact site the fact cards and archived texts
are most of the input. :func:`lift` replaces each of the generator's top-level
blocks (an element at the start of a line whose class begins ``fs-``, up to its
closing tag alone on a line, balanced; a JSON-LD script whole on its line) with a
one-line placeholder that Markdown also passes through, and :func:`restore` puts
the blocks back into the HTML. The result is the same page, byte for byte
(tested), and the ids inside the blocks are returned so that MkDocs can still
validate links to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPEN = re.compile(
    r'^<(article|div|dl|figure|ol|table|section|ul)\b[^>\n]*\bclass="fs-[^"\n]*"[^>\n]*>'
    r'|^<script type="application/ld\+json">[^\n]*</script>$',
    re.M,
)
_ID = re.compile(r'\bid="([^"<>]*)"')
_NAME = re.compile(r'<a\b[^>]*\bname="([^"<>]*)"')


@dataclass
class Lifted:
    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)
    """Placeholder -> the block it stands for."""

    @property
    def anchors(self) -> set[str]:
        found: set[str] = set()
        for block in self.blocks.values():
            found.update(_ID.findall(block))
            found.update(_NAME.findall(block))
        return found


def lift(markdown: str) -> Lifted:
    parts: list[str] = []
    blocks: dict[str, str] = {}
    pos = 0
    for match in _OPEN.finditer(markdown):
        if match.start() < pos:
            continue  # inside a block already lifted
        tag = match.group(1)
        if tag is None:  # a JSON-LD script, whole on its line
            if (
                markdown.count("</script", match.start(), match.end()) != 1
                or markdown[match.end() : match.end() + 1] != "\n"
            ):
                continue
            block = match.group()
            end = match.end() + 1
        else:
            closing = f"\n</{tag}>\n"
            end = markdown.find(closing, match.end())
            if end == -1:
                continue
            end += len(closing)
            block = markdown[match.start() : end - 1]
            opened = len(re.findall(rf"<{tag}\b", block))
            if opened != block.count(f"</{tag}>"):
                continue
        key = f'<div class="fs-lifted" data-fs-block="{len(blocks)}"></div>'
        blocks[key] = block
        parts.append(markdown[pos : match.start()])
        parts.append(key + "\n")
        pos = end
    parts.append(markdown[pos:])
    return Lifted("".join(parts), blocks)


_PLACEHOLDER = re.compile(r'<div class="fs-lifted" data-fs-block="\d+"></div>')


def restore(html: str, lifted: Lifted) -> str:
    """Put each block back at its placeholder (its first occurrence), in one pass."""
    blocks = dict(lifted.blocks)

    def put(match: re.Match[str]) -> str:
        return blocks.pop(match.group(), match.group())

    return _PLACEHOLDER.sub(put, html)

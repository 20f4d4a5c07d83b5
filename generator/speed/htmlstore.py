"""Pages' HTML kept in a temporary file, not in memory, between MkDocs' two page loops.

MkDocs converts every page's Markdown first and renders the theme around each page
afterwards, so a build holds the HTML of every page at once. In a build, the plugin puts
each fact page's HTML here once MkDocs has converted it (``on_page_content``), leaves an
empty string in its place, and takes it back just before the theme renders the page
(``on_page_context``); after the page is written (``on_post_page``) it lets it go. The
text comes back exactly as it went in (UTF-8 with ``surrogatepass``, so even a lone
surrogate survives).
"""

from __future__ import annotations

import tempfile


class HtmlStore:
    """HTML by page, appended to one anonymous temporary file."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="factsheet-html-")  # noqa: SIM115 (close())
        self._end = 0
        self._where: dict[str, tuple[int, int]] = {}

    def __contains__(self, uri: str) -> bool:
        return uri in self._where

    def __len__(self) -> int:
        return len(self._where)

    def put(self, uri: str, html: str) -> None:
        data = html.encode("utf-8", "surrogatepass")
        self._file.seek(self._end)
        self._file.write(data)
        self._where[uri] = (self._end, len(data))
        self._end += len(data)

    def take(self, uri: str) -> str:
        """The page's HTML (it stays stored: a page may be rendered twice)."""
        offset, size = self._where[uri]
        self._file.seek(offset)
        return self._file.read(size).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()
        self._where.clear()

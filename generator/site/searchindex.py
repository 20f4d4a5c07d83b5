"""Material's ``search/search_index.json``, with the generator's entries added.

Material's search plugin writes the index of the pages it parsed itself; the fact and
source pages are not among them (the generator describes their sections from the model,
:mod:`generator.render.search`, and marks them ``search: exclude``). :class:`SearchIndex`
appends those entries, escaped as Material escapes page text and segmented with jieba
as Material segments Chinese.

While serving, it keeps each entry's JSON text and Material's own part of the index, so
that the preview's fast path (:mod:`generator.site.preview`) writes the index again without
MkDocs, and without encoding the thousands of entries that did not change.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

from generator.render.pages import RenderedSite
from generator.render.search import SearchEntry
from generator.site.preview import write_whole

INDEX = Path("search") / "search_index.json"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")


def segment(text: str) -> str:
    """Chinese words separated by U+200B, as Material's search does with jieba."""
    jieba = sys.modules.get("jieba")
    if jieba is None or not _HAN.search(text):
        return text

    def cut(match: re.Match[str]) -> str:
        return "\u200b" + "\u200b".join(jieba.cut(match.group())) + "\u200b"

    return _HAN.sub(cut, text).strip("\u200b")


def _dumps(data: Any) -> bytes:
    """Compact JSON, ASCII as Material writes it, as bytes (the index is one join of them)."""
    return json.dumps(data, separators=(",", ":")).encode("ascii")


class SearchIndex:
    """Writes the index: Material's entries, then the generator's.

    ``keep`` (the preview) remembers each entry's JSON, by entry, and Material's part.
    """

    def __init__(self, *, keep: bool = False) -> None:
        self.keep = keep
        self.entries: dict[int, tuple[SearchEntry, str, bytes]] = {}
        """id(entry) -> (entry, its URL, its JSON)."""
        self.material: list[tuple[str, bytes]] | None = None
        """Material's index as (key, JSON) pairs, "docs" holding the joined entries."""

    def after_build(self, site_dir: Path, site: RenderedSite, files: Files) -> None:
        """Add the entries to the index Material has just written (if search is enabled)."""
        path = site_dir / INDEX
        if not path.is_file():
            self.material = None
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        material = [
            (key, b",".join(_dumps(d) for d in value) if key == "docs" else _dumps(value))
            for key, value in data.items()
        ]
        self.material = material if self.keep else None
        self._write(path, material, site, files)

    def again(self, site_dir: Path, site: RenderedSite, files: Files) -> bool:
        """Write the index again from the kept Material part; False if there is none."""
        if self.material is None:
            return False
        self._write(site_dir / INDEX, self.material, site, files)
        return True

    def _write(
        self, path: Path, material: list[tuple[str, bytes]], site: RenderedSite, files: Files
    ) -> None:
        urls = {f.src_uri: f.url for f in files.documentation_pages()}
        ours: list[bytes] = []
        kept: dict[int, tuple[SearchEntry, str, bytes]] = {}
        for entry in site.search:
            url = urls.get(entry.page)
            if url is None:
                continue
            hit = self.entries.get(id(entry))
            if hit is None or hit[0] is not entry or hit[1] != url:
                doc = {
                    "location": f"{url}#{entry.anchor}" if entry.anchor else url,
                    "title": segment(html.escape(entry.title, quote=False)),
                    "text": segment(html.escape(entry.text, quote=False)),
                }
                hit = (entry, url, _dumps(doc))
            kept[id(entry)] = hit
            ours.append(hit[2])
        if self.keep:
            self.entries = kept
        parts = [b"{"]
        for key, text in material:
            if len(parts) > 1:
                parts.append(b",")
            parts.append(_dumps(key) + b":")
            if key == "docs":
                parts.extend((b"[", b",".join(t for t in (text, *ours) if t), b"]"))
            else:
                parts.append(text)
        parts.append(b"}")
        write_whole(b"".join(parts), path)

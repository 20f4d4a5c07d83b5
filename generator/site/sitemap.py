"""A sitemap too large for one file becomes an index of several (sitemaps.org).

MkDocs writes one ``sitemap.xml`` (and ``sitemap.xml.gz``) listing every page, but the
protocol allows at most :data:`MAX_URLS` URLs and :data:`MAX_BYTES` uncompressed per file,
and search engines reject a larger one: a site of 100,000 facts has over 110,000 pages.
After the build (the plugin's ``on_post_build``), :func:`split_site` then writes the
``<url>`` entries, byte for byte as MkDocs wrote them and in its order, into
``sitemap-1.xml``, ``sitemap-2.xml``, ... and makes ``sitemap.xml`` a ``<sitemapindex>``
naming them by absolute URL, with a ``.gz`` of each when MkDocs wrote ``sitemap.xml.gz``.
Below both limits nothing is touched.

A sitemap index must name its sitemaps by absolute URL, so without ``site_url`` nothing is
split (MkDocs then lists no page anyway, as pages have no absolute URL).
"""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

MAX_URLS = 50_000
"""The most URLs one sitemap file may list (sitemaps.org)."""

MAX_BYTES = 50 * 1024 * 1024
"""The largest one sitemap file may be, uncompressed (sitemaps.org: 52,428,800 bytes)."""

SITEMAP = "sitemap.xml"
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_URL_ENTRY = re.compile(rb"\s*<url>.*?</url>", re.DOTALL)


class SitemapError(Exception):
    """The sitemap is not one this module can split without changing its entries."""


def part_name(number: int) -> str:
    """The file name of the ``number``-th sitemap (from 1): ``sitemap-1.xml``."""
    return f"sitemap-{number}.xml"


def split_sitemap(xml: bytes, site_url: str | None) -> dict[str, bytes] | None:
    """The files to write in place of a ``sitemap.xml`` over the limits, by name.

    ``sitemap.xml`` becomes the index (the last file), naming the parts in order; each
    part keeps MkDocs' head (XML declaration, ``<urlset>`` with its namespaces) and tail,
    and its share of the ``<url>`` entries unchanged. None when the sitemap is within
    :data:`MAX_URLS` and :data:`MAX_BYTES`, is not a ``<urlset>`` (already an index), or
    ``site_url`` is not set.
    The limits are read when called, so that tests can lower them.
    """
    max_urls, max_bytes = MAX_URLS, MAX_BYTES
    if site_url is None or (len(xml) <= max_bytes and xml.count(b"<url>") <= max_urls):
        return None
    root = ET.fromstring(xml)
    if root.tag != f"{{{_NS}}}urlset":
        return None
    urls = root.findall(f"{{{_NS}}}url")
    entries = list(_URL_ENTRY.finditer(xml))
    if len(entries) != len(urls):
        raise SitemapError(
            f"{SITEMAP} has {len(urls)} <url> elements but {len(entries)} '<url>...</url>' "
            "entries in its text; it cannot be split without rewriting them"
        )
    if len(urls) <= max_urls and len(xml) <= max_bytes:
        return None
    head, tail = xml[: entries[0].start()], xml[entries[-1].end() :]
    files: dict[str, bytes] = {}
    index: list[tuple[str, str | None]] = []
    start = 0
    while start < len(entries):
        size, end = len(head) + len(tail), start
        while end < len(entries) and end - start < max_urls:
            grown = size + entries[end].end() - entries[end].start()
            if grown > max_bytes and end > start:
                break
            size, end = grown, end + 1
        name = part_name(len(index) + 1)
        files[name] = head + b"".join(m.group() for m in entries[start:end]) + tail
        dates = [d for u in urls[start:end] if (d := u.findtext(f"{{{_NS}}}lastmod"))]
        index.append((name, max(dates, default=None)))
        start = end
    base = site_url if site_url.endswith("/") else site_url + "/"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<sitemapindex xmlns="{_NS}">',
    ]
    for name, lastmod in index:
        lines += ["    <sitemap>", f"         <loc>{escape(base + name)}</loc>"]
        if lastmod is not None:
            lines.append(f"         <lastmod>{escape(lastmod.strip())}</lastmod>")
        lines.append("    </sitemap>")
    lines.append("</sitemapindex>\n")
    return {**files, SITEMAP: "\n".join(lines).encode("utf-8")}  # the index last


def gzipped(data: bytes, name: str, mtime: int) -> bytes:
    """``data`` compressed as MkDocs compresses the sitemap (``name`` in the header)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, filename=name, mode="wb", mtime=mtime) as gz:
        gz.write(data)
    return out.getvalue()


def split_site(site_dir: Path, site_url: str | None) -> list[str]:
    """Split the built site's ``sitemap.xml`` if it is over the limits (see the module).

    The ``.gz`` files, written when MkDocs wrote ``sitemap.xml.gz``, carry its date.
    Returns the names of the files written (none: the sitemap was left as it was).
    """
    path = site_dir / SITEMAP
    if not path.is_file():
        return []
    files = split_sitemap(path.read_bytes(), site_url)
    if files is None:
        return []
    compressed = site_dir / f"{SITEMAP}.gz"
    mtime = None
    if compressed.is_file():
        with open(compressed, "rb") as old:
            mtime = int.from_bytes(old.read(10)[4:8], "little")
    written = []
    for name, data in files.items():
        (site_dir / name).write_bytes(data)
        written.append(name)
        if mtime is not None:
            (site_dir / f"{name}.gz").write_bytes(gzipped(data, f"{name}.gz", mtime))
            written.append(f"{name}.gz")
    return written

"""A sitemap over the protocol's limits is split into several under a sitemap index.

The pure function (:func:`generator.site.sitemap.split_sitemap`) is tested on sitemaps
written as MkDocs writes them; the build, with the limit lowered, on the bundled site,
against the single sitemap the same build writes at the normal limit.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.site import sitemap
from generator.site.sitemap import SitemapError, split_site, split_sitemap

from .conftest import Run
from .test_atomic_build import snapshot

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://example.org/fact&sheets/"


def mkdocs_sitemap(entries: list[tuple[str, str | None]]) -> bytes:
    """A sitemap laid out as MkDocs' ``sitemap.xml`` template writes it."""
    text = '<?xml version="1.0" encoding="UTF-8"?>\n'
    text += '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    for loc, lastmod in entries:
        text += f"\n    <url>\n         <loc>{loc.replace('&', '&amp;')}</loc>\n         "
        if lastmod is not None:
            text += f"<lastmod>{lastmod}</lastmod>"
        text += "\n    </url>"
    return (text + "\n</urlset>").encode("utf-8")


def entries_of(xml: bytes) -> list[tuple[str | None, str | None]]:
    root = ET.fromstring(xml)
    assert root.tag == f"{NS}urlset"
    return [(u.findtext(f"{NS}loc"), u.findtext(f"{NS}lastmod")) for u in root.iter(f"{NS}url")]


def index_of(xml: bytes) -> list[tuple[str | None, str | None]]:
    root = ET.fromstring(xml)
    assert root.tag == f"{NS}sitemapindex"
    return [(s.findtext(f"{NS}loc"), s.findtext(f"{NS}lastmod")) for s in root.iter(f"{NS}sitemap")]


def pages(count: int) -> list[tuple[str, str | None]]:
    """Pages with distinct dates (every fifth without one), not in date order."""
    return [
        (
            f"{SITE_URL}sheets/s/facts/f{n}/",
            None if n % 5 == 4 else f"2024-{1 + n % 12:02}-{1 + n % 28:02}",
        )
        for n in range(count)
    ]


def test_within_the_limit_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 4)
    assert split_sitemap(mkdocs_sitemap(pages(4)), SITE_URL) is None
    assert split_sitemap(mkdocs_sitemap([]), SITE_URL) is None
    assert split_sitemap(mkdocs_sitemap(pages(5)), SITE_URL) is not None


def test_the_urls_are_split_at_the_limit_under_an_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 3)
    original = mkdocs_sitemap(pages(8))
    files = split_sitemap(original, SITE_URL)
    assert files is not None
    assert list(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = index_of(files["sitemap.xml"])
    assert [loc for loc, _ in index] == [
        f"{SITE_URL}sitemap-{n}.xml" for n in (1, 2, 3)
    ]  # absolute, the & escaped in the XML and read back
    parts = [entries_of(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(p) for p in parts] == [3, 3, 2]
    # every URL exactly once, in MkDocs' order, with its lastmod (or none)
    assert [e for part in parts for e in part] == entries_of(original) == pages(8)
    # each part's lastmod in the index: the newest of its pages
    assert [lastmod for _, lastmod in index] == [
        max(d for _, d in part if d is not None) for part in parts
    ]
    # the parts keep MkDocs' bytes: its head and tail, its entries as written
    head, _, _ = original.partition(b"\n    <url>")
    for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        assert files[name].startswith(head + b"\n    <url>")
        assert files[name].endswith(b"</url>\n</urlset>")
    body = b"".join(files[f"sitemap-{n}.xml"][len(head) : -len(b"\n</urlset>")] for n in (1, 2, 3))
    assert head + body + b"\n</urlset>" == original


def test_no_lastmod_in_the_index_for_a_part_without_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    files = split_sitemap(
        mkdocs_sitemap(
            [
                ("https://e.org/a/", None),
                ("https://e.org/b/", None),
                ("https://e.org/c/", "2024-05-06"),
            ]
        ),
        "https://e.org",  # without the final slash, as a caller might give it
    )
    assert files is not None
    assert index_of(files["sitemap.xml"]) == [
        ("https://e.org/sitemap-1.xml", None),
        ("https://e.org/sitemap-2.xml", "2024-05-06"),
    ]


def test_the_size_limit_splits_too(monkeypatch: pytest.MonkeyPatch) -> None:
    original = mkdocs_sitemap(pages(40))
    monkeypatch.setattr(sitemap, "MAX_BYTES", len(original) // 3)
    files = split_sitemap(original, SITE_URL)
    assert files is not None
    parts = [data for name, data in files.items() if name != "sitemap.xml"]
    assert len(parts) >= 3
    assert all(len(data) <= len(original) // 3 for data in parts)
    assert [e for data in parts for e in entries_of(data)] == entries_of(original)
    assert len(index_of(files["sitemap.xml"])) == len(parts)


def test_nothing_is_split_without_site_url_or_when_already_an_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    assert split_sitemap(mkdocs_sitemap(pages(5)), None) is None
    files = split_sitemap(mkdocs_sitemap(pages(5)), SITE_URL)
    assert files is not None
    assert split_sitemap(files["sitemap.xml"], SITE_URL) is None


def test_entries_it_cannot_cut_out_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 1)
    xml = mkdocs_sitemap(pages(2)).replace(b"<url>", b"<!-- <url>old</url> --><url>", 1)
    with pytest.raises(SitemapError, match="cannot be split"):
        split_sitemap(xml, SITE_URL)


def test_split_site_writes_gz_files_with_mkdocs_date(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    original = mkdocs_sitemap(pages(5))
    (tmp_path / "sitemap.xml").write_bytes(original)
    (tmp_path / "sitemap.xml.gz").write_bytes(
        sitemap.gzipped(original, "sitemap.xml.gz", 1700000000)
    )
    assert split_site(tmp_path, SITE_URL) == []  # within the limit: untouched
    assert (tmp_path / "sitemap.xml").read_bytes() == original
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    written = split_site(tmp_path, SITE_URL)
    assert sorted(written) == sorted(
        f"{name}{gz}"
        for name in ("sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml")
        for gz in ("", ".gz")
    )
    for name in ("sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        compressed = (tmp_path / f"{name}.gz").read_bytes()
        assert gzip.decompress(compressed) == (tmp_path / name).read_bytes()
        assert int.from_bytes(compressed[4:8], "little") == 1700000000
        # the name in the header after its 10 fixed bytes, as in MkDocs' file
        assert compressed[10 : 11 + len(name)] == f"{name}\0".encode()
    # without sitemap.xml.gz, no .gz is written
    for path in tmp_path.iterdir():
        path.unlink()
    (tmp_path / "sitemap.xml").write_bytes(original)
    assert ".gz" not in "".join(split_site(tmp_path, SITE_URL))
    assert not list(tmp_path.glob("*.gz"))


# --- the build ----------------------------------------------------------------------


def _with_site_url(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_name:", f"site_url: {SITE_URL}\nsite_name:", 1), "utf-8")


def _build(cli: Callable[..., Run], project: Path, site: str) -> Path:
    run = cli("build", "--site-dir", site, cwd=project)
    assert run.code == 0, run.err
    return project / site


def _parts(site: Path) -> list[Path]:
    return sorted(site.glob("sitemap-*.xml"), key=lambda p: int(p.stem.split("-")[1]))


def test_the_build_splits_a_sitemap_over_the_limit(
    cli: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_site_url(project)
    whole = _build(cli, project, "whole")
    assert not _parts(whole)
    single = (whole / "sitemap.xml").read_bytes()
    expected = entries_of(single)
    assert len(expected) > 25
    assert gzip.decompress((whole / "sitemap.xml.gz").read_bytes()) == single

    monkeypatch.setattr(sitemap, "MAX_URLS", 10)
    site = _build(cli, project, "split")
    parts = _parts(site)
    assert [p.name for p in parts] == [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert len(parts) == -(-len(expected) // 10)
    index = index_of((site / "sitemap.xml").read_bytes())
    assert [loc for loc, _ in index] == [SITE_URL + p.name for p in parts]
    found = [e for p in parts for e in entries_of(p.read_bytes())]
    assert found == expected  # every page once, in order, with the date MkDocs wrote
    assert all(len(entries_of(p.read_bytes())) <= 10 for p in parts)
    mtime = (whole / "sitemap.xml.gz").read_bytes()[4:8]
    for path in [site / "sitemap.xml", *parts]:
        compressed = path.with_name(path.name + ".gz").read_bytes()
        assert gzip.decompress(compressed) == path.read_bytes()
        assert compressed[4:8] == mtime
    assert (
        (site / "robots.txt")
        .read_text(encoding="utf-8")
        .endswith(f"Sitemap: {SITE_URL}sitemap.xml\n")
    )
    # everything else is the site built at the normal limit
    same = {k: v for k, v in snapshot(site).items() if not k.startswith("sitemap")}
    assert same == {k: v for k, v in snapshot(whole).items() if not k.startswith("sitemap")}

    # the speed layer off writes the same files
    monkeypatch.setenv("FACTSHEET_SPEED", "off")
    off = _build(cli, project, "off")
    assert snapshot(off) == snapshot(site)


def test_without_site_url_the_sitemap_stays_one_file(
    cli: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 0)
    site = _build(cli, project, "site")
    assert not _parts(site)
    assert entries_of((site / "sitemap.xml").read_bytes()) == []  # MkDocs lists no page
    assert (site / "sitemap.xml.gz").is_file()

"""Publishing: site_url makes every output's URLs absolute; fact pages; robots.txt; facts.csv.

One copy of the bundled project is built with ``site_url`` set, from a git history of two
commits with known dates (the second changes one fact and one source), so that the
sitemap's dates can be checked against the history; another is built without
``site_url``, where every output keeps its relative URLs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, SHEET_DIR
from .test_atomic_build import snapshot
from .test_roundtrip import parse, read_csv_rows, read_jsonld

pytestmark = pytest.mark.slow

SITE_URL = "https://example.org/factsheets/"
SHEET = "china-self-media-2023"
SHEET_URL = f"{SITE_URL}sheets/{SHEET}/"
EDITED_FACT = "investigation"
EDITED_SOURCE = "rewrite-2023-05-28-self-media"
FIRST, SECOND = "2024-01-02", "2024-03-04"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Published:
    root: Path
    site: Path
    run: subprocess.CompletedProcess[str]


def _copy(dest: Path, site_url: str | None) -> None:
    dest.mkdir(parents=True)
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if site_url is not None:
        config = config.replace("site_name:", f"site_url: {site_url}\nsite_name:", 1)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")


def _commit(root: Path, date: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00Z",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00Z",
    }
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    if not (root / ".git").exists():
        subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def _build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The bundled project with site_url, two commits: the second edits a fact and a source."""
    root = tmp_path_factory.mktemp("publish") / "project"
    _copy(root, SITE_URL)
    _commit(root, FIRST, "content")
    facts = root / SHEET_DIR / "facts/1-campaign.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("    note: >-\n", "    note: >-\n      Edited.\n", 1))
    source = root / f"content/sources/{EDITED_SOURCE}.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "# checked again\n")
    _commit(root, SECOND, "a note on the investigation")
    run = _build(root)
    assert run.returncode == 0, run.stderr
    return Published(root, root / "site", run)


@pytest.fixture(scope="module")
def relative(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The bundled project without site_url (and without git history)."""
    root = tmp_path_factory.mktemp("relative") / "project"
    _copy(root, None)
    run = _build(root)
    assert run.returncode == 0, run.stderr
    return Published(root, root / "site", run)


def _local(site: Path, url: str) -> Path:
    """The built file an absolute URL of the site stands for."""
    assert url.startswith(SITE_URL), url
    path = url[len(SITE_URL) :].split("#", 1)[0]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def _facts_json(site: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((site / "facts.json").read_text(encoding="utf-8"))
    return data


def test_build_warns_without_site_url_and_not_with_it(
    published: Published, relative: Published
) -> None:
    warnings = [line for line in relative.run.stderr.splitlines() if "site_url" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: mkdocs.yml has no site_url")
    assert "site_url" not in published.run.stderr


def test_publish_mode_without_site_url_fails_and_leaves_the_site(relative: Published) -> None:
    before = snapshot(relative.site)
    run = _build(relative.root, "--publish")
    assert run.returncode == 1
    assert "site_url is required to publish" in run.stderr
    assert "mkdocs.yml:1:1: error:" in run.stderr
    assert snapshot(relative.site) == before
    config = relative.root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(
            original.replace("  - factsheet\n", "  - factsheet:\n      publish: true\n")
        )
        run = _build(relative.root)
        assert run.returncode == 1 and "site_url is required to publish" in run.stderr
        assert snapshot(relative.site) == before
    finally:
        config.write_text(original)


def test_downloads_carry_each_facts_permalink(published: Published) -> None:
    site = published.site
    data = _facts_json(site)
    facts = data["facts"]
    assert isinstance(facts, list) and facts
    for fact in facts:
        assert fact["url"] == f"{SHEET_URL}facts/{fact['id']}/"
        page = _local(site, fact["url"])
        assert page.is_file(), page
    for kind, key in (("sheets", "url"), ("sources", "page_url")):
        for record in data[kind]:  # type: ignore[attr-defined]
            assert record[key].startswith(SITE_URL) and _local(site, record[key]).is_file()
    for record in data["sources"]:  # type: ignore[attr-defined]
        written = yaml.safe_load((ROOT / f"content/sources/{record['id']}.yaml").read_text())
        assert record["url"] == written.get("url")  # the original's address, untouched
    rows = read_csv_rows(site / "facts.csv")
    assert {r["id"]: r["url"] for r in rows} == {f["id"]: f["url"] for f in facts}
    sheet_rows = read_csv_rows(site / f"sheets/{SHEET}/facts.csv")
    assert all(r["url"].startswith(SHEET_URL) for r in sheet_rows)


def test_without_site_url_urls_stay_relative(relative: Published) -> None:
    site = relative.site
    for fact in _facts_json(site)["facts"]:  # type: ignore[attr-defined]
        assert fact["url"] == f"sheets/{SHEET}/facts/{fact['id']}/"
        assert (site / fact["url"] / "index.html").is_file()
    nodes = read_jsonld(site / f"sheets/{SHEET}/index.html")
    assert nodes and all(n["url"] == f"#{fid}" for fid, n in nodes.items())
    feed = ET.parse(site / "corrections.xml").getroot()
    assert all(
        not link.attrib["href"].startswith(("http:", "https:", "/"))
        for link in feed.iter(f"{ATOM}link")
    )
    assert (site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    page = (site / f"sheets/{SHEET}/index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page and 'property="og:url"' not in page
    assert 'property="og:title"' in page


def test_jsonld_ids_are_absolute(published: Published) -> None:
    page = published.site / f"sheets/{SHEET}/index.html"
    nodes = read_jsonld(page, SHEET_URL)
    assert EDITED_FACT in nodes
    for fid, node in nodes.items():
        assert node["@id"] == f"{SHEET_URL}#{fid}"
        assert node["url"] == f"{SHEET_URL}facts/{fid}/"


def test_feeds_link_absolutely(published: Published) -> None:
    for path in ("corrections.xml", f"sheets/{SHEET}/corrections.xml"):
        feed = ET.parse(published.site / path).getroot()
        links = [link.attrib["href"] for link in feed.iter(f"{ATOM}link")]
        assert links and all(href.startswith(SITE_URL) for href in links), links
        assert f"{SITE_URL}{path}" in links
        for href in links:
            assert _local(published.site, href).is_file(), href


def test_sitemap_lists_every_page_with_its_last_change(published: Published) -> None:
    site = published.site
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.iter(f"{SITEMAP}url")
    }
    pages = {
        SITE_URL + str(p.parent.relative_to(site)).removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if p.parent != site / "search"
    }
    pages = {p.replace(f"{SITE_URL}/", SITE_URL) for p in pages}
    assert set(entries) == pages
    assert entries[SHEET_URL] == SECOND  # the sheet's facts changed in the second commit
    assert entries[f"{SHEET_URL}facts/{EDITED_FACT}/"] == SECOND
    assert entries[f"{SHEET_URL}facts/platforms/"] == FIRST
    assert entries[f"{SITE_URL}sources/{EDITED_SOURCE}/"] == SECOND
    assert entries[f"{SITE_URL}sources/reuters-2023-self-media/"] == FIRST
    assert entries[SITE_URL] == SECOND


def test_robots_txt_points_at_the_sitemap(published: Published) -> None:
    robots = (published.site / "robots.txt").read_text(encoding="utf-8")
    assert robots.splitlines() == ["User-agent: *", "Allow: /", f"Sitemap: {SITE_URL}sitemap.xml"]


def _meta(page: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in parse(page).find("meta"):
        key = node.attrs.get("property") or node.attrs.get("name")
        if key and (key.startswith(("og:", "twitter:"))):
            found[key] = node.attrs.get("content") or ""
    for node in parse(page).find("link"):
        if node.attrs.get("rel") == "canonical":
            found["canonical"] = node.attrs.get("href") or ""
    return found


def test_fact_page_has_card_citations_and_share_tags(published: Published) -> None:
    url = f"{SHEET_URL}facts/{EDITED_FACT}/"
    page = _local(published.site, url)
    meta = _meta(page)
    assert meta["canonical"] == url and meta["og:url"] == url
    assert meta["og:type"] == "article" and meta["twitter:card"] == "summary"
    assert meta["og:title"].startswith("The CAC ran a two-month investigation")
    assert meta["og:description"].startswith("2 months, according to Cyberspace Administration")
    nearly = _meta(_local(published.site, f"{SHEET_URL}facts/fake-news-closures/"))
    assert nearly["og:description"].startswith("Nearly 8,000 accounts")  # with its qualifier
    tree = parse(page)
    card = tree.find("article", "fs-fact")
    assert len(card) == 1
    assert card[0].find("details")[0].attrs.get("open") is not None
    assert len(tree.find("li", "fs-citation")) == 2
    assert tree.find("span", "fs-cite-text")
    back = [
        a.attrs["href"]
        for a in tree.find("a")
        if a.attrs.get("href", "").endswith(f"#{EDITED_FACT}")
    ]
    assert back and all(h.startswith("../../") for h in back)
    sheet = (published.site / f"sheets/{SHEET}/index.html").read_text(encoding="utf-8")
    assert f'id="{EDITED_FACT}"' in sheet  # the sheet keeps its anchors
    assert f'href="facts/{EDITED_FACT}/"' in sheet  # and links each fact's own page


def test_sheet_page_has_share_tags(published: Published) -> None:
    meta = _meta(published.site / f"sheets/{SHEET}/index.html")
    assert meta["og:url"] == SHEET_URL == meta["canonical"]
    assert meta["og:title"] == "China's 2023 crackdown on “self-media” accounts"
    assert re.search(r"\d", meta["og:description"])  # its key figures
    assert meta["twitter:card"] == "summary"


def test_fact_pages_stay_out_of_the_search_index(published: Published) -> None:
    index = json.loads((published.site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"]]
    assert any(loc.startswith(f"sheets/{SHEET}/#{EDITED_FACT}") for loc in locations)
    assert not any("/facts/" in loc for loc in locations)


def test_facts_csv_opens_in_spreadsheets(relative: Published) -> None:
    for path in ("facts.csv", f"sheets/{SHEET}/facts.csv"):
        data = (relative.site / path).read_bytes()
        assert data.startswith(b"\xef\xbb\xbfid,sheet,")  # UTF-8 with BOM: Excel's cue
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0][0] == "id" and rows[0][-1] == "url"
        assert len(rows) > 10 and all(len(row) == len(rows[0]) for row in rows)
        assert "“obvious problems”" in text  # curly quotes, as UTF-8
        # every record ends with CRLF (RFC 4180)
        records = io.StringIO(text, newline="")
        reader = csv.reader(records)
        ends = []
        for _ in reader:
            ends.append(text[records.tell() - 2 : records.tell()])
        assert set(ends) == {"\r\n"}
        with (relative.site / path).open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.DictReader(handle).__iter__()).keys()
        assert next(iter(header)) == "id"

"""The same site from every engine: MkDocs, ProperDocs and Zensical (generator/site/engines.py),
and ``factsheet export``, built by stock MkDocs and by Zensical without the plugin.

Each engine builds the bundled content once for the session, with the real command;
the MkDocs build is the reference: the same pages, navigation and fact anchors, the very
same download bytes, a search index with the facts in it.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import urljoin

import pytest
import yaml

from generator.site.project import ENGINES
from generator.site.sanitize import content_area

from .conftest import ROOT, edit, run_factsheet

SHEET = "sheets/china-self-media-2023/index.html"
DOWNLOADS = (
    "facts.json",
    "facts.csv",
    "sources.csl.json",
    "corrections.xml",
    "sheets/china-self-media-2023/facts.json",
    "sheets/china-self-media-2023/facts.csv",
    "sheets/china-self-media-2023/sources.csl.json",
    "sheets/china-self-media-2023/corrections.xml",
    "sources/reuters-2023-self-media.txt",
    "schemas/facts-download.v2.schema.json",
)
SEARCH_INDEX = {
    "mkdocs": "search/search_index.json",
    "properdocs": "search/search_index.json",
    "zensical": "search.json",
}


def _copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture(scope="session")
def engine_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled project built by each engine (``factsheet build --engine E``)."""
    base = tmp_path_factory.mktemp("engines")
    project = _copy_project(base / "project")
    sites = {}
    for engine in ENGINES:
        out = base / f"site-{engine}"
        run = run_factsheet("build", "--engine", engine, "--site-dir", str(out), cwd=project)
        assert run.code == 0, f"{engine} build failed:\n{run.out}\n{run.err}"
        assert f"into {out}" in run.out, run.out
        sites[engine] = out
    return sites


def _pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


def _nav(site: Path, page: str) -> set[str]:
    """The pages the navigation of ``page`` links to, as paths from the site's root."""
    text = (site / page).read_text(encoding="utf-8")
    base = "http://x/" + page.removesuffix("index.html")
    links = set()
    for tag in re.findall(r"<a\b[^>]*\bclass=\"md-nav__link[^>]*>", text):
        href = re.search(r'\bhref="([^"#]*)', tag)
        if href is not None:
            links.add(urljoin(base, href.group(1)).removeprefix("http://x/"))
    return links


def _fact_ids(site: Path) -> list[str]:
    data = json.loads((site / "facts.json").read_text(encoding="utf-8"))
    return [f["id"] for f in data["facts"]]


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "mkdocs"])
def test_engine_builds_the_same_site(engine_sites: dict[str, Path], engine: str) -> None:
    reference, site = engine_sites["mkdocs"], engine_sites[engine]
    assert _pages(site) == _pages(reference)
    for page in ("index.html", SHEET, "sources/reuters-2023-self-media/index.html"):
        assert _nav(site, page) == _nav(reference, page), page
        assert _nav(site, page) >= {"", "sources/", "format/", "sheets/china-self-media-2023/"}
    for download in DOWNLOADS:
        assert (site / download).read_bytes() == (reference / download).read_bytes(), download
    sheet = (site / SHEET).read_text(encoding="utf-8")
    ids = _fact_ids(site)
    assert len(ids) > 20
    for fact in ids:
        assert sheet.count(f'<h3 class="fs-fact-title" id="{fact}">') == 1, fact
    # every page's content is the same, links included (to the blank lines between blocks)
    for page in _pages(reference) - {"404.html"}:
        assert _content(site / page) == _content(reference / page), page


def _content(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    area = content_area(text)
    assert area is not None, page
    return _lines(text[area[0] : area[1]])


@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_indexes_every_fact_for_search(
    engine_sites: dict[str, Path], engine: str
) -> None:
    site = engine_sites[engine]
    data = json.loads((site / SEARCH_INDEX[engine]).read_text(encoding="utf-8"))
    entries = data["docs"] if engine != "zensical" else data["items"]
    located = {e["location"]: e for e in entries}
    for fact in _fact_ids(site):
        entry = located.get(f"sheets/china-self-media-2023/#{fact}")
        assert entry is not None, (engine, fact)
    closed = located["sheets/china-self-media-2023/#accounts-closed"]
    assert "67,000" in closed["title"] + closed["text"]
    assert "Cyberspace Administration of China" in closed["text"]


def test_zensical_search_shows_titles_as_text(engine_sites: dict[str, Path]) -> None:
    """Zensical escapes a result's navigation path: entities made for Material would show."""
    data = json.loads((engine_sites["zensical"] / "search.json").read_text(encoding="utf-8"))
    paths = [p for item in data["items"] for p in item["path"]]
    assert "China's 2023 crackdown on “self-media” accounts" in paths
    assert not [p for p in paths if "&#" in p or "&amp;" in p]


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_page_check_and_atomic_swap_apply_to_every_engine(tmp_path: Path, engine: str) -> None:
    """A template that lets markup through fails the build, and the site stays as it was."""
    project = _copy_project(tmp_path / "project")
    site = tmp_path / "site"
    site.mkdir()
    (site / "marker.txt").write_text("the published site", encoding="utf-8")
    edit(
        project / "templates/home.md.j2",
        "# Fact sheets\n",
        '# Fact sheets\n\n<p class="fs-dateline"><img src="x" onerror="alert(1)"></p>\n',
    )
    run = run_factsheet("build", "--engine", engine, "--site-dir", str(site), cwd=project)
    assert run.code == 1, run.out + run.err
    assert "unsafe markup on page index.html" in run.err, run.err
    assert "onerror" in run.err
    assert sorted(p.name for p in site.iterdir()) == ["marker.txt"]
    assert not list(tmp_path.glob(".site.building-*"))


def test_the_engine_setting_in_mkdocs_yml(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    edit(project / "mkdocs.yml", "  - factsheet\n", "  - factsheet:\n      engine: zensical\n")
    run = run_factsheet("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert run.code == 0, run.err
    assert "with zensical" in run.out
    assert (tmp_path / "site/search.json").is_file()  # Zensical's index, not Material's
    assert not (tmp_path / "site/search").exists()
    # the command line wins over the setting
    run = run_factsheet(
        "build", "--engine", "mkdocs", "--site-dir", str(tmp_path / "site"), cwd=project
    )
    assert run.code == 0, run.err
    assert (tmp_path / "site/search/search_index.json").is_file()


def test_an_unknown_engine_setting_is_a_usage_error(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    edit(project / "mkdocs.yml", "  - factsheet\n", "  - factsheet:\n      engine: hugo\n")
    run = run_factsheet("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert run.code == 2, run.out + run.err
    assert "the factsheet plugin's option 'engine' is 'hugo'" in run.err
    assert "mkdocs, properdocs or zensical" in run.err
    assert not (tmp_path / "site").exists()


# --- factsheet export ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("export")
    project = _copy_project(base / "project")
    run = run_factsheet("export", str(base / "out"), cwd=project)
    assert run.code == 0, run.err
    return base / "out"


def _build_export(exported: Path, tmp_path: Path, command: list[str]) -> Path:
    copy = tmp_path / "export"
    shutil.copytree(exported, copy)
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return copy / "site"


def test_export_is_a_plain_mkdocs_project(exported: Path) -> None:
    config = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(config)
    assert data["plugins"] == [{"search": {"separator": mock.ANY}}]  # no factsheet plugin
    assert data["nav"][0] == "index.md"
    assert {"China's 2023 crackdown on “self-media” accounts"} <= {
        html.unescape(next(iter(e))) for e in data["nav"] if isinstance(e, dict)
    }
    assert data["docs_dir"] == "docs"
    assert data["validation"]["links"]["anchors"] == "info"
    assert "- generator.site.rawblocks" in config
    sheet_md = (exported / "docs/sheets/china-self-media-2023/index.md").read_text("utf-8")
    # each fact card in a comment of its own, which the rawblocks extension opens
    cards = sheet_md.count('<article class="fs-fact')
    assert cards > 20 and sheet_md.count('<!--fs-raw\n<article class="fs-fact') == cards
    assert (exported / "docs/assets/factsheet.css").is_file()
    assert (exported / "overrides/404.html").is_file()


@pytest.mark.parametrize(
    "command",
    [["mkdocs", "build", "--strict"], ["zensical", "build", "--strict"]],
    ids=["mkdocs", "zensical"],
)
def test_export_builds_without_the_plugin(
    exported: Path, engine_sites: dict[str, Path], tmp_path: Path, command: list[str]
) -> None:
    site = _build_export(exported, tmp_path, command)
    reference = engine_sites["mkdocs"]
    assert _pages(site) == _pages(reference)
    assert _nav(site, SHEET) == _nav(reference, SHEET)
    for download in DOWNLOADS:
        assert (site / download).read_bytes() == (reference / download).read_bytes(), download
    # the pages' content is the plugin's, to the blank lines Python-Markdown leaves between
    # blocks
    for page in _pages(reference) - {"404.html"}:
        assert _content(site / page) == _content(reference / page), page


def _lines(html: str) -> list[str]:
    return [line for line in html.splitlines() if line.strip()]


def test_export_without_the_extension_builds_the_same_pages(
    tmp_path: Path, engine_sites: dict[str, Path]
) -> None:
    """``--plain-html``: stock Python-Markdown parses the raw HTML itself, to the same pages."""
    project = _copy_project(tmp_path / "project")
    run = run_factsheet("export", "--plain-html", str(tmp_path / "out"), cwd=project)
    assert run.code == 0, run.err
    assert "rawblocks" not in (tmp_path / "out/mkdocs.yml").read_text(encoding="utf-8")
    sheet_md = tmp_path / "out/docs/sheets/china-self-media-2023/index.md"
    assert "<!--fs-raw" not in sheet_md.read_text(encoding="utf-8")  # blocks written bare
    site = _build_export(tmp_path / "out", tmp_path, ["mkdocs", "build"])
    for page in (SHEET, "sources/reuters-2023-self-media/index.html", "format/index.html"):
        assert _content(site / page) == _content(engine_sites["mkdocs"] / page), page


def test_export_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    run = run_factsheet("export", str(out), cwd=project)
    assert run.code == 2
    assert "exists and is not an empty directory" in run.err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_export_stops_on_content_problems(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    edit(project / "content/sheets/china-self-media-2023/sheet.yaml", "title:", "titel:")
    run = run_factsheet("export", str(tmp_path / "out"), cwd=project)
    assert run.code == 1
    assert "sheet.yaml:" in run.err and "error:" in run.err
    assert not (tmp_path / "out").exists()


def test_charts_and_the_list_of_sources_stay_out_of_zensicals_search(
    engine_sites: dict[str, Path],
) -> None:
    """Zensical refuses a search section over 32 KB; the export marks these two blocks
    ``data-search-exclude``, which the engine honours and takes out of the page."""
    site = engine_sites["zensical"]
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    texts = {i["location"]: i["text"] for i in items}
    assert texts["sheets/china-self-media-2023/#charts"] == ""
    assert "Reuters" not in texts["sources/"]
    for page in _pages(site):
        assert "data-search-exclude" not in (site / page).read_text(encoding="utf-8"), page
    assert '<div class="fs-charts">' in (site / SHEET).read_text(encoding="utf-8")

"""The reader's checks on every engine's site: MkDocs, ProperDocs and Zensical.

Each engine builds the bundled project once for the session (MkDocs' site is the one the
other browser tests use), served on 127.0.0.1. On each: a search by a word, a figure as
written and a name lands on the fact; no request leaves the machine and the console
stays clean; axe finds no serious violation. Material (MkDocs, ProperDocs) and Zensical
have different search interfaces: Zensical's is a dialog in a shadow root, which
Playwright's CSS selectors pierce.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from generator.site.project import ENGINES

from ..conftest import ROOT
from .conftest import (
    DESKTOP,
    DIFFERENCES,
    SHEET,
    SOURCE,
    PageLog,
    _QuietHandler,
    new_context,
    open_page,
    result_links,
    wait_until_fact_shown,
)
from .conftest import search as material_search
from .test_accessibility import report, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def _build(engine: str, base: Path) -> Path:
    project = base / "project"
    project.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    out = base / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--engine", engine, "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"{engine} build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="session", params=ENGINES)
def engine_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(engine, ``http://127.0.0.1:PORT/``) for the bundled site built by each engine."""
    engine: str = request.param
    if engine == "mkdocs":  # the site the other browser tests read
        site: Path = request.getfixturevalue("site")
    else:
        site = _build(engine, tmp_path_factory.mktemp(f"engine-{engine}"))
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"{engine}-server", daemon=True)
    thread.start()
    try:
        yield engine, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def search(page: Page, engine: str, query: str) -> list[str]:
    """Type ``query`` into the engine's search, wait for its results; their links."""
    if engine != "zensical":
        material_search(page, query)
        return result_links(page)
    page.locator("button.md-search__button").click()
    box = page.locator("input[role=combobox][aria-label=Search]")
    box.fill(query)
    results = page.locator("ol[role=listbox] a[role=option]")
    results.first.wait_for()
    hrefs: list[str] = results.evaluate_all("links => links.map(a => a.href)")
    return hrefs


def result(page: Page, engine: str, fact: str) -> Any:
    if engine == "zensical":
        return page.locator(f"ol[role=listbox] a[role=option][href$='#{fact}']").first
    return page.locator(f"a.md-search-result__link[href$='#{fact}']").first


@contextlib.contextmanager
def desktop_page(browser: Browser, base_url: str) -> Iterator[tuple[Page, PageLog]]:
    """A desktop-sized page in a context of its own (each engine's site has its own origin)."""
    context, log = new_context(browser, base_url, viewport=DESKTOP)
    try:
        yield context.new_page(), log
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "fact"),
    [
        ("profiteering", "investigation"),  # a word of the statement
        ("67,000", "accounts-closed"),  # a figure as written
        ("Weibo", "platforms"),  # a name
    ],
)
def test_search_lands_on_the_fact(
    browser: Browser, engine_url: tuple[str, str], query: str, fact: str
) -> None:
    engine, base_url = engine_url
    with desktop_page(browser, base_url) as (page, log):
        open_page(page, SHEET)
        hrefs = search(page, engine, query)
        landing = [h for h in hrefs if urlsplit(h).path == f"/{SHEET}"]
        assert any(urlsplit(h).fragment == fact for h in landing), (engine, query, hrefs)
        result(page, engine, fact).click()
        page.wait_for_url(lambda url: urlsplit(url).fragment == fact)
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == f"/{SHEET}"
        wait_until_fact_shown(page, fact)  # its card on screen, its quotes opened
        assert not log.problems(), log.problems()


def test_reading_stays_on_the_machine(browser: Browser, engine_url: tuple[str, str]) -> None:
    """Every page a reader opens, and a search, request nothing outside 127.0.0.1 and log
    no console error or warning."""
    engine, base_url = engine_url
    with desktop_page(browser, base_url) as (page, log):
        # (this test server answers a missing page with its own error page, not the site's)
        for path in ("no-such-page/", "", SHEET, DIFFERENCES, SOURCE, "sources/", "format/"):
            page.goto(path, wait_until="load")
            page.wait_for_load_state("networkidle")
        search(page, engine, "Cyberspace")
        page.wait_for_load_state("networkidle")
        problems = [p for p in log.problems() if "no-such-page" not in p]
        assert not problems, (engine, problems)
        assert log.missing == [f"{base_url}no-such-page/: HTTP 404"], log.missing


@pytest.mark.parametrize("path", [SHEET, SOURCE, ""])
def test_no_serious_accessibility_violation(
    browser: Browser, engine_url: tuple[str, str], axe_source: str, path: str
) -> None:
    engine, base_url = engine_url
    with desktop_page(browser, base_url) as (page, _):
        page.goto(path, wait_until="load")
        violations = run_axe(page, axe_source)
        assert not violations, f"axe on /{path} built by {engine}:\n" + report(violations)

"""A site published under a sub-path (``site_url: http://127.0.0.1:PORT/factsheets/``).

The bundled project is built with that ``site_url`` and served under ``/factsheets/``
only (anything else is a 404): pages, assets, search, downloads and fact pages must all
resolve there, with no failed request and no console error.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from ..conftest import ROOT
from .conftest import SHEET, new_context, open_page, result_links, search

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from .conftest import PageLog

pytestmark = pytest.mark.browser

PREFIX = "/factsheets/"
FACT = "accounts-closed"


class _UnderPrefix(http.server.SimpleHTTPRequestHandler):
    """Serves the site at ``PREFIX`` only, as a host that publishes it in a sub-folder."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / ".no-such-file")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled project built with a sub-path site_url, served there: the site's URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}{PREFIX}"
    project = tmp_path_factory.mktemp("subpath") / "project"
    project.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(f"site_url: {url}\n" + config, encoding="utf-8")
    out = project.parent / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--publish", "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr}"
    handler = functools.partial(_UnderPrefix, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="subpath-server", daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def visit(browser: Browser, served: str) -> Iterator[tuple[Page, PageLog]]:
    context, log = new_context(browser, served, viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page(), log
    finally:
        context.close()


def test_root_outside_the_prefix_is_not_the_site(served: str) -> None:
    root = served.removesuffix(PREFIX) + "/"
    with pytest.raises(urllib.request.HTTPError) as caught:
        urllib.request.urlopen(root + SHEET)
    assert caught.value.code == 404


def test_sheet_page_loads_with_its_assets(visit: tuple[Page, PageLog], served: str) -> None:
    page, log = visit
    loaded: list[str] = []
    page.on("requestfinished", lambda r: loaded.append(r.url))
    open_page(page, served + SHEET)
    page.wait_for_load_state("networkidle")
    assert page.locator(f"h3#{FACT}").count() == 1
    assert log.problems() == []
    paths = [urlsplit(u).path for u in loaded]
    assert all(p.startswith(PREFIX) for p in paths), paths
    for asset in ("assets/factsheet.css", "assets/factsheet.js", "assets/javascripts/bundle."):
        assert any(p.startswith(PREFIX + asset) for p in paths), (asset, paths)
    # the theme's own stylesheet applied: the header is Material's fixed bar
    assert page.locator("header.md-header").evaluate("h => getComputedStyle(h).position") in (
        "sticky",
        "fixed",
    )


def test_search_finds_a_fact_and_lands_on_it(visit: tuple[Page, PageLog], served: str) -> None:
    page, log = visit
    open_page(page, served + SHEET)
    search(page, "67,000")
    hrefs = result_links(page)
    wanted = [h for h in hrefs if urlsplit(h).path == PREFIX + SHEET and h.endswith("#" + FACT)]
    assert wanted, hrefs
    assert not any("/facts/" in urlsplit(h).path for h in hrefs), hrefs  # fact pages: not indexed
    page.locator(f"a.md-search-result__link[href$='#{FACT}']").first.click()
    page.wait_for_url(lambda url: urlsplit(url).fragment == FACT)
    assert urlsplit(page.url).path == PREFIX + SHEET
    assert page.locator(f"h3#{FACT}").is_visible()
    assert log.problems() == []


def test_download_links_resolve(visit: tuple[Page, PageLog], served: str) -> None:
    page, log = visit
    open_page(page, served + SHEET)
    links = page.locator("#downloads ~ ul a").evaluate_all("links => links.map(a => a.href)")
    downloads = [h for h in links if h.endswith((".json", ".csv", ".xml"))]
    assert len(downloads) >= 4, links
    for href in downloads:
        assert urlsplit(href).path.startswith(PREFIX), href
        with urllib.request.urlopen(href) as response:
            assert response.status == 200, href
            assert response.read(1), href
    assert log.problems() == []


def test_fact_page_and_its_way_back(visit: tuple[Page, PageLog], served: str) -> None:
    page, log = visit
    open_page(page, served + f"{SHEET}facts/{FACT}/")
    page.wait_for_load_state("networkidle")
    og = page.locator("meta[property='og:url']").get_attribute("content")
    assert og == served + f"{SHEET}facts/{FACT}/"
    assert page.locator("details.fs-fact-more").evaluate("d => d.open")
    cite = page.locator(".fs-cite-text").inner_text()
    assert cite.endswith(f". {og}"), cite  # the cite line gives the fact page's own address
    page.locator("a", has_text="See this fact in its place on the sheet").click()
    page.wait_for_url(lambda url: urlsplit(url).fragment == FACT)
    assert urlsplit(page.url).path == PREFIX + SHEET
    assert log.problems() == []

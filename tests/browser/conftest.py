"""Browser fixtures: the bundled site built once, served on 127.0.0.1, driven by Chromium.

One build, one HTTP server and one Chromium for the whole session. Tests that only read
the site share one desktop page and navigate it where they need (``page``); a test that
must see everything a first visit does gets a context of its own (``fresh``), and the
colour-scheme and phone tests have one per module. Every context blocks and records any
request that leaves 127.0.0.1, and records console errors, warnings and page errors.
Chromium is Debian's (``/usr/bin/chromium``, installed by ``setup.sh``), never a download:
when it is missing the tests fail and say so, they are not skipped.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from ..conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
    )

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

SHEET = "sheets/china-self-media-2023/"
SOURCE = "sources/reuters-2023-self-media/"
DIFFERENCES = "sheets/china-self-media-2023/differences/"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project (content, templates, mkdocs.yml) built by the real command."""
    project = tmp_path_factory.mktemp("browser") / "project"
    project.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    out = project.parent / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving the built site (a free port, threads)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class PageLog:
    """What a page did besides rendering: requests that left 127.0.0.1, console messages."""

    origin: str
    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(url).hostname != "127.0.0.1":
            self.outside.append(url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            where = message.location
            self.console.append(
                f"{message.type}: {message.text} ({where['url']}:{where['lineNumber']})"
            )

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(str(error))

    def on_request_failed(self, request: Request) -> None:
        # net::ERR_ABORTED is the browser cancelling a request itself: the page moved on (a
        # test's next goto while Material's search worker is still loading) or our route
        # blocked a request leaving 127.0.0.1 (recorded in `outside`). A missing file is a
        # 404 response, not a failed request: `on_response` records it.
        if request.failure == "net::ERR_ABORTED":
            return
        self.failed.append(f"{request.url}: {request.failure}")

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.missing.append(f"{response.url}: HTTP {response.status}")

    def clear(self) -> None:
        for messages in (self.outside, self.console, self.errors, self.failed, self.missing):
            messages.clear()

    def problems(self) -> list[str]:
        return (
            [f"request outside 127.0.0.1: {u}" for u in self.outside]
            + [f"console {c}" for c in self.console]
            + [f"page error: {e}" for e in self.errors]
            + [f"request failed: {f}" for f in self.failed]
            + [f"bad response: {m}" for m in self.missing]
        )


def new_context(browser: Browser, base_url: str, **options: Any) -> tuple[BrowserContext, PageLog]:
    """A fresh context that records, and blocks, every request leaving 127.0.0.1."""
    context = browser.new_context(base_url=base_url, **options)
    log = PageLog(origin=base_url)

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:  # recorded by on_request; never let a test reach the network
            r.abort()

    context.route(re.compile(r"^https?://"), route)
    context.on("request", log.on_request)
    context.on("console", log.on_console)
    context.on("weberror", lambda e: log.on_page_error(e.error))
    context.on("requestfailed", log.on_request_failed)
    context.on("response", log.on_response)
    context.set_default_timeout(30_000)
    return context, log


@pytest.fixture(scope="session")
def desktop(browser: Browser, base_url: str) -> Iterator[tuple[Page, PageLog]]:
    """One desktop-sized page (1280x900) shared by the tests that only read the site; each
    test navigates it where it needs (a ``goto`` resets what the previous test did)."""
    context, log = new_context(browser, base_url, viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        yield context.new_page(), log
    finally:
        context.close()


@pytest.fixture
def page(desktop: tuple[Page, PageLog]) -> Page:
    """The shared desktop page, its log emptied for this test."""
    shared, log = desktop
    log.clear()
    return shared


@pytest.fixture
def fresh(browser: Browser, base_url: str) -> Iterator[tuple[Page, PageLog]]:
    """A page in a context of its own (empty cache): sees every request a first visit makes."""
    context, log = new_context(browser, base_url, viewport=DESKTOP)
    try:
        yield context.new_page(), log
    finally:
        context.close()


@pytest.fixture(scope="session")
def facts(site: Path) -> dict[str, Any]:
    """facts.json of the built site, by fact id."""
    data = json.loads((site / "facts.json").read_text(encoding="utf-8"))
    return {f["id"]: f for f in data["facts"]}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `npm ci` at the repository root "
            "(./setup.sh does) to install axe-core for the accessibility tests",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


# --- helpers shared by the tests -------------------------------------------------------------


def open_page(page: Page, path: str) -> None:
    """Open a page of the site and wait until its scripts have run (factsheet.js adds the
    Copy buttons of fact sheets once Material's document$ has emitted)."""
    page.goto(path, wait_until="load")
    if page.locator(".fs-cite-text").count():
        page.locator("button.fs-copy").first.wait_for(state="attached")


def wait_until_fact_shown(page: Page, fact: str) -> None:
    """Wait until the fact's card is opened (factsheet.js opens the quotes and citations
    of the fact a link lands on) and its heading is on screen (the browser scrolls to the
    fragment after layout)."""
    more = page.locator(f"article.fs-fact:has(> h3#{fact}) > details.fs-fact-more")
    page.wait_for_function("d => d.open", arg=more.element_handle())
    page.wait_for_function(
        """id => {
            const r = document.getElementById(id).getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
        }""",
        arg=fact,
    )


def search(page: Page, query: str) -> None:
    """Enter ``query`` in Material's search box and wait for its answer.

    Material reads the box on ``keyup`` and answers each value it reads. The query is put
    in whole and then one key is lifted, so that exactly one query is asked and the
    answer waited for is the final one, never that of a prefix typed on the way (text
    from an input method, as Chinese is entered, sends no key events of its own).
    """
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # phones: the magnifier in the header opens the search
        page.locator("label.md-header__button[for='__search']").click()
    box.click()
    box.fill(query)
    box.press("End")
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=re.compile(r"matching document")).wait_for()


def result_links(page: Page) -> list[str]:
    """The href of every search result (pages and their sections, folded ones included)."""
    hrefs: list[str] = page.locator("a.md-search-result__link").evaluate_all(
        "links => links.map(a => a.href)"
    )
    return hrefs

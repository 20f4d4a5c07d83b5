"""`factsheet serve`: a live preview that survives content errors and recovers from them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import SHEET_DIR, edit, line_of

SHEET = "sheets/china-self-media-2023/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return str(exc.read().decode("utf-8"))


def wait_for(predicate: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def server_log(tmp_path: Path) -> Path:
    return tmp_path / "serve.log"


@pytest.fixture
def speed_env() -> dict[str, str]:
    """Environment variables for the server (a test may set ``FACTSHEET_SPEED``)."""
    return {}


@pytest.fixture
def server(project: Path, server_log: Path, speed_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    with server_log.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--verbose", "--port", str(port)],
            cwd=project,
            env={**os.environ, **speed_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: "fs-fact" in fetch(base + SHEET))
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_shows_errors_and_recovers(server: str, project: Path) -> None:
    facts = project / SHEET_DIR / "facts/3-accounts.yaml"
    assert "67,000 social media accounts were closed permanently" in fetch(server + SHEET)

    edit(facts, "amount: 67000", "amount: 012")
    wait_for(lambda: "Content problems" in fetch(server + SHEET))
    page = fetch(server + SHEET)
    assert f"3-accounts.yaml:{line_of(facts, 'amount: 012')}:15" in page
    assert "a leading zero is ambiguous" in page

    edit(facts, "amount: 012", "amount: 67000")
    wait_for(lambda: "fs-fact" in fetch(server + SHEET))


def test_serve_reloads_after_an_edit(server: str, project: Path) -> None:
    facts = project / SHEET_DIR / "facts/3-accounts.yaml"
    edit(
        facts,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: 67,000 social media accounts were closed for good.",
    )
    wait_for(lambda: "were closed for good" in fetch(server + SHEET))


@pytest.mark.parametrize("speed_env", [{"FACTSHEET_SPEED": "off"}])
def test_serve_without_the_speed_layer_rebuilds_from_scratch(
    server: str, project: Path, server_log: Path
) -> None:
    """With the speed layer off the preview keeps no memo: no fast path, a fresh run."""
    facts = project / SHEET_DIR / "facts/3-accounts.yaml"
    edit(
        facts,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: 67,000 social media accounts were closed for good.",
    )
    wait_for(lambda: "were closed for good" in fetch(server + SHEET))
    assert "re-rendered" not in server_log.read_text("utf-8")


def article(page: str) -> str:
    start = page.index('<article class="md-content__inner md-typeset">')
    return page[start : page.index("</article>\n", start)]


def test_preview_after_an_edit_equals_a_clean_build(
    server: str, project: Path, tmp_path: Path, server_log: Path
) -> None:
    """The preview re-renders only what changed, yet shows what a full build shows."""
    import json
    import shutil

    facts = project / SHEET_DIR / "facts/4-impersonation.yaml"
    edit(
        facts,
        "statement: >-\n      Nearly 187,000 accounts were sanctioned",
        "statement: >-\n      Close to 187,000 accounts were sanctioned",
    )
    wait_for(lambda: "Close to 187,000" in fetch(server + SHEET))
    # the quick path took it: only the sheet's changed pages went through MkDocs (the
    # sheet page, its differences page and the fact's own page), made from the sheet
    # alone; then the rest of the site followed (the source's page, which lists the
    # facts citing it, and the downloads)
    log = server_log.read_text("utf-8")
    assert "re-rendered 3 changed pages of sheet 'china-self-media-2023'" in log
    wait_for(lambda: "the rest of the site is up to date" in server_log.read_text("utf-8"))
    assert "re-rendered 1 changed pages and 4 downloads" in server_log.read_text("utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site"))
    from .conftest import run_factsheet

    assert run_factsheet("build", cwd=clean).code == 0
    for page in (
        SHEET,
        "sheets/china-self-media-2023/differences/",
        "sources/reuters-2023-self-media/",
        "sources/",
    ):
        built = (clean / "site" / page / "index.html").read_text("utf-8")
        assert article(fetch(server + page)) == article(built), page
    served = json.loads(fetch(server + "search/search_index.json"))
    expected = json.loads((clean / "site/search/search_index.json").read_text("utf-8"))
    assert served["docs"] == expected["docs"]

"""Shared fixtures: a private copy of the project to break, and helpers to run the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("FACTSHEET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHEET_DIR = "content/sheets/china-self-media-2023"
REUTERS = "content/sources/reuters-2023-self-media"
REWRITE = "content/sources/rewrite-2023-05-28-self-media"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched once for the session."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's Chromium "
            "(`apt-get install chromium`, which ./setup.sh does when run as root or with sudo), "
            "or FACTSHEET_CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        pytest.fail(f"Playwright is not installed (pip install -e '.[test]'): {exc}", pytrace=False)
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (content, templates, mkdocs.yml) in a temporary directory."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``factsheet ARGS`` in-process from a directory; returns code, stdout, stderr."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_factsheet(*args: str, cwd: Path) -> Run:
    """Run the installed command in a subprocess (as a user would)."""
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a content file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found in {path}")


def key_line(path: Path, needle: str, key: str = "quote:") -> int:
    """Line of the ``key`` whose (block) value contains ``needle``: where the value starts."""
    lines = path.read_text(encoding="utf-8").splitlines()
    target = line_of(path, needle)
    for number in range(target, 0, -1):
        if key in lines[number - 1]:
            return number
    raise AssertionError(f"no {key!r} before {needle!r} in {path}")


def build_bundled(where: Path) -> Path:
    """A copy of the bundled project in ``where``, built by the real command: its site."""
    dest = where / "project"
    dest.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return dest / "site"

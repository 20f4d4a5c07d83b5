"""Helpers for the interrupt and fault tests: a site large enough to stop mid-build, and
what must hold afterwards (the site byte-identical, no scratch, no process left)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .conftest import ROOT

FACTS = 600
"""Synthetic facts: a build takes several seconds (generation, then MkDocs), so that a
signal sent at a chosen moment lands in the middle of it."""


def make_project(where: Path, facts: int = FACTS) -> Path:
    """A project of ``facts`` synthetic facts (bench/make_content.py), not yet built."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench/make_content.py"), str(facts), str(where / "content")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return where


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a site with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def a_fact_file(project: Path) -> Path:
    """The first fact file of the first sheet."""
    return sorted((project / "content/sheets").glob("*/facts/*.yaml"))[0]


def change_a_fact(project: Path) -> None:
    """An edit that a finished build would publish (so an untouched site means something)."""
    path = a_fact_file(project)
    text = path.read_text(encoding="utf-8")
    marker = "statement: >-\n      "
    assert marker in text, text
    path.write_text(text.replace(marker, marker + "Edited: ", 1), encoding="utf-8")


def scratch_left(project: Path) -> list[str]:
    """What builds left next to the site: the scratch directory, old-style leftovers."""
    found = []
    root = project / ".factsheet-scratch"
    if root.exists():
        found += [f".factsheet-scratch/{name}" for name in sorted(os.listdir(root))] or [root.name]
    found += sorted(p.name for p in project.glob(".site.*") if p.name != ".site.lock")
    return found


def wait_no_scratch(project: Path, within: float = 30.0) -> None:
    """The scratch is deleted by a process of its own, which the command does not wait for."""
    deadline = time.monotonic() + within
    while scratch_left(project):
        assert time.monotonic() < deadline, f"scratch left: {scratch_left(project)}"
        time.sleep(0.05)


def session_processes(session: int) -> list[int]:
    """Live (not zombie) processes of a session (read from /proc)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            text = Path(f"/proc/{name}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        if int(fields[3]) == session and fields[0] not in ("Z", "X"):
            found.append(int(name))
    return found


def _default_signals() -> None:
    # a background job of a script starts with SIGINT ignored, which would test nothing:
    # the build gets the default dispositions, as from a terminal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start(
    args: list[str], cwd: Path, *, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.Popen[str]:
    """``factsheet ARGS`` in a session (and process group) of its own, signals at default."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        stdout=kwargs.pop("stdout", subprocess.PIPE),  # type: ignore[arg-type]
        stderr=kwargs.pop("stderr", subprocess.PIPE),  # type: ignore[arg-type]
        text=True,
        start_new_session=True,
        preexec_fn=_default_signals,
    )


def wait_for(predicate: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def build_dir(project: Path, sub: str) -> Callable[[], bool]:
    """Whether a running build has made ``sub`` in its scratch directory (and put files in)."""

    def made() -> bool:
        root = project / ".factsheet-scratch"
        try:
            return any(any(p.iterdir()) for p in root.glob(f"build-*/{sub}") if p.is_dir())
        except OSError:
            return False

    return made


def copy_project(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, symlinks=True)
    return dest

"""Ctrl-C and SIGTERM stop `factsheet build` and `factsheet serve` at once, cleanly.

Signals are sent as a terminal (Ctrl-C: SIGINT to the foreground process group) and a
supervisor (SIGTERM, to the group, or to the main process only as ``docker stop``
does) send them, to a command started in a session of its own with the signals'
default dispositions. Afterwards: the exit status says which signal, no process of
the session is left, no scratch is left, and the published site is byte-identical.
"""

from __future__ import annotations

import os
import signal
import socket
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from .sites import (
    build_dir,
    change_a_fact,
    copy_project,
    make_project,
    scratch_left,
    session_processes,
    snapshot,
    start,
    wait_for,
    wait_no_scratch,
)

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc") or not hasattr(os, "killpg"), reason="needs /proc and signals"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A published site of synthetic content, then an edit a finished build would publish."""
    project = make_project(tmp_path_factory.mktemp("interrupts"))
    proc = start(["build"], project)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    wait_no_scratch(project)
    published = snapshot(project / "site")
    assert "index.html" in published and len(published) > 100
    change_a_fact(project)
    return project, published


MOMENTS: dict[str, Callable[[Path], Callable[[], bool]]] = {
    # the generator runs (its child's result file is in the scratch's tmp/)
    "generating": lambda project: build_dir(project, "tmp"),
    # MkDocs writes the new site into the scratch
    "writing pages": lambda project: build_dir(project, "site"),
}


@pytest.mark.parametrize(
    ("signum", "moment", "group"),
    [
        (signal.SIGINT, "generating", True),
        (signal.SIGTERM, "generating", True),
        (signal.SIGINT, "writing pages", True),
        (signal.SIGTERM, "writing pages", True),
        (signal.SIGTERM, "writing pages", False),  # to the main process only
        (signal.SIGTERM, "generating", False),
    ],
)
def test_a_signal_stops_the_build(
    built: tuple[Path, dict[str, str]], signum: int, moment: str, group: bool
) -> None:
    project, published = built
    proc = start(["build"], project)
    try:
        wait_for(MOMENTS[moment](project), what=moment)
        assert proc.poll() is None, "the build ended before the signal"
        assert session_processes(proc.pid), "no build running"
        sent = time.monotonic()
        if group:
            os.killpg(proc.pid, signum)
        else:
            os.kill(proc.pid, signum)
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + signum, err  # 130 or 143: not killed by the signal
    assert took < 3, f"took {took:.1f} s to stop"
    assert "Traceback" not in err and "built " not in out, err
    assert session_processes(proc.pid) == []  # every worker ended with it
    wait_no_scratch(project)
    assert snapshot(project / "site") == published


def test_sigint_ignored_at_start_stays_ignored(built: tuple[Path, dict[str, str]]) -> None:
    """What a background job of a script gets: SIGINT ignored, and it is not undone."""
    import subprocess
    import sys

    project, _ = built
    copy = copy_project(project, project.parent / "ignoring")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(copy / "other-site")],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    wait_for(build_dir(copy, "tmp"), what="the build to start")
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "built " in out
    wait_no_scratch(copy)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_preview(tmp_path: Path, project: Path, signum: int) -> None:
    """`factsheet serve` stops cleanly: its temporary site is removed, nothing is left."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(tmp)}
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        proc = start(["serve", "--port", str(port)], project, env=env, stdout=out, stderr=out)
    try:

        def serving() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    return b"<html" in page.read()
            except OSError:
                return False

        wait_for(serving, timeout=120, what="the preview")
        assert list(tmp.glob("mkdocs_*")), "the preview's site is not under TMPDIR"
        os.killpg(proc.pid, signum)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = log.read_text(encoding="utf-8")
    assert proc.returncode == 128 + signum, text
    assert "Traceback" not in text
    assert session_processes(proc.pid) == []
    assert list(tmp.glob("mkdocs_*")) == []  # MkDocs' temporary site went with it
    assert scratch_left(project) == []


@pytest.mark.parametrize("group", [True, False])
def test_a_killed_build_leaves_scratch_that_the_next_build_removes(
    built: tuple[Path, dict[str, str]], group: bool
) -> None:
    """kill -9 leaves no chance to clean up: the next build removes what it left. Killed
    alone, the main process takes its workers with it (they end with their parent)."""
    project, published = built
    proc = start(["build"], project)
    wait_for(build_dir(project, "site"), what="MkDocs writing pages")
    assert len(session_processes(proc.pid)) > 1 or group  # workers render pages
    (os.killpg if group else os.kill)(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    wait_for(lambda: session_processes(proc.pid) == [], timeout=3, what="the workers to end")
    left = scratch_left(project)
    assert any(name.endswith(".lock") for name in left), left
    assert any(not name.endswith(".lock") for name in left), left
    assert snapshot(project / "site") == published  # killed before publishing
    # a later command removes it (the preview does the same, with the same function)
    from generator.site.scratch import remove_dead

    assert remove_dead(project / "site", background=False)
    assert scratch_left(project) == []


def test_scratch_in_use_is_never_removed(
    tmp_path: Path, built: tuple[Path, dict[str, str]]
) -> None:
    """A build running, and a dead build's scratch: a second build removes only the dead one."""
    from generator.site.scratch import remove_dead

    project, _ = built
    copy = copy_project(project, tmp_path / "copy")
    dead = copy / ".factsheet-scratch" / "build-1-dead"
    (dead / "site").mkdir(parents=True)
    (dead.parent / "build-1-dead.lock").write_text("1\n", encoding="utf-8")  # nobody holds it
    running = start(["build"], copy)
    try:
        wait_for(build_dir(copy, "tmp"), what="the build to start")
        mine = [
            p for p in (copy / ".factsheet-scratch").glob("build-*") if p.is_dir() and p != dead
        ]
        assert mine
        # what another build or a preview starting now does
        removed = remove_dead(copy / "site", background=False)
        assert all(p not in removed for p in mine)
        assert all(p.is_dir() for p in mine)
        out, err = running.communicate(timeout=300)
    finally:
        if running.poll() is None:
            os.killpg(running.pid, signal.SIGKILL)
            running.wait()
    assert running.returncode == 0, err
    assert "built " in out
    assert not dead.exists()  # removed by the running build at its start, or just now
    wait_no_scratch(copy)

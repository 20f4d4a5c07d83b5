"""The preview's follow-up runs in a forked process, and a newer rebuild stops it."""

from __future__ import annotations

import os
import queue
import tempfile
import time
from pathlib import Path

import pytest

from generator.speed.background import Background, Fence


def test_the_job_runs_elsewhere_and_its_result_comes_back() -> None:
    results: queue.Queue[object] = queue.Queue()
    background = Background()
    background.start(lambda fence: os.getpid(), results.put, near=Path(tempfile.mkdtemp()))
    assert results.get(timeout=30) != os.getpid()
    assert not background.running


def test_a_job_that_fails_reports_none() -> None:
    results: queue.Queue[object] = queue.Queue()

    def fails(fence: Fence) -> int:
        raise RuntimeError("broken")

    Background().start(fails, results.put, near=Path(tempfile.mkdtemp()))
    assert results.get(timeout=30) is None


def test_stopping_ends_the_job_at_once_and_drops_its_result(tmp_path: Path) -> None:
    results: queue.Queue[object] = queue.Queue()
    marker = tmp_path / "finished"

    def slow(fence: Fence) -> str:
        time.sleep(30)
        marker.write_text("it ran to the end")
        return "late"

    background = Background()
    background.start(slow, results.put, near=tmp_path / "site")
    time.sleep(0.2)
    started = time.monotonic()
    background.stop()
    assert time.monotonic() - started < 5
    assert not background.running
    time.sleep(0.2)
    assert results.empty()
    assert not marker.exists()


def test_a_new_job_replaces_the_running_one() -> None:
    results: queue.Queue[object] = queue.Queue()
    background = Background()
    near = Path(tempfile.mkdtemp())
    background.start(lambda fence: time.sleep(30), results.put, near=near)
    background.start(lambda fence: "second", results.put, near=near)
    assert results.get(timeout=30) == "second"
    assert results.empty()


def test_once_stopped_the_job_puts_nothing_more_in_place(tmp_path: Path) -> None:
    """The fence: a stopped job that is still running cannot write over a newer rebuild,
    and what it staged goes with it."""
    site = tmp_path / "site"
    site.mkdir()
    target = site / "page.html"
    target.write_text("newer rebuild")
    started = tmp_path / "started"

    def writes_forever(fence: Fence) -> None:
        n = 0
        while True:
            partial = fence.partial_for(target)
            partial.write_text(f"stale {n}")
            if n == 0:
                started.write_text("")
            fence.replace(partial, target)
            n += 1

    background = Background()
    background.start(writes_forever, lambda value: None, near=site)
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.exists()
    background.stop()
    target.write_text("newer rebuild")
    time.sleep(0.5)
    assert target.read_text() == "newer rebuild"
    deadline = time.monotonic() + 10
    while list(tmp_path.glob(".factsheet-background-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.glob(".factsheet-background-*"))  # staging removed


def test_a_closed_fence_lets_nothing_through(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    target = site / "page.html"
    fence = Fence(site)
    fence.close()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the job's process
        partial = fence.partial_for(target)
        partial.write_text("stale")
        fence.replace(partial, target)  # ends the process, having renamed nothing
        os._exit(3)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not target.exists()
    fence.remove()
    assert not fence.staging.exists()


def test_a_follow_up_that_could_not_finish_asks_for_the_full_rebuild(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The preview's follow-up says False (a problem, a change the fast path cannot make)
    or dies: the next rebuild is the full one, and it is asked for at once."""
    from generator.site import mkdocs_internals
    from generator.site.plugin import FactsheetPlugin

    asked: list[object] = []
    monkeypatch.setattr(mkdocs_internals, "ask_for_rebuild", asked.append)
    plugin = FactsheetPlugin()
    server = object()
    plugin.server = server  # type: ignore[assignment]
    plugin._followed_up(True)
    assert not plugin.needs_full and asked == []
    for outcome in (False, None):
        plugin.needs_full = False
        plugin._followed_up(outcome)
        assert plugin.needs_full
        assert asked.pop() is server


def test_closing_the_fence_of_a_job_that_has_ended(tmp_path: Path) -> None:
    fence = Fence(tmp_path / "site")
    fence.remove()  # the job ended, its staging went, as a rebuild stops it
    fence.close()
    assert fence.stopped[0] == 1

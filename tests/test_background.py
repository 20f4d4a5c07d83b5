"""The preview's follow-up runs in a forked process, and a newer rebuild stops it."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

from generator.speed.background import Background


def test_the_job_runs_elsewhere_and_its_result_comes_back() -> None:
    results: queue.Queue[object] = queue.Queue()
    background = Background()
    background.start(os.getpid, results.put)
    assert results.get(timeout=30) != os.getpid()
    assert not background.running


def test_a_job_that_fails_reports_none() -> None:
    results: queue.Queue[object] = queue.Queue()

    def fails() -> int:
        raise RuntimeError("broken")

    Background().start(fails, results.put)
    assert results.get(timeout=30) is None


def test_stopping_ends_the_job_at_once_and_drops_its_result(tmp_path: Path) -> None:
    results: queue.Queue[object] = queue.Queue()
    marker = tmp_path / "finished"

    def slow() -> str:
        time.sleep(30)
        marker.write_text("it ran to the end")
        return "late"

    background = Background()
    background.start(slow, results.put)
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
    background.start(lambda: time.sleep(30), results.put)
    background.start(lambda: "second", results.put)
    assert results.get(timeout=30) == "second"
    assert results.empty()

"""Rendering pages on several cores gives the same site, byte for byte, as a serial build."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_atomic_build import snapshot


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic project of 400 facts (2 sheets, 40 sources), as the benchmark makes them."""
    root = tmp_path_factory.mktemp("synthetic")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench/make_content.py"), "400", str(root / "content")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return root


def build_with(
    project: Path, out: Path, options: str = "", env: dict[str, str] | None = None
) -> str:
    """``factsheet build -v`` of ``project`` into ``out`` with these plugin ``options`` (YAML
    lines under ``- factsheet:``) and environment; returns what it logged."""
    config = project / f"mkdocs-{out.name}.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("  - factsheet\n", "  - factsheet:\n" + options), "utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "-v",
            "-f",
            str(config),
            "--site-dir",
            str(out),
        ],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def build(project: Path, out: Path, jobs: int, lift: bool = True) -> str:
    options = f"      jobs: {jobs}\n      raw_html_bypasses_markdown: {str(lift).lower()}\n"
    return build_with(project, out, options)


def test_parallel_build_is_identical_to_serial(synthetic: Path, tmp_path: Path) -> None:
    """Workers, and raw HTML blocks set aside during conversion, change nothing in the site."""
    assert "  - factsheet\n" in (synthetic / "mkdocs.yml").read_text(encoding="utf-8")
    build(synthetic, tmp_path / "serial", jobs=1, lift=False)
    log = build(synthetic, tmp_path / "parallel", jobs=2)
    assert "pages were rendered by worker processes" in log
    reused = int(log.split(" pages were rendered by worker processes")[0].split()[-1])
    here = int(log.split(" by the main process")[0].split()[-1])
    # 49 pages (home, 3 per sheet, 40 sources and their index, format) and a page of its
    # own for each fact: the worker renders about two thirds of the Markdown, the main
    # process the rest
    fact_pages = len(list((tmp_path / "serial" / "sheets").glob("*/facts/*/index.html")))
    assert fact_pages == 400
    assert reused + here == 49 + fact_pages
    assert reused > 20 and here > 5
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")


def test_broken_links_still_fail_a_parallel_strict_build(synthetic: Path, tmp_path: Path) -> None:
    """Warnings logged while a worker renders are replayed, so strict builds still stop."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(synthetic, project, ignore=shutil.ignore_patterns("site*"))
    template = project / "templates/source.md.j2"
    template.write_text(template.read_text("utf-8") + "\n[gone](no-such-page.md)\n", "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  - factsheet\n", "  - factsheet:\n      jobs: 2\n"),
        "utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1
    assert "no-such-page.md" in proc.stderr
    assert "MkDocs stopped the build" in proc.stderr


def test_in_child_runs_the_task_in_another_process_and_returns_its_result() -> None:
    from generator.speed.parallel import in_child

    def task() -> tuple[int, list[str]]:
        grown = ["x" * 1000 for _ in range(1000)]  # goes with the child
        return os.getpid(), grown[:2]

    pid, some = in_child(task)
    assert pid != os.getpid()
    assert some == ["x" * 1000] * 2


@pytest.fixture
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty temporary directory for this test alone, as :mod:`tempfile`'s default: what
    is left there is this test's (the shared one has other processes' files)."""
    folder = tmp_path / "tempdir"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_in_child_runs_a_failing_task_here_so_its_error_surfaces(own_tempdir: Path) -> None:
    from generator.speed.parallel import in_child

    pids: list[int] = []

    def task() -> None:
        pids.append(os.getpid())  # the child's list is its own: only this one stays
        raise ValueError("the content directory is gone")

    with pytest.raises(ValueError, match="content directory is gone"):
        in_child(task)
    assert pids == [os.getpid()]
    assert not list(own_tempdir.iterdir())  # the worker's result folder is removed


def test_fork_map_stops_its_workers_when_its_own_share_fails(
    tmp_path: Path, own_tempdir: Path
) -> None:
    # a template error in the main process's share: the workers are stopped and reaped,
    # and their result files removed (they were left in the temporary directory)
    import time

    from generator.speed.parallel import fork_map

    told = tmp_path / "worker-pid"

    def fail() -> None:
        deadline = time.monotonic() + 30
        while not told.exists():  # the worker is running
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # the worker's result folder is in this test's own temporary directory
        assert [p.name[:15] for p in own_tempdir.iterdir()] == ["factsheet-task-"]
        raise ValueError("template error")

    def work() -> None:
        told.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(60)

    with pytest.raises(ValueError, match="template error"):
        fork_map([fail, work], 2)
    worker = int(told.read_text(encoding="utf-8"))
    with pytest.raises(ProcessLookupError):  # gone, not left as a zombie
        os.kill(worker, 0)
    assert not list(own_tempdir.iterdir())


def test_the_old_option_name_lift_still_works_with_a_warning() -> None:
    """``lift`` was renamed ``raw_html_bypasses_markdown``: old configurations keep working."""
    from generator.site.plugin import FactsheetConfig

    config = FactsheetConfig()
    config.load_dict({"lift": False})
    errors, warnings = config.validate()
    assert errors == []
    assert config.raw_html_bypasses_markdown is False
    assert any("lift" in w and "raw_html_bypasses_markdown" in w for _, w in warnings), warnings


def test_a_worker_hands_values_back_in_order_and_reads_what_it_is_sent() -> None:
    from generator.speed.parallel import Inbox, Outbox, Worker, WorkerFailed

    def echo(inbox: Inbox, out: Outbox) -> None:
        out.put(os.getpid())
        for line in inbox.lines():
            out.put(line.upper())

    with Worker(echo, inbox=True) as worker:
        assert worker.take() == worker.pid != os.getpid()
        assert worker.send(b"one\n") and worker.send(b"two\n")
        worker.end_inbox()
        assert [worker.take(), worker.take()] == ["ONE", "TWO"]
        with pytest.raises(WorkerFailed):  # it ended: nothing more comes
            worker.take()
        assert worker.wait()
        folder = worker.folder
    assert not folder.exists()


def test_a_worker_is_ended_and_reaped_when_its_caller_raises() -> None:
    import time

    from generator.speed.parallel import Inbox, Outbox, Worker

    def sleep(inbox: Inbox, out: Outbox) -> None:
        out.put("started")
        time.sleep(60)

    with pytest.raises(RuntimeError, match="the caller failed"), Worker(sleep) as worker:
        assert worker.take() == "started"
        raise RuntimeError("the caller failed")
    with pytest.raises(ProcessLookupError):  # gone, not left as a zombie
        os.kill(worker.pid, 0)
    assert not worker.folder.exists()

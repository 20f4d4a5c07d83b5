"""Work on other cores: forked processes that see the caller's objects.

:func:`fork_map` runs a list of tasks in forked processes, :func:`in_child` runs one
task in a child (so that its memory is returned when it ends); results come back as
pickles in temporary files (:func:`dump`, :func:`load`). Serial where ``os.fork`` does
not exist. MkDocs' page rendering is spread the same way by
:mod:`generator.speed.pagerender`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast


def default_jobs() -> int:
    """Worker processes to use: the available cores, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def dump(value: Any, path: Path) -> None:
    """Pickle into a file as it goes (a share of pages is hundreds of megabytes at 100k)."""
    with open(path, "wb") as out:
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: Path) -> Any:
    """What :func:`dump` wrote, read as it goes."""
    with open(path, "rb") as data:
        return pickle.load(data)


T = TypeVar("T")


def in_child(task: Callable[[], T]) -> T:
    """Run ``task`` in a forked process and return what it returned (pickled via a file).

    Whatever the task allocated on the way goes when that process ends: a build runs the
    generator this way, so its model and views are not held while MkDocs runs. Where
    fork is unavailable, or the process fails, the task runs here instead (an error then
    surfaces as usual).
    """
    if not hasattr(os, "fork"):
        return task()
    ok, value = _finish(*_start(task, "factsheet-result-"))
    return cast(T, value) if ok else task()


def _start(compute: Callable[[], Any], prefix: str) -> tuple[int, Path]:
    """Fork a process that pickles ``compute()`` into a new file: its pid and the file."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".pickle")
    os.close(fd)
    out = Path(name)
    sys.stdout.flush()  # or the child would write again what is buffered
    sys.stderr.flush()
    try:
        pid = os.fork()
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            dump(compute(), out)
        except BaseException:
            code = 1
        finally:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    return pid, out


def _finish(pid: int, out: Path) -> tuple[bool, Any]:
    """Wait for a process :func:`_start` forked: (True, its value), or (False, None) if it
    failed. Its file is removed either way."""
    try:
        _, status = os.waitpid(pid, 0)
        return (True, load(out)) if status == 0 else (False, None)
    finally:
        out.unlink(missing_ok=True)


def fork_map(tasks: list[Callable[[], Any]], jobs: int) -> list[Any]:
    """Run ``tasks`` in up to ``jobs`` processes (forked, so they see the caller's objects).

    The main process runs one share itself; the results come back in order. Tasks
    must return picklable values. Serial when ``jobs`` < 2 or fork is unavailable.
    """
    if jobs < 2 or not hasattr(os, "fork") or len(tasks) < 2:
        return [task() for task in tasks]
    shares = [list(range(i, len(tasks), jobs)) for i in range(jobs)]
    children = [
        (share, *_start(functools.partial(_run_share, tasks, share), "factsheet-task-"))
        for share in shares[1:]
    ]
    results: list[Any] = [None] * len(tasks)
    try:
        for i in shares[0]:
            results[i] = tasks[i]()
    except BaseException:  # a template error, say: the workers' results are not wanted
        for _, pid, out in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            _finish(pid, out)  # reaped, and its file removed
        raise
    for share, pid, out in children:
        ok, values = _finish(pid, out)
        if ok:
            for i, value in zip(share, values, strict=True):
                results[i] = value
        else:  # a worker failed: do its share here, so errors surface normally
            for i in share:
                results[i] = tasks[i]()
    return results


def _run_share(tasks: list[Callable[[], Any]], share: list[int]) -> list[Any]:
    return [tasks[i]() for i in share]

"""Render a build's Markdown pages on several cores, with output identical to a serial build.

MkDocs turns Markdown into HTML one page at a time, and that is most of a large
build.  Before MkDocs starts reading pages, :class:`PageRenderer` forks worker
processes (they inherit the configuration, the files and the pages as they are
at that moment) that run MkDocs' own ``Page.render`` on a share of the pages and
hand back what it produced: the HTML, the table of contents, the title and the
anchors, one run of pages at a time.  The main process renders the other share
itself as MkDocs' loop reaches it.  A page is taken from a worker if, and only if,
its Markdown is exactly the one the worker rendered; otherwise it is rendered as
usual.  Plugin events still run once, in the main process, in MkDocs' order.

Only used for builds (``fork`` is not safe next to the preview server's threads)
and only where ``os.fork`` exists.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page


def default_jobs() -> int:
    """Worker processes to use: the available cores, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


@dataclass
class _Rendered:
    digest: str
    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None
    logged: list[tuple[str, int, str]]
    """What MkDocs logged while rendering (broken links...), replayed in the main process."""


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


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

    Whatever the task allocated on the way goes when that process ends: a build runs
    the generator this way, so its model and views (over a gigabyte at 100,000 facts)
    are not held while MkDocs runs. Where fork is unavailable, or the process fails, the
    task runs here instead (an error then surfaces as usual).
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


def _digest(markdown: str) -> str:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).hexdigest()


MAIN_SHARE = 0.5
"""The main process renders runs of pages half the size of a worker's: besides its own
pages it does every page's plugin events (setting raw HTML back in, keeping the HTML
aside) and, once all pages are read, all of the theme rendering."""

RUNS_PER_PROCESS = 8
"""Runs of pages per process: small enough that the main process rarely waits for a
worker's run, large enough that each run is one file written and read."""


@dataclass
class _Worker:
    pid: int
    pipe: int
    """Read end of a pipe on which the worker writes one byte per run it has finished."""
    folder: Path
    """Where the worker writes each finished run (``0``, ``1``...) as a pickle."""
    finished: int = 0
    taken: int = 0
    failed: bool = False


class PageRenderer:
    """Renders pages in forked workers while MkDocs' own loop renders the rest.

    The pages are cut, in MkDocs' reading order, into runs of about equal Markdown
    size, dealt in turn to the main process and to each worker (``jobs`` - 1 of them).
    A worker renders its runs in order and writes each one to a file as soon as it is
    done (announced with a byte on a pipe), so the main process, which renders its own
    runs as MkDocs reaches them, takes a worker's pages as they come instead of waiting
    for its whole share. A worker that fails leaves its pages to the main process.
    """

    def __init__(self, config: MkDocsConfig, files: Files, jobs: int) -> None:
        self.config = config
        self.files = files
        self.jobs = jobs
        self.results: dict[str, _Rendered] = {}
        self.workers: list[_Worker] = []
        self.runs: dict[str, tuple[_Worker, int]] = {}
        """Page -> the worker rendering it, and which of that worker's runs it is in."""
        self.reused = 0
        self.own = 0
        """Pages the main process rendered itself."""

    def start(self, pages: list[File], prepare: Callable[[Page], str]) -> None:
        """Fork the workers, each rendering its runs of ``pages``.

        ``prepare(page)`` returns the page's Markdown as MkDocs would render it (source read
        and ``page_markdown`` events applied); in a worker its side effects are discarded.
        """
        if self.jobs < 2 or not hasattr(os, "fork") or len(pages) < 2 * self.jobs:
            return
        runs = _runs(pages, self.jobs)
        for index in range(1, self.jobs):
            mine = runs[index :: self.jobs]
            if not mine:
                continue
            read_end, write_end = os.pipe()
            folder = Path(tempfile.mkdtemp(prefix="factsheet-render-"))
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker
                os.close(read_end)
                self._work(mine, prepare, folder, write_end)
            os.close(write_end)
            worker = _Worker(pid, read_end, folder)
            self.workers.append(worker)
            for number, run in enumerate(mine):
                for file in run:
                    self.runs[file.src_uri] = (worker, number)

    def _work(
        self, runs: list[list[File]], prepare: Callable[[Page], str], folder: Path, done: int
    ) -> None:  # pragma: no cover - runs in the worker
        code = 0
        try:
            logger = logging.getLogger("mkdocs")
            capture = _Capture()
            logger.handlers[:] = [capture]
            logger.propagate = False
            for number, run in enumerate(runs):
                rendered = {f.src_uri: self._render(f, prepare, capture) for f in run}
                dump(rendered, folder / str(number))
                os.write(done, b".")
        except BaseException:
            code = 1
        finally:
            os._exit(code)

    def _render(self, file: File, prepare: Callable[[Page], str], capture: _Capture) -> _Rendered:
        page = file.page if file.page is not None else Page(None, file, self.config)
        self.config._current_page = page
        capture.records = []
        markdown = prepare(page)
        page.render(self.config, self.files)
        links = None
        if page.links_to_anchors is not None:
            links = {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()}
        rendered = _Rendered(
            _digest(markdown),
            page.content or "",
            page.toc,
            page._title_from_render,
            page.present_anchor_ids,
            links,
            capture.records,
        )
        page.markdown = page.content = None  # this process is done with the page
        return rendered

    def _collect(self, worker: _Worker, number: int) -> None:
        """Wait for the worker to finish run ``number``; take in the runs it has finished."""
        while worker.finished <= number and not worker.failed:
            announced = os.read(worker.pipe, 64)
            if not announced:  # it exited before finishing: the rest is rendered here
                worker.failed = True
            worker.finished += len(announced)
        while worker.taken < worker.finished:
            run = worker.folder / str(worker.taken)
            self.results.update(load(run))
            run.unlink()
            worker.taken += 1

    def apply(self, page: Page) -> bool:
        """Set the page's rendering from a worker; False when it must be rendered here."""
        uri = page.file.src_uri
        if uri not in self.results and uri in self.runs:
            worker, number = self.runs[uri]
            self._collect(worker, number)
        found = self.results.pop(uri, None)
        if found is None or page.markdown is None or found.digest != _digest(page.markdown):
            self.own += 1
            return False
        page.content = found.content
        page.toc = found.toc
        page._title_from_render = found.title
        page.present_anchor_ids = found.anchors
        if found.links is not None:
            by_uri = self.files.src_uris
            page.links_to_anchors = {by_uri[k]: v for k, v in found.links.items() if k in by_uri}
        for name, level, message in found.logged:
            logging.getLogger(name).log(level, message)
        self.reused += 1
        return True

    def close(self) -> None:
        """Reap the workers and remove what they wrote (the rest of a failed build's)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                os.close(worker.pipe)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
            shutil.rmtree(worker.folder, ignore_errors=True)
        self.workers.clear()


def _runs(pages: list[File], jobs: int) -> list[list[File]]:
    """Consecutive runs of pages, for the main process and the workers in turn.

    Runs are cut by Markdown size: a worker's run is 1/(jobs x RUNS_PER_PROCESS) of the
    whole, the main process's :data:`MAIN_SHARE` of that. Run ``i`` is for process
    ``i % jobs`` (0 is the main process).
    """
    sizes = [_size(f) for f in pages]
    whole = sum(sizes)
    full = max(1.0, whole / (jobs * RUNS_PER_PROCESS))
    runs: list[list[File]] = [[]]
    filled = 0
    for file, size in zip(pages, sizes, strict=True):
        target = full * (MAIN_SHARE if (len(runs) - 1) % jobs == 0 else 1.0)
        if runs[-1] and filled + size / 2 > target:
            runs.append([])
            filled = 0
        runs[-1].append(file)
        filled += size
    return runs


def _size(file: File) -> int:
    """A page's Markdown size, without reading a page that is on disk."""
    if file.abs_src_path is not None:
        with contextlib.suppress(OSError):
            return os.path.getsize(file.abs_src_path)
        return 1
    return len(file.content_string) if file.generated_by else 1


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

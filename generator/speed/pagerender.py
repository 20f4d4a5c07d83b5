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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.site import mkdocs_internals
from generator.speed.parallel import Inbox, Outbox, Worker, WorkerFailed


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


def _digest(markdown: str) -> str:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).hexdigest()


MAIN_SHARE = 0.5
"""The main process renders runs of pages half the size of a worker's: besides its own
pages it does every page's plugin events (setting raw HTML back in, keeping the HTML
aside) and, once all pages are read, all of the theme rendering."""

RUNS_PER_PROCESS = 8
"""Runs of pages per process: small enough that the main process rarely waits for a
worker's run, large enough that each run is one file written and read."""


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
        self.workers: list[Worker] = []
        self.runs: dict[str, tuple[Worker, int]] = {}
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
            work = functools.partial(self._work, mine, prepare)
            worker = Worker(work, prefix="factsheet-render-")
            self.workers.append(worker)
            for number, run in enumerate(mine):
                for file in run:
                    self.runs[file.src_uri] = (worker, number)

    def _work(
        self, runs: list[list[File]], prepare: Callable[[Page], str], inbox: Inbox, out: Outbox
    ) -> None:  # pragma: no cover - runs in the worker
        logger = logging.getLogger("mkdocs")
        capture = _Capture()
        logger.handlers[:] = [capture]
        logger.propagate = False
        for run in runs:
            out.put({f.src_uri: self._render(f, prepare, capture) for f in run})

    def _render(self, file: File, prepare: Callable[[Page], str], capture: _Capture) -> _Rendered:
        page = file.page if file.page is not None else Page(None, file, self.config)
        mkdocs_internals.set_current_page(self.config, page)
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
            mkdocs_internals.rendered_title(page),
            page.present_anchor_ids,
            links,
            capture.records,
        )
        page.markdown = page.content = None  # this process is done with the page
        return rendered

    def _collect(self, worker: Worker, number: int) -> None:
        """Take in the worker's runs up to run ``number``, waiting for them (a worker that
        ended before leaves the rest of its pages to be rendered here)."""
        while worker.taken <= number:
            try:
                self.results.update(worker.take())
            except WorkerFailed:
                return

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
        mkdocs_internals.set_rendered_title(page, found.title)
        page.present_anchor_ids = found.anchors
        if found.links is not None:
            by_uri = self.files.src_uris
            page.links_to_anchors = {by_uri[k]: v for k, v in found.links.items() if k in by_uri}
        for name, level, message in found.logged:
            logging.getLogger(name).log(level, message)
        self.reused += 1
        return True

    def close(self) -> None:
        """End and reap the workers and remove what they wrote (the rest of a failed build's)."""
        for worker in self.workers:
            worker.close()
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

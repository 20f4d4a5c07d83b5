"""Render a build's Markdown pages on several cores, with output identical to a serial build.

MkDocs turns Markdown into HTML one page at a time, and that is most of a large
build.  Before MkDocs starts reading pages, :class:`PageRenderer` forks worker
processes (they inherit the configuration, the files and the pages as they are
at that moment) that run MkDocs' own ``Page.render`` on a share of the pages and
hand back what it produced: the HTML, the table of contents, the title and the
anchors.  When MkDocs then renders a page in the main process, the result is
taken from the workers if, and only if, the page's Markdown is exactly the one
the worker rendered; otherwise the page is rendered as usual.  Plugin events
still run once, in the main process, in MkDocs' order.

Only used for builds (``fork`` is not safe next to the preview server's threads)
and only where ``os.fork`` exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _digest(markdown: str) -> str:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).hexdigest()


class PageRenderer:
    """Forks workers that render a share of the pages ahead of MkDocs' own loop."""

    def __init__(self, config: MkDocsConfig, files: Files, jobs: int) -> None:
        self.config = config
        self.files = files
        self.jobs = jobs
        self.results: dict[str, _Rendered] = {}
        self.pending: list[tuple[int, Path, set[str]]] = []
        self.reused = 0

    def start(self, pages: list[File], prepare: Callable[[Page], str]) -> None:
        """Fork one worker per job, each rendering a share of ``pages`` of about equal size.

        ``prepare(page)`` returns the page's Markdown as MkDocs would render it (source read
        and ``page_markdown`` events applied); in a worker its side effects are discarded.
        """
        if self.jobs < 2 or not hasattr(os, "fork") or len(pages) < 2 * self.jobs:
            return
        shares = _split(pages, self.jobs)
        for share in shares:
            fd, name = tempfile.mkstemp(prefix="factsheet-render-", suffix=".pickle")
            os.close(fd)
            out = Path(name)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker
                code = 0
                try:
                    logger = logging.getLogger("mkdocs")
                    capture = _Capture()
                    logger.handlers[:] = [capture]
                    logger.propagate = False
                    rendered = {f.src_uri: self._render(f, prepare, capture) for f in share}
                    out.write_bytes(pickle.dumps(rendered, protocol=pickle.HIGHEST_PROTOCOL))
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            self.pending.append((pid, out, {f.src_uri for f in share}))

    def _render(self, file: File, prepare: Callable[[Page], str], capture: _Capture) -> _Rendered:
        page = file.page if file.page is not None else Page(None, file, self.config)
        self.config._current_page = page
        capture.records = []
        markdown = prepare(page)
        page.render(self.config, self.files)
        links = None
        if page.links_to_anchors is not None:
            links = {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()}
        return _Rendered(
            _digest(markdown),
            page.content or "",
            page.toc,
            page._title_from_render,
            page.present_anchor_ids,
            links,
            capture.records,
        )

    def _collect(self, src_uri: str) -> None:
        for index, (pid, out, uris) in enumerate(self.pending):
            if src_uri in uris:
                _, status = os.waitpid(pid, 0)
                try:
                    if status == 0:
                        self.results.update(pickle.loads(out.read_bytes()))
                finally:
                    out.unlink(missing_ok=True)
                del self.pending[index]
                return

    def apply(self, page: Page) -> bool:
        """Set the page's rendering from a worker; False when it must be rendered here."""
        uri = page.file.src_uri
        if uri not in self.results:
            self._collect(uri)
        found = self.results.pop(uri, None)
        if found is None or page.markdown is None or found.digest != _digest(page.markdown):
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
        """Reap any worker whose pages were never asked for (a failed build)."""
        for pid, out, _ in self.pending:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            out.unlink(missing_ok=True)
        self.pending.clear()


def _split(pages: list[File], jobs: int) -> list[list[File]]:
    """Shares of about equal Markdown size: largest pages first, each to the lightest share."""
    sized = sorted(
        (
            (len(f.content_string) if f.generated_by else 1, index, f)
            for index, f in enumerate(pages)
        ),
        key=lambda t: (-t[0], t[1]),
    )
    loads = [0] * jobs
    shares: list[list[tuple[int, File]]] = [[] for _ in range(jobs)]
    for size, index, file in sized:
        lightest = loads.index(min(loads))
        shares[lightest].append((index, file))
        loads[lightest] += size
    # each worker renders its pages in MkDocs' reading order
    return [[f for _, f in sorted(share, key=lambda t: t[0])] for share in shares if share]


def fork_map(tasks: list[Callable[[], Any]], jobs: int) -> list[Any]:
    """Run ``tasks`` in up to ``jobs`` processes (forked, so they see the caller's objects).

    The main process runs one share itself; the results come back in order. Tasks
    must return picklable values. Serial when ``jobs`` < 2 or fork is unavailable.
    """
    if jobs < 2 or not hasattr(os, "fork") or len(tasks) < 2:
        return [task() for task in tasks]
    shares = [list(range(i, len(tasks), jobs)) for i in range(jobs)]
    children: list[tuple[int, Path, list[int]]] = []
    for share in shares[1:]:
        fd, name = tempfile.mkstemp(prefix="factsheet-task-", suffix=".pickle")
        os.close(fd)
        out = Path(name)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the worker
            code = 0
            try:
                done = [tasks[i]() for i in share]
                out.write_bytes(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        children.append((pid, out, share))
    results: list[Any] = [None] * len(tasks)
    for i in shares[0]:
        results[i] = tasks[i]()
    failed = False
    for pid, out, share in children:
        _, status = os.waitpid(pid, 0)
        try:
            if status == 0:
                for i, value in zip(share, pickle.loads(out.read_bytes()), strict=True):
                    results[i] = value
            else:
                failed = True
        finally:
            out.unlink(missing_ok=True)
        if failed:  # a worker failed: do its share here, so errors surface normally
            for i in share:
                results[i] = tasks[i]()
            failed = False
    return results

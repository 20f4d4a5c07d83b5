"""Check built pages with the sanitiser in another process while MkDocs writes the rest.

MkDocs renders the theme around each page and writes it on one core, after the
Markdown of every page has been converted; the sanitiser's check of the built site
(:func:`generator.site.sanitize.check_site`) used to wait for the whole site. In a build,
the plugin now starts a :class:`CheckAsWritten` process when the theme loop begins
and names each page to it once MkDocs has written it; the process checks it there and
then, on the core MkDocs leaves idle. When MkDocs is done the process is stopped, and
:func:`check_site` is given what it found: it checks the rest (pages not reached yet,
the 404 page) on every core. The findings are those of
:func:`generator.site.sanitize.check_page` on the same file either way.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path

from generator.site.sanitize import Finding, check_file
from generator.speed.parallel import Inbox, Outbox, Worker, WorkerFailed


class CheckAsWritten:
    """A worker process (:class:`generator.speed.parallel.Worker`) that checks the pages
    it is told have been written."""

    def __init__(self, site_dir: str | os.PathLike[str]) -> None:
        self.site_dir = Path(site_dir)
        self.worker = Worker(self._work, inbox=True, prefix="factsheet-check-")
        # MkDocs must never wait for this process: names it cannot take yet are kept here
        self.unsent: deque[bytes] = deque()

    def _work(self, inbox: Inbox, out: Outbox) -> None:  # pragma: no cover - in the worker
        found: dict[str, list[Finding]] = {}
        for rel in inbox.lines():
            if inbox.stopping:
                break
            path = self.site_dir / rel
            if path.is_file():
                found[rel] = check_file(path)
        out.put(found)

    def written(self, rel: str) -> None:
        """``rel`` (a path under the site directory) is written and will not change."""
        self.unsent.append(rel.encode("utf-8") + b"\n")
        self._send()

    def _send(self) -> None:
        # each name goes in one write of under PIPE_BUF bytes, so it is never cut in two
        while self.unsent and self.worker.send(self.unsent[0]):
            self.unsent.popleft()

    def finish(self, *, stop: bool = True) -> dict[str, list[Finding]]:
        """Stop, and return what was checked by then (by page; nothing if the process failed).

        Pages named but not reached are left to :func:`check_site`, which checks them on
        every core: once MkDocs is done, this process is no longer the only one free.
        With ``stop=False`` every page named is checked first.
        """
        with self.worker:
            if not stop:
                while self.unsent:
                    self.worker.send_waiting(self.unsent.popleft())
            self.worker.end_inbox()
            if stop:
                self.worker.stop()
            try:
                found: dict[str, list[Finding]] = self.worker.take()
            except WorkerFailed:
                return {}
            return found if self.worker.wait() else {}

    def abandon(self) -> None:
        """Stop checking (the build failed)."""
        self.worker.close()

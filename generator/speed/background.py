"""One job at a time in a forked process, stopped as soon as a newer one makes it moot.

The preview serves an edited sheet's pages from that sheet alone
(:mod:`generator.speed.scoped`), then brings the rest of the site up to date with a full
incremental run. That run takes seconds on a large site, and the next save must not wait
for it: :class:`Background` runs it in a forked process (a :class:`~generator.speed.
parallel.Worker`, which sees the preview's memos and MkDocs' state as they were, and
writes the site's files as the preview would), and :meth:`Background.stop` ends it the
moment the next rebuild starts. Files are written whole (renamed into place), so a
stopped run leaves each file old or new, never cut; the next run writes what is still
old.
"""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable
from typing import Any

from generator.speed.parallel import Inbox, Outbox, Worker


class Background:
    """Runs a job in a forked process; ``done`` hears its result (None: it did not end
    well), unless the job was stopped first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worker: Worker | None = None
        self.waiter: threading.Thread | None = None

    def start(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Stop the running job, if any, and start this one."""
        self.stop()
        worker = Worker(functools.partial(_run, job), prefix="factsheet-background-")
        waiter = threading.Thread(target=self._wait, args=(worker, done), daemon=True)
        with self.lock:
            self.worker, self.waiter = worker, waiter
        waiter.start()

    @property
    def running(self) -> bool:
        with self.lock:
            return self.worker is not None

    def _wait(self, worker: Worker, done: Callable[[Any], None]) -> None:
        try:
            value = worker.take()
        except Exception:  # ended without a result: stopped, or failed
            value = None
        worker.close()
        with self.lock:
            current = self.worker is worker
            if current:
                self.worker = self.waiter = None
        if current:
            done(value)

    def stop(self) -> None:
        """End the running job (its result is dropped) and wait until it has ended."""
        with self.lock:
            worker, waiter = self.worker, self.waiter
            self.worker = self.waiter = None
        if worker is not None:
            worker.stop(signal.SIGTERM)
        if waiter is not None and waiter is not threading.current_thread():
            waiter.join()


def _run(job: Callable[[], Any], inbox: Inbox, outbox: Outbox) -> None:
    # (runs in the forked process) stopping ends it at once: the command's own handlers,
    # which unwind the command, are not for this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    outbox.put(job())

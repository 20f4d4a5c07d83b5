"""One job at a time in a forked process, stopped as soon as a newer one makes it moot.

The preview serves an edited sheet's pages from that sheet alone
(:mod:`generator.speed.scoped`), then brings the rest of the site up to date with a full
incremental run. That run takes seconds on a large site, and the next save must not wait
for it: :class:`Background` runs it in a forked process (a :class:`~generator.speed.
parallel.Worker`, which sees the preview's memos and MkDocs' state as they were, and
writes the site's files as the preview would), and :meth:`Background.stop` stops it the
moment the next rebuild starts, without waiting for the process to end: a process
that holds gigabytes takes a while to go.

What makes that safe is the :class:`Fence` the job writes through: it writes each file
into a staging folder, then renames it into the site under a lock, having checked a
flag in memory it shares with the caller. :meth:`Fence.close` sets the flag and takes
the lock once: from then on the job puts nothing more in place, even while it is still
running, so a stopped run can never write over a newer rebuild. Its staging folder
goes when it has ended.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import mmap
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.speed.parallel import Inbox, Outbox, Worker


class Fence:
    """Lets a forked job put files in place until the caller closes it, and never after."""

    def __init__(self, near: Path) -> None:
        """Stage files next to ``near`` (on its file system, so that a rename moves them)."""
        near.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=".factsheet-background-", dir=near.parent))
        self.lock_path = self.staging / "lock"
        self.lock_path.touch()
        self.stopped = mmap.mmap(-1, 1)
        """Shared with the job's process: 1 once the caller closed the fence."""
        self.count = 0
        self.fd: int | None = None
        """The job's own descriptor of the lock file (``flock`` excludes by description)."""

    # -- in the job's process (generator.site.preview.Placing) --

    def partial_for(self, target: Path) -> Path:
        self.count += 1
        return self.staging / f"{self.count}.partial"

    def replace(self, partial: Path, target: Path) -> None:
        if self.fd is None:
            self.fd = os.open(self.lock_path, os.O_RDWR)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            if self.stopped[0]:
                os._exit(0)  # stopped: put nothing more in place, and end now
            try:
                os.replace(partial, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                shutil.move(partial, target)  # another file system after all
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    # -- in the caller --

    def close(self) -> None:
        """From when this returns, the job puts nothing more in place."""
        self.stopped[0] = 1
        try:
            fd = os.open(self.lock_path, os.O_RDWR)
        except FileNotFoundError:
            return  # the job has ended, and its staging folder is gone
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for a rename under way
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def remove(self) -> None:
        """The staging folder, once the job has ended."""
        shutil.rmtree(self.staging, ignore_errors=True)


Job = Callable[[Fence], Any]


class Background:
    """Runs a job in a forked process; ``done`` hears its result (None: it did not end
    well), unless the job was stopped first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worker: Worker | None = None
        self.fence: Fence | None = None
        self.timer: threading.Timer | None = None

    def start(
        self, job: Job, done: Callable[[Any], None], *, near: Path, delay: float = 0.0
    ) -> None:
        """Stop the running job, if any, and start this one in ``delay`` seconds (the
        fork copies the process's page tables: not while the browsers fetch the page)."""
        self.stop()
        timer = threading.Timer(delay, self._start, args=(job, done, near))
        timer.daemon = True
        with self.lock:
            self.timer = timer
        timer.start()

    def _start(self, job: Job, done: Callable[[Any], None], near: Path) -> None:
        with self.lock:
            if self.timer is not threading.current_thread():
                return  # stopped before it started
            self.timer = None
            fence = Fence(near)
            try:
                worker = Worker(functools.partial(_run, job, fence), prefix="factsheet-job-")
            except BaseException:
                fence.remove()
                raise
            self.worker, self.fence = worker, fence
        threading.Thread(target=self._wait, args=(worker, fence, done), daemon=True).start()

    @property
    def running(self) -> bool:
        with self.lock:
            return self.worker is not None or self.timer is not None

    def _wait(self, worker: Worker, fence: Fence, done: Callable[[Any], None]) -> None:
        try:
            value = worker.take()
        except Exception:  # ended without a result: stopped, or failed
            value = None
        worker.close()
        fence.remove()
        with self.lock:
            current = self.worker is worker
            if current:
                self.worker = self.fence = None
                done(value)  # under the lock: a rebuild starting now waits for it

    def stop(self) -> None:
        """Stop the job: once this returns it changes nothing more (its result is dropped;
        its process is ended and reaped in the background)."""
        with self.lock:
            timer, worker, fence = self.timer, self.worker, self.fence
            self.timer = self.worker = self.fence = None
            if timer is not None:
                timer.cancel()
            if fence is not None:
                fence.close()
            if worker is not None:
                worker.stop(signal.SIGKILL)


def _run(job: Job, fence: Fence, inbox: Inbox, outbox: Outbox) -> None:
    # (runs in the forked process) stopping ends it at once: the command's own handlers,
    # which unwind the command, are not for this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    with contextlib.suppress(AttributeError):
        os.nice(5)  # the preview's own process answers the browser first
    outbox.put(job(fence))

"""Work in other processes: the one place the generator starts them.

:class:`Worker` is the primitive: a forked process (it sees the caller's objects as
they were) that runs a function, hands values back (each pickled into a file of its
own, announced by a byte on a pipe: :meth:`Worker.take`), may be sent lines of text as
it works (:meth:`Worker.send`), and is stopped and reaped, its files removed, when the
caller closes it, whether the caller finished or raised (it is a context manager).
Everything else is built on it: :func:`in_child` (one task in a child, so that its
memory is returned when it ends), :func:`fork_map` (a list of tasks on several cores),
:class:`generator.speed.pagerender.PageRenderer` (MkDocs' page rendering) and
:class:`generator.speed.pagecheck.CheckAsWritten` (the sanitiser on pages as they are
written). Serial where ``os.fork`` does not exist.

:func:`detached` is the one exception, and starts a new interpreter instead: the
background deletion of a build's leftovers must outlive the command and its terminal
(a session of its own, not stopped by Ctrl-C), which a forked child of a process that
has MkDocs loaded should not be made to do.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

STOP = signal.SIGUSR1
"""Asks a worker to stop soon (:meth:`Worker.stop`); it sees it as :attr:`Inbox.stopping`."""


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


class WorkerFailed(Exception):
    """The worker ended without handing back the value asked for."""


class Inbox:
    """A worker's side of what its caller sends: lines of text, and whether to stop."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd
        self.stopping = False
        """Set when the caller asks the worker to stop (:data:`STOP`)."""

    def lines(self) -> Iterator[str]:
        """The lines sent, until the caller closes its end (without their newline)."""
        if self.fd is None:
            return
        with os.fdopen(self.fd, encoding="utf-8") as pipe:
            for line in pipe:
                yield line.rstrip("\n")


class Outbox:
    """A worker's side of what it hands back: values, each pickled into a file."""

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self.fd = fd
        self.count = 0

    def put(self, value: Any) -> None:
        dump(value, self.folder / str(self.count))
        self.count += 1
        os.write(self.fd, b".")


class Worker:
    """A forked process running ``work(inbox, outbox)`` (see the module's docstring).

    ``inbox``: whether the caller sends the worker lines (:meth:`send`). A worker that
    raises ends with status 1; what it put before stays available to :meth:`take`.
    """

    def __init__(
        self,
        work: Callable[[Inbox, Outbox], None],
        *,
        inbox: bool = False,
        prefix: str = "factsheet-worker-",
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.pid = 0
        self.pipe = -1
        self.inbox = -1
        self.announced = 0
        self.taken = 0
        self.ended = False
        self.status: int | None = None
        try:
            self._fork(work, inbox)
        except BaseException:
            self.close()
            raise

    def _fork(self, work: Callable[[Inbox, Outbox], None], inbox: bool) -> None:
        read_end, write_end = os.pipe()
        in_read, in_write = os.pipe() if inbox else (-1, -1)
        sys.stdout.flush()  # or the child would write again what is buffered
        sys.stderr.flush()
        # STOP stays blocked until the worker is ready for it
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {STOP})
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for fd in (read_end, write_end, in_read, in_write):
                if fd >= 0:
                    os.close(fd)
            raise
        if pid == 0:  # pragma: no cover - runs in the worker
            code = 0
            try:
                os.close(read_end)
                if in_write >= 0:
                    os.close(in_write)
                mailbox = Inbox(in_read if in_read >= 0 else None)

                def stop(signum: int, frame: object) -> None:
                    mailbox.stopping = True

                signal.signal(STOP, stop)
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                work(mailbox, Outbox(self.folder, write_end))
            except BaseException:
                code = 1
            finally:
                with contextlib.suppress(BaseException):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_end)
        if in_read >= 0:
            os.close(in_read)
            os.set_blocking(in_write, False)  # the caller never waits for the worker
        self.pid, self.pipe, self.inbox = pid, read_end, in_write

    def take(self) -> Any:
        """The next value the worker put, waiting for it (WorkerFailed: it ended first)."""
        while self.announced <= self.taken and not self.ended:
            got = os.read(self.pipe, 64)
            if not got:
                self.ended = True
            self.announced += len(got)
        if self.taken >= self.announced:
            raise WorkerFailed
        path = self.folder / str(self.taken)
        self.taken += 1
        try:
            return load(path)
        finally:
            path.unlink(missing_ok=True)

    def send(self, data: bytes) -> bool:
        """Send bytes (whole lines, each under ``PIPE_BUF``, so never cut in two) without
        waiting; False when the pipe is full (the worker is behind): send them later."""
        try:
            os.write(self.inbox, data)
        except BlockingIOError:
            return False
        return True

    def send_waiting(self, data: bytes) -> None:
        """Send bytes, waiting for the worker to make room."""
        os.set_blocking(self.inbox, True)
        os.write(self.inbox, data)

    def end_inbox(self) -> None:
        """No more lines: the worker's :meth:`Inbox.lines` ends."""
        if self.inbox >= 0:
            with contextlib.suppress(OSError):
                os.close(self.inbox)
            self.inbox = -1

    def stop(self, signum: int = STOP) -> None:
        """Ask the worker to stop (:data:`STOP`), or end it (``SIGTERM``)."""
        if self.pid and self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def wait(self) -> bool:
        """Wait for the worker to end; whether it ended well."""
        self.end_inbox()
        if self.pid and self.status is None:
            try:
                _, self.status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                self.status = -1
        return self.status == 0

    def close(self) -> None:
        """End the worker if it still runs, reap it, and remove what it wrote."""
        self.end_inbox()
        if self.pid and self.status is None:
            self.stop(signal.SIGTERM)
            self.wait()
        if self.pipe >= 0:
            with contextlib.suppress(OSError):
                os.close(self.pipe)
            self.pipe = -1
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _put(task: Callable[[], Any], inbox: Inbox, outbox: Outbox) -> None:
    outbox.put(task())


def detached(argv: list[str], keep_open: Sequence[int] = ()) -> subprocess.Popen[bytes] | None:
    """Start ``python argv...`` in a session of its own, outliving this process (None: it
    could not start). Only for work nothing waits for (see the module's docstring). It
    inherits the file descriptors ``keep_open`` (a lock it holds until it is done)."""
    try:
        return subprocess.Popen(
            [sys.executable, *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's Ctrl-C
            pass_fds=tuple(keep_open),
        )
    except OSError:
        return None


T = TypeVar("T")


def in_child(task: Callable[[], T]) -> T:
    """Run ``task`` in a forked process and return what it returned.

    Whatever the task allocated on the way goes when that process ends: a build runs the
    generator this way, so its model and views are not held while MkDocs runs. Where
    fork is unavailable, or the process fails, the task runs here instead (an error then
    surfaces as usual).
    """
    if not hasattr(os, "fork"):
        return task()
    with Worker(functools.partial(_put, task), prefix="factsheet-result-") as worker:
        try:
            value = worker.take()
        except WorkerFailed:
            worker.close()
            return task()
        return cast(T, value)


def fork_map(tasks: list[Callable[[], Any]], jobs: int) -> list[Any]:
    """Run ``tasks`` in up to ``jobs`` processes (forked, so they see the caller's objects).

    The main process runs one share itself; the results come back in order. Tasks
    must return picklable values. Serial when ``jobs`` < 2 or fork is unavailable. If the
    main process's share raises (a template error, say), the workers are ended first.
    """
    if jobs < 2 or not hasattr(os, "fork") or len(tasks) < 2:
        return [task() for task in tasks]
    shares = [list(range(i, len(tasks), jobs)) for i in range(jobs)]
    results: list[Any] = [None] * len(tasks)
    with contextlib.ExitStack() as stack:
        workers = [
            (
                share,
                stack.enter_context(
                    Worker(
                        functools.partial(_put, functools.partial(_run_share, tasks, share)),
                        prefix="factsheet-task-",
                    )
                ),
            )
            for share in shares[1:]
        ]
        for i in shares[0]:
            results[i] = tasks[i]()
        for share, worker in workers:
            try:
                values = worker.take()
            except WorkerFailed:  # do its share here, so errors surface normally
                worker.close()
                values = _run_share(tasks, share)
            for i, value in zip(share, values, strict=True):
                results[i] = value
    return results


def _run_share(tasks: list[Callable[[], Any]], share: list[int]) -> list[Any]:
    return [tasks[i]() for i in share]

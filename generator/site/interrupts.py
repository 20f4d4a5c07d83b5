"""Ctrl-C and SIGTERM: every worker process ends at once, then the command cleans up.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group; a supervisor
(``timeout``, a cancelled CI job, ``docker stop``, systemd) sends SIGTERM, to the group
or to the main process only. Either way, while :func:`stop_on_signals` is active:

- the main process ends every process it started in its session (the generator's
  child, page-rendering and page-checking workers, ``git``) with SIGKILL, and waits
  until they are gone, before anything else: nothing writes into the scratch directory
  while it is removed;
- then it raises :class:`KeyboardInterrupt` (SIGINT) or :class:`Terminated` (SIGTERM,
  a subclass, so that code which stops cleanly on Ctrl-C, like ``mkdocs serve``, does
  the same), and the ``finally`` blocks remove the scratch and leave the published
  site as it was; the command exits with 130 or 143 (128 + the signal's number);
- a second signal while that cleanup runs is not acted on (the cleanup would be cut
  short); SIGKILL still ends everything.

Forked workers get the signals' default action back (:func:`_after_fork`): on a
Ctrl-C they end silently instead of each printing a ``KeyboardInterrupt`` traceback.
A signal that was ignored when the command started (``nohup``, a background job of a
script) stays ignored. Processes in another session (the background deletion of
:mod:`generator.speed.discard`) are left to finish. Finding the workers reads
``/proc`` (Linux); elsewhere only the terminal's signal to the group reaches them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as on Ctrl-C, but exit with 143."""


def exit_status(exc: KeyboardInterrupt) -> int:
    """128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM."""
    return 128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)


_guarded: int | None = None
"""The pid of the process whose signals :func:`stop_on_signals` handles."""
_received: int | None = None


def received() -> int | None:
    """The signal that stopped the command, if one did (since :func:`stop_on_signals`)."""
    return _received


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Handle SIGINT and SIGTERM as the module says, in the main thread, until the end."""
    global _guarded, _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _worker:  # a worker runs a command's code (in a test, say): its parent handles signals
        yield
        return
    previous = {}
    for signum in SIGNALS:
        if signal.getsignal(signum) != signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _handler)
    _guarded, _received = os.getpid(), None
    try:
        yield
    finally:
        _guarded = None
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _handler(signum: int, frame: FrameType | None) -> None:
    global _received
    if os.getpid() != _guarded:  # a forked process that kept the handler: end as by default
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _received is not None:
        return  # cleaning up after the first one
    _received = signum
    stop_workers()
    if signum == signal.SIGTERM:
        raise Terminated()
    raise KeyboardInterrupt()


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done (two renames that must both happen)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


_forking_thread_is_main = False
_forking_pid = 0
_worker = False
"""A process forked (at any depth) from the one :func:`stop_on_signals` guards."""


def _before_fork() -> None:
    global _forking_thread_is_main, _forking_pid
    _forking_thread_is_main = threading.current_thread() is threading.main_thread()
    _forking_pid = os.getpid()


def _after_fork() -> None:
    """In a forked worker: the signals' default action (ends it at once), and it ends
    with its parent (``kill -9`` of the build's main process leaves no worker running)."""
    global _guarded, _worker
    if _guarded is None and not _worker:
        return
    _guarded, _worker = None, True
    for signum in SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signum) == _handler:
                signal.signal(signum, signal.SIG_DFL)
    if _forking_thread_is_main and sys.platform.startswith("linux"):
        # the parent's death is the end of the thread that forked: the main thread only
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != _forking_pid:  # it died already
                os._exit(1)


_PR_SET_PDEATHSIG = 1

if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork)


def stop_workers(within: float = 5.0) -> None:
    """SIGKILL every live descendant of this process in its session; return once all are gone."""
    deadline = time.monotonic() + within
    while True:
        alive = descendants(os.getpid())
        if not alive or time.monotonic() > deadline:
            return
        for pid in alive:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def descendants(root: int) -> list[int]:
    """Live (not zombie) processes below ``root`` in its session; [] without ``/proc``."""
    table: dict[int, tuple[int, int, str]] = {}  # pid -> (parent, session, state)
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                text = stat.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        table[int(name)] = (int(fields[1]), int(fields[3]), fields[0])
    if root not in table:
        return []
    session = table[root][1]
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        parent, sid, state = table[pid]
        if sid != session:
            continue  # started in a session of its own, to outlive this one
        if state not in ("Z", "X"):
            found.append(pid)
        todo.extend(children.get(pid, []))
    return found

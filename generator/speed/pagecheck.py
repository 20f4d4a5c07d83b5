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

import contextlib
import os
import signal
import tempfile
from collections import deque
from pathlib import Path

from generator.site.sanitize import Finding, check_file
from generator.speed.parallel import dump, load


class CheckAsWritten:
    """A forked process that checks the pages it is told have been written."""

    def __init__(self, site_dir: str | os.PathLike[str]) -> None:
        self.site_dir = Path(site_dir)
        fd, name = tempfile.mkstemp(prefix="factsheet-check-", suffix=".pickle")
        os.close(fd)
        self.out = Path(name)
        read_end, write_end = os.pipe()
        # SIGUSR1 (stop) stays blocked until the process is ready for it
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the checking process
            os.close(write_end)
            self._work(read_end, blocked)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_end)
        # MkDocs must never wait for this process: names it cannot take yet are kept here
        self.pipe = write_end
        os.set_blocking(write_end, False)
        self.unsent: deque[bytes] = deque()

    def _work(
        self, read_end: int, mask: set[int | signal.Signals]
    ) -> None:  # pragma: no cover - runs in the checking process
        code = 0
        stop = False

        def stopped(signum: int, frame: object) -> None:
            nonlocal stop
            stop = True

        try:
            signal.signal(signal.SIGUSR1, stopped)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            found: dict[str, list[Finding]] = {}
            with os.fdopen(read_end, encoding="utf-8") as pipe:
                for line in pipe:
                    if stop:
                        break
                    rel = line.rstrip("\n")
                    path = self.site_dir / rel
                    if path.is_file():
                        found[rel] = check_file(path)
            dump(found, self.out)
        except BaseException:
            code = 1
        finally:
            os._exit(code)

    def written(self, rel: str) -> None:
        """``rel`` (a path under the site directory) is written and will not change."""
        self.unsent.append(rel.encode("utf-8") + b"\n")
        self._send()

    def _send(self) -> None:
        # each name goes in one write of under PIPE_BUF bytes, so it is never cut in two
        try:
            while self.unsent:
                os.write(self.pipe, self.unsent[0])
                self.unsent.popleft()
        except BlockingIOError:
            pass  # the pipe is full: the process is behind, and MkDocs goes on

    def finish(self, *, stop: bool = True) -> dict[str, list[Finding]]:
        """Stop, and return what was checked by then (by page; nothing if the process failed).

        Pages named but not reached are left to :func:`check_site`, which checks them on
        every core: once MkDocs is done, this process is no longer the only one free.
        With ``stop=False`` every page named is checked first.
        """
        try:
            if not stop:
                os.set_blocking(self.pipe, True)
                self._send()
            os.close(self.pipe)
            if stop:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGUSR1)
            _, status = os.waitpid(self.pid, 0)
            if status != 0:
                return {}
            found: dict[str, list[Finding]] = load(self.out)
            return found
        finally:
            self.out.unlink(missing_ok=True)

    def abandon(self) -> None:
        """Stop checking (the build failed)."""
        with contextlib.suppress(OSError):
            os.close(self.pipe)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.out.unlink(missing_ok=True)

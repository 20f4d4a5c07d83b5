"""Where a build keeps what is not the published site: one directory, locked by its owner.

Every build works in a directory of its own under ``.factsheet-scratch/``, next to the
site (same file system, so that the new site and the old one move with a rename, and
downloads are hard links): the pages' Markdown and downloads (``pages/``), the new site
(``site/``), the old one once replaced (``old/``) and the temporary files of its worker
processes (``tmp/``, as :data:`tempfile.tempdir` while the build runs). Git ignores it
(``.factsheet-*/`` in ``.gitignore``).

Ownership: next to ``NAME/`` is ``NAME.lock``, on which the owner holds an exclusive
``flock`` from before the directory exists until it is deleted (the background deletion
inherits the lock). The kernel drops the lock when its holder dies, however it dies, so
:func:`remove_dead` (run by every build and preview) removes the scratch of dead builds
only: a lock it can take has no living owner.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from generator.speed.discard import remove_later

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, nothing removed for others
    fcntl = None  # type: ignore[assignment]

ROOT = ".factsheet-scratch"


_system_tempdir: str | None = None


def system_tempdir() -> str:
    """The temporary directory shared by every run (caches), even while a build runs."""
    return _system_tempdir or tempfile.gettempdir()


def root_for(site_dir: Path) -> Path:
    """The scratch directory of builds of ``site_dir``."""
    return site_dir.parent / ROOT


class Scratch:
    """One build's scratch directory, owned (locked) until :meth:`remove`."""

    def __init__(self, path: Path, lock: Path, fd: int) -> None:
        self.path = path
        self.lock = lock
        self.fd = fd

    @classmethod
    def create(cls, site_dir: Path, kind: str = "build") -> Scratch:
        root = root_for(site_dir)
        for _ in range(100):
            root.mkdir(exist_ok=True)
            name = f"{kind}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
            lock = root / f"{name}.lock"
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
            except FileNotFoundError:  # the root was removed as empty meanwhile
                continue
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            if not _still_named(fd, lock):  # taken for dead and removed in between
                os.close(fd)
                continue
            path = root / name
            try:
                os.write(fd, f"{os.getpid()}\n".encode())
                path.mkdir()
            except BaseException:  # a full disk, say: nothing of it stays
                _unlink(lock)
                os.close(fd)
                with contextlib.suppress(OSError):
                    root.rmdir()
                raise
            return cls(path, lock, fd)
        raise OSError(f"cannot make a scratch directory in {root}")

    def dir(self, name: str) -> Path:
        """A subdirectory, made if needed."""
        sub = self.path / name
        sub.mkdir(exist_ok=True)
        return sub

    @contextlib.contextmanager
    def temporary_files(self) -> Iterator[None]:
        """Temporary files (``tempfile``'s, this process's and its workers') go in ``tmp/``."""
        global _system_tempdir
        previous, _system_tempdir = tempfile.tempdir, tempfile.gettempdir()
        tempfile.tempdir = str(self.dir("tmp"))
        try:
            yield
        finally:
            tempfile.tempdir, _system_tempdir = previous, None

    def remove(self, *, background: bool) -> None:
        """Delete it all; in another process (which keeps the lock) if ``background``."""
        if self.fd < 0:
            return
        fd, self.fd = self.fd, -1
        _remove(self.path, self.lock, fd, background=background)


def _remove(path: Path, lock: Path, fd: int, *, background: bool) -> None:
    try:
        if background and remove_later([path, lock], keep_open=[fd], then_empty=[path.parent]):
            return
        shutil.rmtree(path, ignore_errors=True)
        _unlink(lock)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the last one out
    finally:
        os.close(fd)


def remove_dead(site_dir: Path, *, background: bool = True) -> list[Path]:
    """Remove the scratch directories whose builds are no longer running; returns them."""
    root = root_for(site_dir)
    if fcntl is None or not root.is_dir():
        return []
    removed: list[Path] = []
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    for name in names:
        entry = root / name
        if name.endswith(".lock"):
            try:
                fd = os.open(entry, os.O_RDWR | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # its build is running
                os.close(fd)
                continue
            if not _still_named(fd, entry):
                os.close(fd)
                continue
            path = root / name.removesuffix(".lock")
            _remove(path, entry, fd, background=background)
            removed.append(path)
        elif not (root / f"{name}.lock").exists() and entry.is_dir():
            # a lock goes only after its directory: this one's owner is gone
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    with contextlib.suppress(OSError):
        root.rmdir()
    return removed


def _still_named(fd: int, path: Path) -> bool:
    """Whether ``path`` is still the file open as ``fd`` (not removed and made again)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()

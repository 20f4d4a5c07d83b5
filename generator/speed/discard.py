"""Delete a build's leftovers without making the editor wait for it.

Once a build has put the new site in place, the previous site (renamed aside) and the
scratch directory of pages and downloads are of no more use. For a large site they are
tens of thousands of files, and deleting them can take a long time (on ext4 mounted with
``discard`` every freed extent is trimmed): a separate process deletes them, in a
session of its own (:func:`generator.speed.parallel.detached`: it outlives the command),
and the command returns as soon as the site is published. Whatever a
deletion could not finish (the machine went down) is deleted by the next build
(:mod:`generator.site.scratch`, which hands this process the lock of what it deletes).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.speed.parallel import detached

_DELETE = """import os, shutil, sys
paths = sys.argv[1:]
empty = paths[paths.index("--") + 1 :] if "--" in paths else []
for p in paths[: len(paths) - len(empty) - bool(empty)]:
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p, ignore_errors=True)
    else:
        try: os.unlink(p)
        except OSError: pass
for p in empty:
    try: os.rmdir(p)
    except OSError: pass
"""


def remove_later(
    paths: Iterable[Path], *, then_empty: Sequence[Path] = (), keep_open: Sequence[int] = ()
) -> subprocess.Popen[bytes] | None:
    """Delete these directory trees (or files) in a separate process; here if it cannot start.

    Then the directories ``then_empty`` are removed if they are empty. The process
    inherits the file descriptors ``keep_open`` (a lock, held until it is done).
    Returns the process (its caller may wait for it; nothing needs to); None if there
    was nothing to delete, or it was deleted here.
    """
    todo = [str(p) for p in paths]
    if not todo:
        return None
    empty = ["--", *map(str, then_empty)] if then_empty else []
    process = detached(["-c", _DELETE, *todo, *empty], keep_open=keep_open)
    if process is None:
        for path in todo:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        for directory in then_empty:
            with contextlib.suppress(OSError):
                os.rmdir(directory)
    return process


def leftovers(target: Path) -> list[Path]:
    """Sites renamed aside by earlier versions (``.SITE.old-*``) whose deletion did not finish."""
    return sorted(p for p in target.parent.glob(f".{target.name}.old-*") if p.is_dir())

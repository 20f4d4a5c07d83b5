"""Delete a build's leftovers without making the editor wait for it.

Once a build has put the new site in place, the previous site (renamed aside) and the
scratch directory of pages and downloads are of no more use. For a large site they are
tens of thousands of files, and deleting them can take a long time (on ext4 mounted with
``discard`` every freed extent is trimmed): a separate process deletes them, in a
session of its own (:func:`generator.speed.parallel.detached`: it outlives the command),
and the command returns as soon as the site is published. Whatever a
deletion could not finish (the machine went down) is deleted by the next build
(:func:`leftovers`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path

from generator.speed.parallel import detached

_DELETE = "import shutil, sys\nfor p in sys.argv[1:]: shutil.rmtree(p, ignore_errors=True)"


def remove_later(paths: Iterable[Path]) -> subprocess.Popen[bytes] | None:
    """Delete these directory trees in a separate process; here if it cannot start.

    Returns the process (its caller may wait for it; nothing needs to).
    """
    todo = [str(p) for p in paths]
    if not todo:
        return None
    process = detached(["-c", _DELETE, *todo])
    if process is None:
        for path in todo:
            shutil.rmtree(path, ignore_errors=True)
    return process


def aside_name(target: Path) -> Path:
    """A new name for the published site, while the new one takes its place.

    Unique (a deletion of an earlier one, by the same process, may still be going on).
    """
    return target.with_name(f".{target.name}.old-{os.getpid()}-{uuid.uuid4().hex[:12]}")


def leftovers(target: Path) -> list[Path]:
    """Earlier sites renamed aside whose deletion did not finish."""
    return sorted(p for p in target.parent.glob(f".{target.name}.old-*") if p.is_dir())

"""Tell a changed file from its ``stat``, reading only files that may have changed.

The preview (``factsheet serve``) loads the content again after every save. Reading and
hashing every file to find the one that changed costs a third of a second at 10,000
facts; a ``stat`` per file costs a few milliseconds. A file is read again only when its
modification time, change time, size or inode differ from when it was last hashed.

Modification times are not proof on their own: a file written twice within one tick of
the filesystem's clock keeps its time. As git does with its index ("racily clean"
entries), a file modified within :data:`RACY_NS` of the moment it was read is not
trusted by its ``stat``: it is hashed again at the next look, until it is old enough.
(The change time is compared, but does not make a file racy: copying or checking out a
tree sets it to now for every file, while keeping or setting modification times.)
Whether a file changed is always decided by a digest of its bytes.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

Digest = bytes
"""A digest of a file's bytes."""

RACY_NS = 2_000_000_000
"""Files touched less than this long before they were read are hashed again next time
(two seconds: the coarsest timestamps in common use, FAT's and HFS+'s, tick once a second
or every two)."""

Stat = tuple[int, int, int, int]


def digest_of(data: bytes) -> Digest:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class FileStamps:
    """What each file's ``stat`` was when its bytes were last hashed."""

    seen: dict[str, tuple[Stat, Digest, bool]] = field(default_factory=dict)
    """Path -> (stat, digest of the bytes, whether the stat can be trusted next time)."""
    reads: int = 0
    """Files read by the last :meth:`begin`'s run (for tests and the benchmark)."""

    def begin(self) -> None:
        self.reads = 0

    def look(self, path: Path) -> tuple[Digest | None, bytes | None]:
        """The file's digest, and its bytes when they had to be read (None: unchanged).

        The digest is None when the file cannot be read (the caller reads it to report why).
        """
        key = str(path)
        try:
            st = os.stat(path)
        except OSError:
            self.seen.pop(key, None)
            return None, None
        stat = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        known = self.seen.get(key)
        if known is not None and known[2] and known[0] == stat:
            return known[1], None
        now = time.time_ns()
        try:
            data = path.read_bytes()
        except OSError:
            self.seen.pop(key, None)
            return None, None
        self.reads += 1
        digest = digest_of(data)
        trusted = st.st_mtime_ns < now - RACY_NS
        self.seen[key] = (stat, digest, trusted)
        return digest, data

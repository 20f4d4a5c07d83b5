"""Which content files changed is told by their stat, and never trusted while it is racy."""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.speed.filestamps import RACY_NS, FileStamps, digest_of


def backdate(path: Path) -> None:
    """Make the file old, as a copy or a checkout that keeps modification times does."""
    old = time.time_ns() - 60 * 10**9
    os.utime(path, ns=(old, old))


def test_an_old_file_is_not_read_again_until_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"- id: one\n")
    backdate(path)  # its change time is now: that does not make it racy
    stamps = FileStamps()
    assert stamps.look(path) == (digest_of(b"- id: one\n"), b"- id: one\n")
    assert stamps.look(path) == (digest_of(b"- id: one\n"), None)  # from its stat alone
    path.write_bytes(b"- id: two\n")
    assert stamps.look(path) == (digest_of(b"- id: two\n"), b"- id: two\n")


def test_a_recently_written_file_is_hashed_at_every_look(tmp_path: Path) -> None:
    # Two writes within one tick of the filesystem clock can leave the same stat behind;
    # a file written less than RACY_NS before it was read is therefore read again.
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"- id: one\n")
    stamps = FileStamps()
    stamps.look(path)
    before = os.stat(path)
    path.write_bytes(b"- id: two\n")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time
    assert time.time_ns() - before.st_mtime_ns < RACY_NS
    assert stamps.look(path) == (digest_of(b"- id: two\n"), b"- id: two\n")


def test_same_size_and_time_but_rewritten_is_seen_by_its_change_time(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"- id: one\n")
    backdate(path)
    stamps = FileStamps()
    stamps.look(path)
    before = os.stat(path)
    time.sleep(0.02)  # the change time moves on, whatever the tick of the clock
    path.write_bytes(b"- id: two\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert stamps.look(path) == (digest_of(b"- id: two\n"), b"- id: two\n")


def test_a_file_that_is_gone_or_unreadable_has_no_digest(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"x")
    stamps = FileStamps()
    stamps.look(path)
    path.unlink()
    assert stamps.look(path) == (None, None)
    assert str(path) not in stamps.seen

"""A build's leftovers are deleted without the editor waiting; downloads are linked, not copied."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.speed.discard import leftovers, remove_later

from .conftest import Run
from .sites import wait_no_scratch


def tree(root: Path) -> Path:
    for i in range(20):
        (root / f"d{i}").mkdir(parents=True)
        (root / f"d{i}" / "index.html").write_text("x" * 1000, encoding="utf-8")
    return root


def wait_gone(*paths: Path, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while any(p.exists() for p in paths):
        assert time.monotonic() < deadline, f"still there: {[p for p in paths if p.exists()]}"
        time.sleep(0.05)


def test_trees_are_deleted_by_a_process_of_their_own(tmp_path: Path) -> None:
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    keep = tree(tmp_path / "keep")
    process = remove_later([one, two])
    assert process is not None and process.pid != os.getpid()
    assert process.wait(timeout=30) == 0
    assert not one.exists() and not two.exists()
    assert (keep / "d3" / "index.html").is_file()
    assert remove_later([]) is None


def test_deleted_here_when_no_process_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot(*args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", cannot)
    gone = tree(tmp_path / "gone")
    assert remove_later([gone]) is None
    assert not gone.exists()


def test_old_style_leftovers_are_found(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name in (".site.old-1-abc", ".site.old-2-def"):
        (tmp_path / name).mkdir()
    (tmp_path / ".site.old-file").write_text("not a directory", encoding="utf-8")
    (tmp_path / ".other.old-1").mkdir()
    assert leftovers(site) == [tmp_path / ".site.old-1-abc", tmp_path / ".site.old-2-def"]


def test_files_are_deleted_and_emptied_directories_removed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    one = tree(root / "one")
    lock = root / "one.lock"
    lock.write_text("1\n", encoding="utf-8")
    process = remove_later([one, lock], then_empty=[root])
    assert process is not None and process.wait(timeout=30) == 0
    assert not root.exists()
    keep = tree(tmp_path / "keep" / "a")
    process = remove_later([tmp_path / "keep" / "missing"], then_empty=[tmp_path / "keep"])
    assert process is not None and process.wait(timeout=30) == 0
    assert (keep / "d1" / "index.html").is_file()  # not empty: left alone


def test_a_build_publishes_then_deletes_the_old_site_and_leftovers(
    cli: Callable[..., Run], project: Path
) -> None:
    assert cli("build", cwd=project).code == 0
    # what a build killed while deleting would have left
    stale = tree(project / ".site.old-12345-abc")
    assert cli("build", cwd=project).code == 0
    assert (project / "site" / "index.html").is_file()
    wait_gone(stale)
    wait_no_scratch(project)
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [".site.lock"]


def test_downloads_are_hard_links_to_what_the_build_wrote(tmp_path: Path) -> None:
    from mkdocs.structure.files import File

    from generator.site.plugin import _link_file

    def generated(path: str, written: Path) -> File:
        file = File(path, src_dir=None, dest_dir=str(tmp_path / "site"), use_directory_urls=True)
        file.abs_src_path = str(written)  # as File.generated(config, path, abs_src_path=...)
        return file

    written = tmp_path / "scratch" / "facts.json"
    written.parent.mkdir()
    written.write_bytes(b'{"facts": []}\n')
    file = generated("sheets/a/facts.json", written)
    _link_file(file)
    published = Path(file.abs_dest_path)
    assert published.read_bytes() == b'{"facts": []}\n'
    assert os.path.samefile(published, written)  # no second copy of the bytes
    written.unlink()  # the scratch directory goes; the published file stays
    assert published.read_bytes() == b'{"facts": []}\n'
    # a file already there (a dirty build): copied over it, as MkDocs would
    again = tmp_path / "scratch" / "again.json"
    again.write_bytes(b"[]\n")
    _link_file(generated("sheets/a/facts.json", again))
    assert published.read_bytes() == b"[]\n"

"""A build never loses the published site, and the same content builds byte-identical."""

from __future__ import annotations

import calendar
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SHEET_DIR, Run, edit
from .sites import scratch_left, wait_no_scratch


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a site with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def scratch(project: Path) -> list[str]:
    return scratch_left(project)


@pytest.fixture
def published(cli: Callable[..., Run], project: Path) -> dict[str, str]:
    run = cli("build", cwd=project)
    assert run.code == 0, run.err
    # the old site and the scratch files are deleted by a process the build does not wait
    # for (generator/speed/discard.py): let it finish, so that what is left later is the
    # next build's
    deadline = time.monotonic() + 60
    while scratch(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert scratch(project) == []
    return snapshot(project / "site")


def assert_untouched(project: Path, before: dict[str, str]) -> None:
    assert snapshot(project / "site") == before
    wait_no_scratch(project)  # deleted by a process of its own


def test_yaml_error_leaves_the_site(
    cli: Callable[..., Run], project: Path, published: dict[str, str]
) -> None:
    edit(project / f"{SHEET_DIR}/sheet.yaml", "title: China", "title: [China")
    run = cli("build", cwd=project)
    assert run.code == 1 and "invalid YAML" in run.err
    assert_untouched(project, published)


def test_template_error_leaves_the_site(
    cli: Callable[..., Run], project: Path, published: dict[str, str]
) -> None:
    template = project / "templates/sheet.md.j2"
    template.write_text(template.read_text("utf-8") + "\n{{ sheet.no_such_thing.x }}\n", "utf-8")
    run = cli("build", cwd=project)
    assert run.code == 1
    assert "templates/sheet.md.j2:" in run.err and "template error" in run.err
    assert "Traceback" not in run.err
    assert_untouched(project, published)


def test_template_syntax_error_is_located(
    cli: Callable[..., Run], project: Path, published: dict[str, str]
) -> None:
    template = project / "templates/home.md.j2"
    template.write_text("# Fact sheets\n\n{% for x in %}\n", "utf-8")
    run = cli("build", cwd=project)
    assert run.code == 1
    assert "templates/home.md.j2:3:1: error: template error" in run.err
    assert_untouched(project, published)


def test_mkdocs_error_leaves_the_site(
    cli: Callable[..., Run], project: Path, published: dict[str, str]
) -> None:
    # a link to a page that does not exist: MkDocs warns, and strict builds stop
    template = project / "templates/home.md.j2"
    template.write_text(template.read_text("utf-8") + "\n[gone](no-such-page.md)\n", "utf-8")
    run = cli("build", cwd=project)
    assert run.code == 1
    assert "no-such-page.md" in run.err and "MkDocs stopped the build" in run.err
    assert_untouched(project, published)


def test_failure_while_writing_leaves_the_site(
    cli: Callable[..., Run],
    project: Path,
    published: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mkdocs.structure import files

    def broken_copy(self: files.File, dirty: bool = False) -> None:
        raise OSError(28, "No space left on device", self.abs_dest_path)

    monkeypatch.setattr(files.File, "copy_file", broken_copy)
    run = cli("build", cwd=project)
    assert run.code == 1
    assert "No space left on device" in run.err
    assert "Traceback" not in run.err
    assert_untouched(project, published)


def test_same_content_builds_byte_identical(project: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for out in ("one", "two"):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / out)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
    first, second = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert first == second
    assert "sitemap.xml.gz" in first
    # the date written is the sheet's as_of (2023-05-28), worked out with the pages
    header = (tmp_path / "one/sitemap.xml.gz").read_bytes()[:10]
    as_of = calendar.timegm((2023, 5, 28, 0, 0, 0))
    assert "as_of: 2023-05-28" in (project / SHEET_DIR / "sheet.yaml").read_text(encoding="utf-8")
    assert int.from_bytes(header[4:8], "little") == as_of


def test_a_successful_build_does_not_read_the_content_again(
    cli: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the generator runs in a process of its own; the build itself loads the content
    # only to place a problem the page check found
    import generator.site.build

    def no(*args: object) -> None:
        raise AssertionError("the content was loaded again")

    monkeypatch.setattr(generator.site.build, "load_content", no)
    run = cli("build", cwd=project)
    assert run.code == 0, run.err
    assert (project / "site/index.html").is_file()


def test_source_date_epoch_is_honoured(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    # the only date MkDocs writes: the gzip header of the sitemap
    header = (tmp_path / "site/sitemap.xml.gz").read_bytes()[:10]
    assert int.from_bytes(header[4:8], "little") == 1700000000 // 86400 * 86400  # its day


def test_concurrent_builds_never_mix(project: Path) -> None:
    """Two builds of different content at once: the site is one of them, whole."""
    other = project.parent / "other"
    import shutil

    shutil.copytree(project, other)
    edit(
        other / f"{SHEET_DIR}/facts/3-accounts.yaml",
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: 67,000 social media accounts were shut for good.",
    )
    site = project / "site"
    results: list[subprocess.CompletedProcess[str]] = []

    def build(root: Path) -> None:
        results.append(
            subprocess.run(
                [sys.executable, "-m", "generator", "build", "--site-dir", str(site)],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=300,
            )
        )

    threads = [threading.Thread(target=build, args=(root,)) for root in (project, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    page = (site / "sheets/china-self-media-2023/index.html").read_text("utf-8")
    one = "closed permanently" in page
    two = "shut for good" in page
    assert one != two
    # every file belongs to the same build: the downloads agree with the page
    facts = (site / "facts.json").read_text("utf-8")
    assert ("closed permanently" in facts) == one

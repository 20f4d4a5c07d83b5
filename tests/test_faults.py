"""Faults a build and the preview survive: each leaves the published site byte-identical,
says what happened in one line (no traceback), and loses nothing.

- the disk fills up while the new site is written (a small tmpfs when this machine lets
  the tests mount one; otherwise writes under the scratch fail with ENOSPC past a budget,
  injected in the build's process);
- the site's directory cannot be written (a read-only mount, or an injected EROFS);
- two builds at once on the same site: the second waits, and says for whom;
- 100 saves in 10 seconds while serving: no half-written page is served, and the
  preview ends on the last save;
- a YAML file caught half-saved: an error page, then the page as soon as the save is done.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, SHEET_DIR
from .sites import scratch_left, snapshot, start, wait_for, wait_no_scratch

SHEET = "sheets/china-self-media-2023/"
FACTS = f"{SHEET_DIR}/facts/3-accounts.yaml"
STATEMENT = "statement: 67,000 social media accounts were closed permanently."


def project_in(where: Path) -> Path:
    """A copy of the bundled project in ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, where / name)
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
    return where


def build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *extra],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def published(project: Path) -> dict[str, str]:
    """Build the project (as it is) and return its site's snapshot."""
    done = build(project)
    assert done.returncode == 0, done.stderr
    wait_no_scratch(project)
    return snapshot(project / "site")


def one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if "error:" in line]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], err


# --- a small file system ---------------------------------------------------------


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(f"/tmp/factsheet-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
            capture_output=True,
            timeout=10,
        )
        if done.returncode != 0:
            return False
        subprocess.run(["umount", str(probe)], capture_output=True, timeout=10)
        return True
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


CAN_MOUNT = _can_mount() and not os.environ.get("FACTSHEET_TEST_NO_MOUNT")
"""Set FACTSHEET_TEST_NO_MOUNT=1 to test with the injected faults where mounting works."""


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True, timeout=10
    )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], timeout=10)


INJECT = """
import errno, io, os, shutil, sys
from pathlib import Path

limit, scope, action = int(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
written = 0
real_open = io.open


def inside(path):
    try:
        return os.path.realpath(os.fsdecode(path)).startswith(scope)
    except (TypeError, ValueError):
        return False


class Full:
    def __init__(self, file):
        self._file = file

    def write(self, data):
        global written
        written += len(data)
        if written > limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()

    def __iter__(self):
        return iter(self._file)


def guarded_open(file, mode="r", *args, **kwargs):
    if isinstance(file, (str, bytes, os.PathLike)) and inside(file):
        if action == "read-only" and any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(file))
        if action == "full" and any(c in mode for c in "wax+"):
            return Full(real_open(file, mode, *args, **kwargs))
    return real_open(file, mode, *args, **kwargs)


def refuse(real):
    def call(path, *args, **kwargs):
        if inside(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real(path, *args, **kwargs)
    return call


import builtins
builtins.open = io.open = guarded_open
shutil._USE_CP_SENDFILE = False  # copies go through write()
if action == "read-only":
    os.mkdir = refuse(os.mkdir)
    os.rename = refuse(os.rename)
    os.link = refuse(os.link)
    real_os_open = os.open
    def os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and inside(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real_os_open(path, flags, *args, **kwargs)
    os.open = os_open

from generator.cli import main
sys.exit(main(sys.argv[4:]))
"""


def injected_build(
    project: Path, limit: int, scope: Path, action: str
) -> subprocess.CompletedProcess[str]:
    """``factsheet build`` with writes under ``scope`` failing (``full`` past ``limit``
    bytes, or ``read-only``)."""
    return subprocess.run(
        [sys.executable, "-c", INJECT, str(limit), str(scope), action, "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_full_disk_leaves_the_site(tmp_path: Path) -> None:
    if CAN_MOUNT:
        # the whole project on a file system with room for one site and a part of another
        with tmpfs(tmp_path / "disk", "40m") as disk:
            project = project_in(disk / "project")
            before = published(project)
            filler = disk / "filler"
            free = shutil.disk_usage(disk).free
            sizes = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
            # leave room for about half a site
            with open(filler, "wb") as out:
                out.write(b"\0" * max(0, free - sizes // 2))
            assert shutil.disk_usage(disk).free < sizes
            (project / FACTS).write_text(
                (project / FACTS).read_text("utf-8").replace(STATEMENT, STATEMENT + " Yes."),
                "utf-8",
            )
            done = build(project)
            assert done.returncode == 1, done.stderr
            one_line_error(
                done.stderr, "site:1:1: error: cannot write the site: No space left on device"
            )
            assert snapshot(project / "site") == before
            wait_no_scratch(project)
            filler.unlink()
            again = build(project)  # room again: the edit is published
            assert again.returncode == 0, again.stderr
            assert "Yes." in (project / "site" / SHEET / "index.html").read_text("utf-8")
        return
    project = project_in(tmp_path / "project")
    before = published(project)
    (project / FACTS).write_text(
        (project / FACTS).read_text("utf-8").replace(STATEMENT, STATEMENT + " Yes."), "utf-8"
    )
    for limit in (0, 200_000, 2_000_000):  # at the start, in the pages, near the end
        done = injected_build(project, limit, project / ".factsheet-scratch", "full")
        assert done.returncode == 1, done.stderr
        one_line_error(
            done.stderr, "site:1:1: error: cannot write the site: No space left on device"
        )
        assert snapshot(project / "site") == before
        wait_no_scratch(project)


def test_a_read_only_site_directory_leaves_the_site(tmp_path: Path) -> None:
    project = project_in(tmp_path / "project")
    if CAN_MOUNT:
        # the site's parent on a file system mounted read-only: not even root writes there
        with tmpfs(tmp_path / "ro", "40m") as parent:
            site = parent / "site"
            done = build(project, "--site-dir", str(site))
            assert done.returncode == 0, done.stderr
            wait_no_scratch(parent)
            before = snapshot(site)
            subprocess.run(["mount", "-o", "remount,ro", str(parent)], check=True, timeout=10)
            done = build(project, "--site-dir", str(site))
            assert done.returncode == 1, done.stderr
            one_line_error(done.stderr, "cannot write the site", "Read-only file system")
            assert str(parent) in done.stderr
            assert snapshot(site) == before
            assert scratch_left(parent) == []
        return
    before = published(project)
    done = injected_build(project, 0, project, "read-only")
    assert done.returncode == 1, done.stderr
    one_line_error(done.stderr, "cannot write the site", "Read-only file system")
    assert snapshot(project / "site") == before
    assert scratch_left(project) == []


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    project = project_in(tmp_path / "project")
    before = published(project)
    (project / FACTS).write_text(
        (project / FACTS).read_text("utf-8").replace(STATEMENT, STATEMENT + " Yes."), "utf-8"
    )
    # the first build: a process holding the site's lock, as a build does while it publishes
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "f = open(sys.argv[1], 'a+b'); fcntl.flock(f, fcntl.LOCK_EX)\n"
            "f.truncate(0); f.write(b'%d\\n' % os.getpid()); f.flush()\n"
            "print('locked', flush=True); sys.stdin.read()",
            str(project / ".site.lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        second = start(["build"], project)
        assert second.stderr is not None
        line = second.stderr.readline()
        if "has no site_url" in line:  # the bundled mkdocs.yml has none: warned first
            line = second.stderr.readline()
        assert line == f"waiting for another build of site (pid {holder.pid})\n", line
        time.sleep(1)
        assert second.poll() is None  # still waiting: nothing published meanwhile
        assert snapshot(project / "site") == before
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        out, err = second.communicate(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            holder.kill()
    assert second.returncode == 0, err
    assert "built " in out
    assert "Yes." in (project / "site" / SHEET / "index.html").read_text("utf-8")
    with open(project / ".site.lock", "rb") as lock:  # released, and no stale owner recorded
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert lock.read() == b""


# --- the preview -----------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, *, slowly: bool = False) -> tuple[int, bytes]:
    """The response; ``slowly``: read a few kilobytes at a time, as a slow network does."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            if not slowly:
                return int(response.status), bytes(response.read())
            parts = []
            while part := response.read(4096):
                parts.append(part)
                time.sleep(0.002)
            return int(response.status), b"".join(parts)
    except urllib.error.HTTPError as exc:
        return int(exc.code), bytes(exc.read())


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """``factsheet serve`` on a copy of the bundled project: its address, project, log."""
    project = project_in(tmp_path / "project")
    port = _free_port()
    log = tmp_path / "serve.log"
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    with log.open("w", encoding="utf-8") as out:
        proc = start(
            ["serve", "--verbose", "--port", str(port)], project, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: b"fs-fact" in _get(base + SHEET), timeout=120, what="the preview")
        yield base, project, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def _get(url: str) -> bytes:
    try:
        return fetch(url)[1]
    except OSError:
        return b""


def complete_html(body: bytes) -> bool:
    text = body.decode("utf-8", "replace")
    return text.lstrip().lower().startswith("<!doctype html") and text.rstrip().endswith("</html>")


def mark(number: int) -> str:
    """A save's mark, in letters (a number in a statement must be a figure of a fact)."""
    return "save " + "".join("abcdefghij"[int(d)] for d in f"{number:02d}")


def _json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def test_many_saves_while_serving_never_serve_a_half_written_page(
    serving: tuple[str, Path, Path],
) -> None:
    base, project, log = serving
    served = project.parent / "tmp"  # the preview's TMPDIR, where MkDocs puts its site
    facts = project / FACTS
    original = facts.read_text("utf-8")
    assert STATEMENT in original
    bad: list[str] = []
    fetched = [0]
    stop = threading.Event()

    def poll(path: str, slowly: bool) -> None:
        while not stop.is_set():
            try:
                status, body = fetch(base + path, slowly=slowly)
            except Exception as exc:  # a response cut short (IncompleteRead...)
                bad.append(f"{path}: {exc!r}")
                continue
            fetched[0] += 1
            if path.endswith(".json") and status == 200:
                try:
                    json.loads(body)
                except ValueError:
                    bad.append(f"{path}: {status} {body[-200:]!r}")
            elif not complete_html(body):
                bad.append(f"{path}: {status} {body[-200:]!r}")

    def read_served() -> None:
        """What the server would send at any moment: its files, read as they are."""
        site = next(served.glob("mkdocs_*"))
        names = [f"{SHEET}index.html", "facts.json", "search/search_index.json"]
        while not stop.is_set():
            for name in names:
                try:
                    body = (site / name).read_bytes()
                except FileNotFoundError:
                    continue  # between builds of a page with problems
                fetched[0] += 1
                ok = complete_html(body) if name.endswith(".html") else _json(body)
                if not ok:
                    bad.append(f"{name} in the served directory: {body[-200:]!r}")

    pollers = [threading.Thread(target=read_served, daemon=True)] + [
        threading.Thread(target=poll, args=(path, slowly), daemon=True)
        for path, slowly in [
            (SHEET, False),
            (SHEET, False),
            ("sources/reuters-2023-self-media/", False),
            ("facts.json", True),  # downloads are sent as they are read from the file
            ("facts.json", False),
        ]
    ]
    for poller in pollers:
        poller.start()
    started = time.monotonic()
    for number in range(100):
        # as an editor saves: the file truncated and written again
        facts.write_text(original.replace(STATEMENT, f"{STATEMENT[:-1]}, {mark(number)}."), "utf-8")
        time.sleep(max(0.0, started + (number + 1) * 0.1 - time.monotonic()))
    assert time.monotonic() - started < 11
    last = f"permanently, {mark(99)}.".encode()
    wait_for(lambda: last in _get(base + SHEET), timeout=60, what="the last save")
    time.sleep(1)  # any rebuild still under way ends on the same state
    stop.set()
    for poller in pollers:
        poller.join(timeout=60)
    page = _get(base + SHEET).decode("utf-8")
    assert f"permanently, {mark(99)}." in page and mark(98) not in page
    facts_json = json.loads(_get(base + "facts.json"))
    assert f"permanently, {mark(99)}." in json.dumps(facts_json)
    assert fetched[0] > 100, fetched
    assert bad == [], bad[:5]
    assert "Traceback" not in log.read_text("utf-8")


def test_a_half_saved_yaml_file_shows_an_error_then_recovers(
    serving: tuple[str, Path, Path],
) -> None:
    base, project, _ = serving
    facts = project / FACTS
    text = facts.read_text("utf-8").replace(STATEMENT, STATEMENT[:-1] + " for good.")
    cut = text.index("for good.") + 4  # inside the statement: the rest of the file is missing
    with open(facts, "w", encoding="utf-8") as out:
        out.write(text[:cut])
        out.flush()
        os.fsync(out.fileno())
        wait_for(lambda: b"Content problems" in _get(base + SHEET), timeout=60, what="the error")
        page = _get(base + SHEET).decode("utf-8")
        assert complete_html(page.encode())
        assert "3-accounts.yaml" in page
        out.write(text[cut:])  # the save completes
    wait_for(lambda: b"closed permanently for good." in _get(base + SHEET), timeout=60, what="it")
    assert b"Content problems" not in _get(base + SHEET)

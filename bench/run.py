"""Benchmark factsheet against its nearest peer, a mkdocs-macros build of the same pages.

Usage::

    python bench/run.py                # N = 1,000 and 10,000
    python bench/run.py --full         # and 100,000
    python bench/run.py --runs 5       # median of 5 runs (default 3)
    python bench/run.py --sizes 1000   # only these sizes

For each N it writes synthetic content (``bench/make_content.py``) and the peer
project (``bench/peer/make_site.py``) under ``bench/out/N/``, then measures, in
subprocesses started with a clean environment (``PATH`` of this interpreter,
``HOME``, ``LANG=C.UTF-8``, ``SOURCE_DATE_EPOCH=1704067200`` and
``NO_MKDOCS_2_WARNING=1``, which only silences a banner):

* ``parse``, ``strict`` and ``check``: in-process times from ``bench/measure.py``
  (CSafeLoader parse of every YAML file, ``generator.content.yamlload.load_yaml`` of
  every file, and ``generator.generate.check``), after a warm-up read;
* ``factsheet check``: wall time of the command, interpreter start included;
* ``factsheet build``: wall time, CPU time and peak memory (``os.wait4``, and
  the summed PSS of the process and its rendering workers, sampled) of a
  subprocess running the real command line with timers around the generator
  (``generate()`` in a process of its own, ``in_child``), ``run_mkdocs()``,
  ``check_site()`` and ``_swap()`` (``bench/measure.py build``), which give the
  generation, MkDocs and page-check steps;
* the peer: the same for ``mkdocs build`` of the macros project;
* incremental preview: ``factsheet serve`` on a copy of the project, then the
  time from saving an edited fact to the served sheet page showing the edit
  (a few edits, one after the other, each to the same fact).

Each figure is the median over the runs; the ratios are medians of the
per-run ratios, the two sides measured one after the other in the same run
(the order of the two builds alternates between runs).  Without ``--full`` a
time budget (``--budget``, default 600 s) keeps the whole benchmark to about
ten minutes: the first run of every size always happens, then the preview
measurement (up to three edits) and further runs only while the budget allows,
and the table says how many runs each median is of.

Prints a Markdown table and writes it, with the machine and notes, to
``bench/results.md``.

``--engines`` measures instead the three engines side by side (``factsheet build
--engine mkdocs|properdocs|zensical``, each a whole build: generate, engine, page check,
swap), and ``factsheet export`` followed by stock ``mkdocs build`` and ``zensical build``
of the export (no plugin), at N = 10,000 unless ``--sizes`` says otherwise; it writes
``bench/results-engines.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
OUT = BENCH / "out"
PYTHON = sys.executable
SOURCE_DATE_EPOCH = "1704067200"  # 2024-01-01T00:00:00Z
DEFAULT_SIZES = (1_000, 10_000)
FULL_SIZE = 100_000


def clean_env() -> dict[str, str]:
    return {
        "PATH": os.pathsep.join((str(Path(PYTHON).parent), "/usr/local/bin", "/usr/bin", "/bin")),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
        # a checkout run with PYTHONPATH=. measures its own code, not the installed one
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}),
    }


def factsheet_command() -> list[str]:
    script = Path(PYTHON).parent / "factsheet"
    if script.exists() and not os.environ.get("PYTHONPATH"):
        return [str(script)]
    return [PYTHON, "-m", "generator"]


# -- subprocesses ---------------------------------------------------------------------------


@dataclass
class Proc:
    seconds: float
    max_rss_mib: float
    """Peak RSS of the largest single process (``os.wait4``: the process or a waited child)."""
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    cpu_seconds: float = 0.0
    """User + system time of the process and the children it waited for."""
    tree_peak_mib: float = 0.0
    """Peak of the summed PSS of every process of the session (sampled every 0.2 s)."""

    def json(self) -> dict[str, Any]:
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise RuntimeError(f"no result from measurement:\n{self.stdout}\n{self.stderr}")
        result: dict[str, Any] = json.loads(lines[-1])
        return result


class Timeout(Exception):
    pass


def _session_memory(session: int) -> float:
    """Summed PSS (RSS where PSS is unavailable) of the processes of ``session``, in MiB."""
    total_kib = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != session:  # field 6 (session), counted after the name
                continue
            try:
                with open(f"/proc/{entry.name}/smaps_rollup", "rb") as handle:
                    for line in handle:
                        if line.startswith(b"Pss:"):
                            total_kib += int(line.split()[1])
                            break
            except OSError:
                with open(f"/proc/{entry.name}/statm", "rb") as handle:
                    total_kib += int(handle.read().split()[1]) * os.sysconf("SC_PAGESIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue  # the process ended while being read
    return total_kib / 1024


class _MemorySampler(threading.Thread):
    """Samples the memory of a session (a process started with a new session) until stopped."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.peak = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self.done.wait(0.2):
            self.peak = max(self.peak, _session_memory(self.session))


def wait_for_cleanup(root: Path, site: str, timeout: float | None) -> float:
    """Seconds until the build's leftovers next to ``root / site`` are gone."""
    started = time.perf_counter()
    while (root / ".factsheet-scratch").exists() or any(root.glob(f".{site}.old-*")):
        if timeout is not None and time.perf_counter() - started > timeout:
            raise RuntimeError(f"leftovers of the build in {root} were not deleted")
        time.sleep(0.05)
    return time.perf_counter() - started


def run_proc(cmd: Sequence[str], *, cwd: Path | None = None, timeout: float | None) -> Proc:
    """Run ``cmd`` to the end; its wall time and peak RSS (from ``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=clean_env(), stdout=out, stderr=err, start_new_session=True
        )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group of the process started above

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer is not None:
            timer.start()
        sampler = _MemorySampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            elapsed = time.perf_counter() - started
            sampler.done.set()
            if timer is not None:
                timer.cancel()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Proc(
            elapsed,
            usage.ru_maxrss / 1024,  # KiB on Linux
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            expired.is_set(),
            usage.ru_utime + usage.ru_stime,
            max(sampler.peak, usage.ru_maxrss / 1024),
        )
    if result.timed_out:
        raise Timeout(f"{' '.join(cmd)}: no result within {timeout:.0f} s")
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
            f"{result.stderr[-3000:]}"
        )
    return result


# -- one size -------------------------------------------------------------------------------


@dataclass
class Size:
    n: int
    root: Path
    samples: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    runs: int = 0
    html: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Site -> (HTML files, HTML bytes)."""
    preview_skipped: str | None = None
    timed_out: str | None = None

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def peer(self) -> Path:
        return self.root / "peer"

    def add(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)

    def median(self, key: str) -> float | None:
        values = self.samples.get(key)
        return statistics.median(values) if values else None


def prepare(n: int) -> Size:
    """Write the content, mkdocs.yml, templates and the peer project for ``n`` facts."""
    root = OUT / str(n)
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, str(BENCH / "make_content.py"), str(n), str(root / "content")],
        check=True,
        env=clean_env(),
    )
    subprocess.run(
        [PYTHON, str(BENCH / "peer" / "make_site.py"), str(root / "content"), str(root / "peer")],
        check=True,
        env=clean_env(),
    )
    print(f"  content and peer for N={n:,} written in {time.perf_counter() - started:.1f} s")
    return Size(n, root)


def html_size(site: Path) -> tuple[int, int]:
    files = sorted(site.rglob("*.html"))
    return len(files), sum(p.stat().st_size for p in files)


def one_run(size: Size, run: int, timeout: float | None) -> None:
    measure = [PYTHON, str(BENCH / "measure.py")]
    content = str(size.content)

    parse = run_proc([*measure, "parse", content], timeout=timeout).json()
    strict = run_proc([*measure, "strict", content], timeout=timeout).json()
    check = run_proc([*measure, "check", content], timeout=timeout).json()
    if check["problems"] or strict["problems"]:
        raise RuntimeError(f"N={size.n}: the synthetic content has problems")
    cli_check = run_proc(
        [*factsheet_command(), "check", "--content", content], cwd=size.root, timeout=timeout
    )
    size.add("parse", parse["seconds"])
    size.add("strict", strict["seconds"])
    size.add("check", check["seconds"])
    size.add("check_cli", cli_check.seconds)
    size.add("ratio_check_parse", check["seconds"] / parse["seconds"])
    size.add("ratio_strict_parse", strict["seconds"] / parse["seconds"])

    def ours() -> None:
        proc = run_proc(
            [*measure, "build", str(size.root / "mkdocs.yml"), str(size.root / "site")],
            cwd=size.root,
            timeout=timeout,
        )
        result = proc.json()
        size.add("build", proc.seconds)
        size.add("build_cpu", proc.cpu_seconds)
        size.add("build_rss", proc.max_rss_mib)
        size.add("build_tree", proc.tree_peak_mib)
        for key in ("generate", "mkdocs", "sanitize", "swap"):
            if key in result:
                size.add(key, result[key])
        # the previous site and the scratch files are deleted by a process the command
        # does not wait for: wait here, so that it slows no other measurement
        size.add("cleanup", wait_for_cleanup(size.root, "site", timeout))

    def peer() -> None:
        proc = run_proc(
            [PYTHON, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml", "-d", "site"],
            cwd=size.peer,
            timeout=timeout,
        )
        size.add("peer", proc.seconds)
        size.add("peer_cpu", proc.cpu_seconds)
        size.add("peer_rss", proc.max_rss_mib)
        size.add("peer_tree", proc.tree_peak_mib)

    steps: list[Callable[[], None]] = [ours, peer] if run % 2 == 0 else [peer, ours]
    for step in steps:
        step()
    size.add("ratio_build_peer", size.samples["build"][-1] / size.samples["peer"][-1])
    size.add("facts_per_s", size.n / size.samples["build"][-1])
    size.html["factsheet"] = html_size(size.root / "site")
    size.html["peer"] = html_size(size.peer / "site")
    size.runs += 1


# -- incremental preview --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _edit_first_fact(facts_file: Path, marker: str) -> None:
    """Put ``marker`` at the start of the first fact's statement (a plain or folded scalar)."""
    lines = facts_file.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.strip().startswith("statement:"):
            head, _, rest = line.partition("statement:")
            rest = rest.strip()
            if rest in (">-", ">", "|", "|-"):
                indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
                words = lines[i + 1].strip().split(" ")
                if words and words[0].startswith("benchedit"):
                    words = words[1:]
                lines[i + 1] = " " * indent + " ".join([marker, *words])
            else:
                text = str(yaml.safe_load(rest))
                words = [w for w in text.split(" ") if not w.startswith("benchedit")]
                edited = json.dumps(" ".join([marker, *words]), ensure_ascii=False)
                lines[i] = f"{head}statement: {edited}"
            break
    facts_file.write_text("\n".join(lines), encoding="utf-8")


def measure_preview(size: Size, edits: int, timeout: float | None) -> list[float]:
    """``factsheet serve`` on a copy; seconds from saving an edit to the page showing it."""
    copy = size.root / "preview"
    if copy.exists():
        shutil.rmtree(copy)
    copy.mkdir()
    shutil.copy2(size.root / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(size.content, copy / "content")
    shutil.copytree(size.root / "templates", copy / "templates")
    sheet_dir = sorted((copy / "content" / "sheets").iterdir())[0]
    facts_file = sorted((sheet_dir / "facts").glob("*.yaml"))[0]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/sheets/{sheet_dir.name}/"
    limit = timeout or 3600.0
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [*factsheet_command(), "serve", "-f", str(copy / "mkdocs.yml"), "-p", str(port)],
        cwd=copy,
        env=clean_env(),
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    times: list[float] = []
    try:
        deadline = time.perf_counter() + limit
        while _get(url) is None:
            if proc.poll() is not None or time.perf_counter() > deadline:
                log.seek(0)
                raise RuntimeError(f"factsheet serve did not come up:\n{log.read()[-3000:]!r}")
            time.sleep(0.2)
        for edit in range(edits):
            marker = f"benchedit{edit}x{size.n}"
            time.sleep(1.0)  # let the watcher settle after the previous build
            started = time.perf_counter()
            _edit_first_fact(facts_file, marker)
            deadline = started + limit
            while True:
                body = _get(url)
                if body is not None and marker in body:
                    break
                if proc.poll() is not None or time.perf_counter() > deadline:
                    raise Timeout(f"the edit did not show within {limit:.0f} s")
                time.sleep(0.05)
            times.append(time.perf_counter() - started)
    finally:
        proc.terminate()  # the server started above, by its pid
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(copy, ignore_errors=True)
    return times


# -- report ---------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2, unit: str = "") -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.{digits}f}{unit}"


def table(sizes: list[Size]) -> str:
    header = ["", *(f"N = {s.n:,}" for s in sizes)]
    rows: list[list[str]] = []

    def row(label: str, cell: Callable[[Size], str]) -> None:
        rows.append([label, *(cell(s) if not s.timed_out else "timeout" for s in sizes)])

    row("runs (each figure is the median of)", lambda s: str(s.runs))
    row("sheets / topics / sources", lambda s: _shape(s))
    row(
        "`factsheet check`, in-process `generate.check()` (s)",
        lambda s: _fmt(s.median("check")),
    )
    row("`factsheet check`, command wall time (s)", lambda s: _fmt(s.median("check_cli")))
    row("CSafeLoader parse of the same YAML (s)", lambda s: _fmt(s.median("parse"), 3))
    row("strict loader, `load_yaml` of every file (s)", lambda s: _fmt(s.median("strict"), 3))
    row(
        "generation step, `generate()` in its own process (s)",
        lambda s: _fmt(s.median("generate")),
    )
    row("MkDocs step, `run_mkdocs()` (s)", lambda s: _fmt(s.median("mkdocs")))
    if any(s.samples.get("sanitize") for s in sizes):
        row("page check after MkDocs, `check_site()` (s)", lambda s: _fmt(s.median("sanitize")))
    row("swap in the new site, `_swap()` (s)", lambda s: _fmt(s.median("swap")))
    row("whole `factsheet build`, wall time (s)", lambda s: _fmt(s.median("build")))
    row(
        "then deleting the previous site and scratch files, in the background (s)",
        lambda s: _fmt(s.median("cleanup")),
    )
    row("whole `factsheet build`, CPU time (s)", lambda s: _fmt(s.median("build_cpu")))
    row(
        "peak memory of `factsheet build`: largest process RSS / all processes PSS (MiB)",
        lambda s: _pair(s, "build_rss", "build_tree"),
    )
    row("facts per second (whole build)", lambda s: _fmt(s.median("facts_per_s"), 0))
    row("mkdocs-macros peer build, wall time (s)", lambda s: _fmt(s.median("peer")))
    row("mkdocs-macros peer build, CPU time (s)", lambda s: _fmt(s.median("peer_cpu")))
    row(
        "peak memory of the peer build: largest process RSS / all processes PSS (MiB)",
        lambda s: _pair(s, "peer_rss", "peer_tree"),
    )
    row("HTML pages, factsheet / peer", lambda s: _html(s, 0))
    row("HTML bytes, factsheet / peer (MB)", lambda s: _html(s, 1))
    row(
        "(a) check / CSafeLoader parse (target ≤ 2)",
        lambda s: _fmt(s.median("ratio_check_parse"), 1),
    )
    row(
        "(b) factsheet build / peer build (target ≤ 0.5)",
        lambda s: _fmt(s.median("ratio_build_peer")),
    )
    row(
        "(c) strict loader / CSafeLoader parse",
        lambda s: _fmt(s.median("ratio_strict_parse"), 2),
    )
    by_n = {s.n: s for s in sizes}

    def scaling(s: Size) -> str:
        if FULL_SIZE not in by_n or 10_000 not in by_n:
            return "only with `--full`"
        if s.n != FULL_SIZE:
            return "–"
        small = by_n.get(10_000)
        if small is None or s.timed_out or small.median("build") is None:
            return "–"
        big_time = s.median("build")
        small_time = small.median("build")
        assert big_time is not None and small_time is not None
        return _fmt((big_time / s.n) / (small_time / small.n))

    row("(d) per-fact build time vs N = 10,000 (target ≤ 1.3)", scaling)
    row("incremental preview: save an edited fact → its page served (s)", _preview)
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---", *("---:" for _ in sizes)]) + " |",
    ]
    lines.extend("| " + " | ".join(r) + " |" for r in rows)
    return "\n".join(lines)


def _pair(s: Size, first: str, second: str) -> str:
    return f"{_fmt(s.median(first), 0)} / {_fmt(s.median(second), 0)}"


def _shape(s: Size) -> str:
    n_sheets = max(1, s.n // 200)
    return f"{n_sheets:,} / {max(1, s.n // 20):,} / {max(2, s.n // 10):,}"


def _html(s: Size, which: int) -> str:
    ours, peer = s.html.get("factsheet"), s.html.get("peer")
    if ours is None or peer is None:
        return "–"
    if which == 0:
        return f"{ours[0]:,} / {peer[0]:,}"
    return f"{ours[1] / 1e6:.1f} / {peer[1] / 1e6:.1f}"


def _preview(s: Size) -> str:
    value = s.median("preview")
    if value is None:
        return s.preview_skipped or "–"
    return _fmt(value)


NOTES = """\
How these were measured (`python bench/run.py`, see its docstring):

- Every figure is a median over the runs counted in the first row; ratios are
  medians of per-run ratios, the two sides measured back to back in the same run.
- `check`, `parse` and `strict` are in-process times (`bench/measure.py`, a fresh
  interpreter per measurement, after imports and a warm-up read of every file).
  The "command wall time" row is the whole `factsheet check` process.
- The build rows come from one subprocess running the real `factsheet build`
  command line with timers around `generate()` (load + check + render, in a process
  of its own whose result is handed back),
  `run_mkdocs()` (MkDocs: configuration, Markdown, theme, search index, sitemap),
  `check_site()` (sanitising every built page) and `_swap()`; wall time, CPU time
  and peak RSS (`os.wait4`) are of that whole process and the workers it forks
  (the plugin renders pages on up to four cores); "all processes PSS" samples the
  summed proportional set size of the process and its workers every 0.2 s.  The
  peer runs on one core, so compare CPU times too.
- The peer is `mkdocs build --strict` of `bench/out/N/peer/` (mkdocs-macros-plugin,
  `bench/peer/`): the same YAML read with `yaml.CSafeLoader`, the same pages
  (home, sheet + differences + corrections per sheet, sources index, a page per
  source; no format page), theme, search, Markdown extensions and navigation, and no checks.
- Incremental preview: `factsheet serve` on a copy of the project; the time from
  saving an edited fact's statement (one facts file) to the served sheet page
  showing the edit, polled every 50 ms: the watcher's latency plus whatever
  rebuild `serve` does (a full one before `db0ee42`, only the changed pages since).
- Subprocesses run with a clean environment and `SOURCE_DATE_EPOCH=1704067200`.
"""


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(PROJECT), *args], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return ""


def machine() -> str:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    # only the code that runs counts: results files and notes may be edited meanwhile
    dirty = _git("status", "--porcelain", "--", "generator", "templates", "bench/*.py")
    cpu = platform.processor() or platform.machine()
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} CPUs ({cpu}); commit {commit}"
        + (" (plus uncommitted changes to the code)" if dirty else "")
    )


ENGINES = ("mkdocs", "properdocs", "zensical")


def engines_run(sizes_n: list[int], runs: int, timeout: float | None, output: Path) -> int:
    """Each engine's whole build of the same content, and the export built without the plugin."""
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    results: list[Size] = []
    for n in sizes_n:
        print(f"N = {n:,}", flush=True)
        root = OUT / f"engines-{n}"
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [PYTHON, str(BENCH / "make_content.py"), str(n), str(root / "content")],
            check=True,
            env=clean_env(),
        )
        size = Size(n, root)
        results.append(size)
        for run in range(runs):
            order = ENGINES[run % 3 :] + ENGINES[: run % 3]
            for engine in order:
                site = f"site-{engine}"
                proc = run_proc(
                    [*factsheet_command(), "build", "--engine", engine, "--site-dir", site],
                    cwd=root,
                    timeout=timeout,
                )
                size.add(engine, proc.seconds)
                size.add(f"{engine}_cpu", proc.cpu_seconds)
                size.add(f"{engine}_tree", proc.tree_peak_mib)
                wait_for_cleanup(root, site, timeout)
                print(f"  {engine}: {proc.seconds:.1f} s", flush=True)
            if run == 0:  # the export, built without the plugin: once
                export = root / "export"
                shutil.rmtree(export, ignore_errors=True)
                proc = run_proc(
                    [*factsheet_command(), "export", str(export)], cwd=root, timeout=timeout
                )
                size.add("export", proc.seconds)
                for name, command in (
                    ("export_mkdocs", [PYTHON, "-m", "mkdocs", "build", "-q"]),
                    ("export_zensical", [PYTHON, "-m", "zensical", "build"]),
                ):
                    proc = run_proc(command, cwd=export, timeout=timeout)
                    size.add(name, proc.seconds)
                    size.add(f"{name}_cpu", proc.cpu_seconds)
                    size.add(f"{name}_tree", proc.tree_peak_mib)
                    print(f"  {name}: {proc.seconds:.1f} s", flush=True)
            size.runs += 1
    report = engines_table(results)
    print()
    print(report)
    total = time.perf_counter() - started
    output.write_text(
        "# Engines side by side\n\n"
        f"{machine()}; benchmark took {total:,.0f} s; 1-minute load average "
        f"{load_start:.1f} at the start and {os.getloadavg()[0]:.1f} at the end.\n\n"
        f"{report}\n\n{ENGINE_NOTES}",
        encoding="utf-8",
    )
    print(f"\nwrote {output} ({total:,.0f} s)")
    return 0


def engines_table(sizes: list[Size]) -> str:
    lines = []
    for size in sizes:
        reference = size.median("mkdocs")
        lines += [
            f"N = {size.n:,} facts, {size.runs} run(s) (medians)",
            "",
            "| build | wall (s) | CPU (s) | peak memory (MiB) | wall / `factsheet build` |",
            "| --- | --- | --- | --- | --- |",
        ]
        labels = {
            "mkdocs": "`factsheet build` (MkDocs)",
            "properdocs": "`factsheet build --engine properdocs`",
            "zensical": "`factsheet build --engine zensical`",
            "export_mkdocs": "`factsheet export`, then stock `mkdocs build` of it",
            "export_zensical": "`factsheet export`, then `zensical build` of it",
        }
        for key, label in labels.items():
            wall = size.median(key)
            if key.startswith("export_") and wall is not None:
                export = size.median("export")
                label += f" (+ {_fmt(export, 1)} s export)"
            ratio = wall / reference if wall is not None and reference else None
            lines.append(
                f"| {label} | {_fmt(wall, 1)} | {_fmt(size.median(key + '_cpu'), 1)} "
                f"| {_fmt(size.median(key + '_tree'), 0)} | {_fmt(ratio)} |"
            )
        lines.append("")
    return "\n".join(lines)


ENGINE_NOTES = """\
How these were measured (`python bench/run.py --engines`): each build is the real command
in a subprocess with a clean environment, timed wall to wall; CPU time is of the process
and the children it waited for (the engines' own processes included); peak memory is the
summed PSS of the session's processes, sampled. `factsheet build --engine E` includes
generating the pages, the page check and the swap; the export rows do not include the
export itself (shown in brackets). Other work on the machine slows every figure.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help=f"also N = {FULL_SIZE:,}")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument(
        "--sizes", type=int, nargs="+", metavar="N", help="sizes to run instead of the defaults"
    )
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds after which only the first run of each size is made "
        "(default 600, none with --full; 0 = no budget)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="give up a measurement after this many seconds (default 3600)",
    )
    parser.add_argument("--no-preview", action="store_true", help="skip the preview measurement")
    parser.add_argument(
        "--output", type=Path, default=BENCH / "results.md", help="where to write the results"
    )
    parser.add_argument(
        "--engines",
        action="store_true",
        help="measure MkDocs, ProperDocs and Zensical side by side instead (N = 10,000)",
    )
    args = parser.parse_args(argv)
    if args.engines:
        default = args.output == BENCH / "results.md"
        output = BENCH / "results-engines.md" if default else args.output
        return engines_run(list(args.sizes or (10_000,)), args.runs, args.timeout, output)
    sizes_n = list(args.sizes or (*DEFAULT_SIZES, *((FULL_SIZE,) if args.full else ())))
    budget = args.budget if args.budget is not None else (None if args.full else 600.0)
    if budget == 0:
        budget = None
    started = time.perf_counter()
    load_start = os.getloadavg()[0]

    def fits(estimate: float) -> bool:
        return budget is None or time.perf_counter() - started + estimate <= budget

    sizes: list[Size] = []
    for n in sizes_n:
        print(f"N = {n:,}", flush=True)
        size = prepare(n)
        sizes.append(size)
        try:
            run_started = time.perf_counter()
            one_run(size, 0, args.timeout)
            run_time = time.perf_counter() - run_started
            _progress(size)
            # the preview before more runs: a figure beats a tighter median
            # serving builds on one core: its CPU time estimates a serial build
            build_time = max(size.median("build") or 0.0, size.median("build_cpu") or 0.0)
            edits = max(1, min(args.runs, 3))
            while edits > 1 and not fits(build_time * (1 + edits) + 5):
                edits -= 1
            if args.no_preview:
                size.preview_skipped = "skipped (`--no-preview`)"
            elif not fits(build_time * (1 + edits) + 5):
                size.preview_skipped = "skipped (time budget; `--budget 0`)"
            else:
                for seconds in measure_preview(size, edits, args.timeout):
                    size.add("preview", seconds)
                print(f"  preview: {size.samples.get('preview')}", flush=True)
            for run in range(1, args.runs):
                if not fits(run_time):
                    size.notes.append(f"runs cut to {size.runs} by the time budget")
                    break
                one_run(size, run, args.timeout)
                _progress(size)
        except Timeout as exc:
            size.timed_out = str(exc)
            print(f"  timeout: {exc}", flush=True)
    report = table(sizes)
    print()
    print(report)
    total = time.perf_counter() - started
    notes = "".join(
        f"- N = {s.n:,}: {note}\n"
        for s in sizes
        for note in [*s.notes] + ([s.timed_out] if s.timed_out else [])
    )
    load_end = os.getloadavg()[0]
    args.output.write_text(
        "# Benchmark results\n\n"
        f"{machine()}; benchmark took {total:,.0f} s; 1-minute load average "
        f"{load_start:.1f} at the start and {load_end:.1f} at the end (other work on the "
        "machine slows every figure; the side-by-side ratios suffer least).\n\n"
        f"{report}\n\n{NOTES}{notes}",
        encoding="utf-8",
    )
    print(f"\nwrote {args.output} ({total:,.0f} s)")
    return 0


def _progress(size: Size) -> None:
    last = {key: values[-1] for key, values in size.samples.items()}
    print(
        f"  run {size.runs}: check {last['check']:.2f} s, parse {last['parse']:.3f} s, "
        f"build {last['build']:.1f} s (generate {last['generate']:.1f}, mkdocs "
        f"{last['mkdocs']:.1f}, check_site {last.get('sanitize', 0):.1f}), "
        f"peer {last['peer']:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())

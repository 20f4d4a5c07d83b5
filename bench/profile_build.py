"""Profile one ``factsheet build`` with cProfile and say where the time goes.

Usage::

    python bench/profile_build.py [N] [--top K]
    python bench/profile_build.py --report bench/out/10000/build.prof
    python bench/profile_build.py [N] --timers
    python bench/profile_build.py [N] --timers --peer

Builds ``bench/out/N`` (default N = 10,000; the content is written first if it
is missing) in this process under :mod:`cProfile`, saves the raw profile to
``bench/out/N/build.prof`` (open it with ``python -m pstats`` or snakeviz), and
prints the time of each stage of the pipeline (cumulative times of the
functions that implement it, attributed through the profile's caller data
where one function serves two stages) followed by the top functions by
cumulative and by own time.  cProfile slows pure-Python code down, most of all code
that makes many small calls (HTML parser callbacks, Jinja), so compare stages
by their share; ``--timers`` builds once more without the profiler, with
wall-clock timers wrapped around the same functions, for their real times.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import importlib
import inspect
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent

Key = tuple[str, int, str]

# (label, depth, function, caller): functions as "module:qualname" (resolved to their code
# object, so that methods of one file are told apart) or "path/suffix.html:name" (code
# compiled from a template); with a caller, only the time spent under that caller counts.
STAGES: tuple[tuple[str, int, str, str], ...] = (
    ("build_site (everything below)", 0, "generator.site.build:build_site", ""),
    ("generate(): load + check + render", 1, "generator.generate:generate", ""),
    ("load_content (loader)", 2, "generator.content.loader:load_content", ""),
    ("load_yaml (strict YAML)", 3, "generator.content.yamlload:load_yaml", ""),
    ("run_checks", 2, "generator.checks:run_checks", ""),
    ("quotes.check", 3, "generator.checks.quotes:check", ""),
    ("figures.check", 3, "generator.checks.figures:check", ""),
    ("references.check", 3, "generator.checks.references:check", ""),
    ("read_history (git)", 2, "generator.analysis.history:read_history", ""),
    ("build_views", 2, "generator.analysis.views:build_views", ""),
    ("render_site", 2, "generator.render.pages:render_site", ""),
    ("Templates.render (Jinja pages)", 3, "generator.render.pages:Templates.render", ""),
    ("sheet_graph (JSON-LD)", 4, "generator.render.jsonld:sheet_graph", ""),
    ("sheet_charts", 4, "generator.render.charts:sheet_charts", ""),
    ("archive_segments (source pages)", 4, "generator.analysis.views:archive_segments", ""),
    ("source_coverage (source pages)", 4, "generator.analysis.coverage:source_coverage", ""),
    ("exports.write_downloads (downloads)", 3, "generator.downloads.exports:write_downloads", ""),
    ("dump_json", 4, "generator.downloads.exports:dump_json", ""),
    ("run_mkdocs: the MkDocs step", 1, "generator.site.build:run_mkdocs", ""),
    ("load_config + plugins", 2, "mkdocs.config.base:load_config", ""),
    (
        "on_files: factsheet plugin adds pages",
        2,
        "generator.site.plugin:FactsheetPlugin.on_files",
        "",
    ),
    ("get_navigation", 2, "mkdocs.structure.nav:get_navigation", ""),
    ("Page.render: Markdown -> HTML", 2, "mkdocs.structure.pages:Page.render", ""),
    (
        "md_in_html: raw HTML blocks",
        3,
        "markdown.extensions.md_in_html:HtmlBlockPreprocessor.run",
        "",
    ),
    ("inline patterns", 3, "markdown.treeprocessors:InlineProcessor.run", ""),
    ("MkDocs: anchors in raw HTML", 3, "mkdocs.structure.pages:_RawHTMLPreprocessor.run", ""),
    ("MkDocs: relative links", 3, "mkdocs.structure.pages:_RelativePathTreeprocessor.run", ""),
    ("block parser", 3, "markdown.blockparser:BlockParser.parseDocument", ""),
    ("toc", 3, "markdown.extensions.toc:TocTreeprocessor.run", ""),
    ("serialise to HTML", 3, "markdown.serializers:to_xhtml_string", ""),
    ("_build_page: theme + search entries + write", 2, "mkdocs.commands.build:_build_page", ""),
    (
        "theme: Template.render",
        3,
        "jinja2.environment:Template.render",
        "mkdocs.commands.build:_build_page",
    ),
    ("navigation (partials/nav.html)", 4, "material/templates/partials/nav.html:root", ""),
    (
        "search index: entries (on_page_context)",
        3,
        "material.plugins.search.plugin:SearchPlugin.on_page_context",
        "",
    ),
    (
        "search index: entries (on_page_context)",
        3,
        "mkdocs.contrib.search:SearchPlugin.on_page_context",
        "",
    ),
    (
        "search index: JSON (on_post_build)",
        2,
        "material.plugins.search.plugin:SearchPlugin.on_post_build",
        "",
    ),
    (
        "search index: JSON (on_post_build)",
        2,
        "mkdocs.contrib.search:SearchPlugin.on_post_build",
        "",
    ),
    ("write_file", 3, "mkdocs.utils:write_file", ""),
    ("sitemap, 404 (_build_theme_template)", 2, "mkdocs.commands.build:_build_theme_template", ""),
    ("copy_static_files", 2, "mkdocs.structure.files:Files.copy_static_files", ""),
    ("check_site: sanitise built pages", 1, "generator.site.sanitize:check_site", ""),
    ("nh3 sanitiser", 2, "generator.site.sanitize:sanitize", ""),
    ("token comparison", 2, "generator.site.sanitize:_canonical", ""),
    ("_swap: replace the old site", 1, "generator.site.build:_swap", ""),
)


def resolve(spec: str) -> tuple[str, int | None, str] | None:
    """(file suffix or path, first line or None, name) of a "module:qualname" or template."""
    where, _, name = spec.rpartition(":")
    if where.endswith(".html"):
        return where, None, name
    try:
        obj: Any = importlib.import_module(where)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    code = getattr(inspect.unwrap(obj), "__code__", None)
    if code is None:
        return None
    return code.co_filename, code.co_firstlineno, code.co_name


def _matches(key: Key, target: tuple[str, int | None, str]) -> bool:
    path, line, name = target
    if line is None:
        return key[2] == name and key[0].replace(os.sep, "/").endswith(path)
    return key == (path, line, name)


def stage_time(stats: dict[Key, Any], function: str, caller: str = "") -> float | None:
    target = resolve(function)
    if target is None:
        return None
    by = resolve(caller) if caller else None
    total = 0.0
    found = False
    for key, (_, _, _, cumulative, callers) in stats.items():
        if not _matches(key, target):
            continue
        found = True
        if by is None:
            total += cumulative
            continue
        for caller_key, timing in callers.items():
            if _matches(caller_key, by):
                total += timing[3]
    return total if found else None


PAGE_RENDER = "mkdocs.structure.pages:Page.render"


def _page_kind(page: Any) -> str:
    """'sheets/*/index.md', 'sources/*.md', 'index.md', ... for a MkDocs page."""
    uri = str(getattr(getattr(page, "file", None), "src_uri", ""))
    parts = uri.split("/")
    if len(parts) == 1 or (len(parts) == 2 and parts[-1] == "index.md"):
        return uri  # the home page, a section's index
    if len(parts) == 2:
        return f"{parts[0]}/*.md"
    return "/".join([parts[0], *["*"] * (len(parts) - 2), parts[-1]])


class Timers:
    """Wall-clock timers wrapped around the STAGES functions: their times without a profiler.

    Each function is replaced, in its class or module and wherever a module
    imported it by name, by a wrapper that adds the time of its outermost calls.
    Template code (navigation) and caller-specific stages cannot be wrapped.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._depth: dict[str, int] = {}
        self.by_kind: dict[str, list[float]] = {}
        """Page.render time by kind of page (first path segment and file name): [s, pages]."""

    def wrap(self, spec: str) -> bool:
        where, _, name = spec.rpartition(":")
        if where.endswith(".html"):
            return False
        try:
            owner: Any = importlib.import_module(where)
        except ImportError:
            return False
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        original = getattr(owner, attr, None) if owner is not None else None
        if original is None or not callable(original):
            return False
        wrapper = self._wrapper(spec, original)
        setattr(owner, attr, wrapper)
        if not path:  # a module-level function: also where it was imported by name
            for module in list(sys.modules.values()):
                for key, value in list(vars(module).items()) if module else ():
                    if value is original:
                        setattr(module, key, wrapper)
        return True

    def _wrapper(self, spec: str, func: Any) -> Any:
        seconds, depth = self.seconds, self._depth
        seconds.setdefault(spec, 0.0)
        depth.setdefault(spec, 0)

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            depth[spec] += 1
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                depth[spec] -= 1
                if depth[spec] == 0:
                    elapsed = time.perf_counter() - started
                    seconds[spec] += elapsed
                    if spec == PAGE_RENDER and args:
                        kind = self.by_kind.setdefault(_page_kind(args[0]), [0.0, 0])
                        kind[0] += elapsed
                        kind[1] += 1

        return timed


PEER_STAGES: tuple[tuple[str, int, str, str], ...] = (
    ("mkdocs build() of the peer (everything below)", 0, "mkdocs.commands.build:build", ""),
    (
        "macros: on_config (define_env loads the YAML)",
        1,
        "mkdocs_macros.plugin:MacrosPlugin.on_config",
        "",
    ),
    (
        "macros: render each page's Jinja",
        1,
        "mkdocs_macros.plugin:MacrosPlugin.on_page_markdown",
        "",
    ),
    *(
        (label, max(1, depth - 1), spec, caller)
        for label, depth, spec, caller in STAGES
        if spec.startswith(("mkdocs.", "markdown.", "material."))
        and spec != "mkdocs.config.base:load_config"
    ),
)
"""The stages of the peer's build: the macros plugin's, and MkDocs' as for factsheet."""


def _print_timed(
    timers: Timers, stages: tuple[tuple[str, int, str, str], ...], wrapped: list[str], total: float
) -> None:
    print("| stage | seconds | share |")
    print("| --- | ---: | ---: |")
    for label, depth, spec, _ in stages:
        if spec in wrapped and spec in timers.seconds:
            seconds = timers.seconds[spec]
            if not seconds and depth > 0:
                continue  # not called in this build (the other search plugin, say)
            indent = "&nbsp;" * 4 * depth
            print(f"| {indent}{label} | {seconds:.2f} | {100 * seconds / total:.1f}% |")
    page = timers.seconds.get("mkdocs.commands.build:_build_page", 0.0)
    others = sum(
        timers.seconds.get(spec, 0.0)
        for spec in (
            "material.plugins.search.plugin:SearchPlugin.on_page_context",
            "mkdocs.contrib.search:SearchPlugin.on_page_context",
            "mkdocs.utils:write_file",
        )
    )
    if page:
        theme = page - others
        print(
            f"| theme rendering (_build_page less search and write_file) | {theme:.2f} | "
            f"{100 * theme / total:.1f}% |"
        )
    if timers.by_kind:
        print("\n| Markdown -> HTML by page | pages | seconds | per page |")
        print("| --- | ---: | ---: | ---: |")
        for kind, (seconds, count) in sorted(timers.by_kind.items(), key=lambda kv: -kv[1][0]):
            print(f"| `{kind}` | {count:,} | {seconds:.2f} | {seconds / count:.3f} |")


def _import_build_modules() -> None:
    """Import what a build uses, so that the timers can replace its functions."""
    for name in (
        "markdown.extensions.md_in_html",
        "markdown.extensions.toc",
        "mkdocs.commands.build",
        "material.plugins.search.plugin",
        "generator.site.build",
        "generator.site.plugin",
        "mkdocs_macros.plugin",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def timed_build(n: int) -> None:
    """Build bench/out/N once with the STAGES functions timed (no profiler)."""
    root = _prepare(n)
    _import_build_modules()
    timers = Timers()
    wrapped = [spec for _, _, spec, caller in STAGES if not caller and timers.wrap(spec)]
    elapsed, pages = _build(root, None)
    total = timers.seconds.get(STAGES[0][2]) or elapsed
    print(f"N = {n:,}: {pages:,} pages in {elapsed:.1f} s, stages timed without a profiler\n")
    _print_timed(timers, STAGES, wrapped, total)


def timed_peer(n: int) -> None:
    """Build the peer of bench/out/N (bench/peer/make_site.py) with its stages timed."""
    peer = _prepare(n) / "peer"
    if not (peer / "mkdocs.yml").is_file():
        raise SystemExit(f"no peer in {peer}: run bench/peer/make_site.py first")
    _import_build_modules()
    import mkdocs.commands.build
    from mkdocs.config import load_config

    os.chdir(peer)  # mkdocs-macros reads include_dir from the working directory
    timers = Timers()
    wrapped = [spec for _, _, spec, caller in PEER_STAGES if not caller and timers.wrap(spec)]
    site = Path(tempfile.mkdtemp(prefix="profile-peer-", dir=peer))
    started = time.perf_counter()
    try:
        config = load_config(str(peer / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs.commands.build.build(config)  # looked up now: the timed wrapper
        config.plugins.on_shutdown()
    finally:
        elapsed = time.perf_counter() - started
        shutil.rmtree(site, ignore_errors=True)
    total = timers.seconds.get(PEER_STAGES[0][2]) or elapsed
    print(f"peer of N = {n:,}: built in {elapsed:.1f} s, stages timed without a profiler\n")
    _print_timed(timers, PEER_STAGES, wrapped, total)


def report(stats: pstats.Stats, top: int) -> None:
    """The stage table and the top functions, as Markdown and pstats text."""
    raw: dict[Key, Any] = stats.stats  # type: ignore[attr-defined]
    total = stage_time(raw, STAGES[0][2]) or stats.total_tt  # type: ignore[attr-defined]
    print("| stage | seconds | share |")
    print("| --- | ---: | ---: |")
    for label, depth, function, caller in STAGES:
        seconds = stage_time(raw, function, caller)
        if seconds is None:
            continue
        indent = "&nbsp;" * 4 * depth
        print(f"| {indent}{label} | {seconds:.2f} | {100 * seconds / total:.1f}% |")
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats.stream = buffer  # type: ignore[attr-defined]
        stats.sort_stats(order).print_stats(top)
        text = buffer.getvalue()
        start = text.find("   ncalls")
        print(f"\nTop {top} by {order}:\n")
        print(text[start:] if start >= 0 else text)


def _prepare(n: int) -> Path:
    root = BENCH / "out" / str(n)
    if not (root / "content").is_dir():
        sys.path.insert(0, str(BENCH))
        from make_content import write_project

        write_project(n, root / "content")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1704067200")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return root


JOBS = 1
"""Worker processes for page rendering (``--jobs``): 1 keeps all work in this process."""


def _build(root: Path, profiler: cProfile.Profile | None) -> tuple[float, int]:
    """One build_site of ``root`` into a temporary directory: (seconds, pages)."""
    from generator.cli import _setup_logging
    from generator.site.build import build_site
    from generator.site.project import find_project

    for name in ("generator.speed.parallel", "generator.site.plugin", "generator.site.build"):
        module: Any = sys.modules.get(name) or _try_import(name)
        if module is not None and hasattr(module, "default_jobs"):
            module.default_jobs = lambda: JOBS
    # a build runs the generator in a process of its own; here it runs in this one, so
    # that the profile and the timers see it
    build_module: Any = _try_import("generator.site.build")
    build_module.in_child = lambda task: task()

    _setup_logging(False)
    project = find_project(root / "mkdocs.yml")
    site = Path(tempfile.mkdtemp(prefix="profile-site-", dir=root))
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    try:
        result = build_site(project, site_dir=site / "site")
    finally:
        if profiler is not None:
            profiler.disable()
        elapsed = time.perf_counter() - started
        shutil.rmtree(site, ignore_errors=True)
    if result.problems:
        raise SystemExit(
            "the build failed:\n" + "\n".join(p.format() for p in result.problems[:10])
        )
    return elapsed, result.pages


def _try_import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def profile_build(n: int) -> Path:
    """Build bench/out/N under cProfile; the path of the saved profile."""
    root = _prepare(n)
    profiler = cProfile.Profile()
    elapsed, pages = _build(root, profiler)
    out = root / "build.prof"
    profiler.dump_stats(str(out))
    print(f"N = {n:,}: {pages:,} pages, {elapsed:.1f} s under cProfile; saved {out}\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="facts (default 10,000)")
    parser.add_argument("--top", type=int, default=30, help="functions to list (default 30)")
    parser.add_argument(
        "--report", type=Path, metavar="PROF", help="only report on a saved profile"
    )
    parser.add_argument(
        "--timers",
        action="store_true",
        help="no profiler: time the stages with wrappers (their real times)",
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="with --timers: time the mkdocs-macros peer's build instead",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="page-rendering workers of the build (default 1: everything in this "
        "process, where the profiler and timers see it; real builds use up to 4)",
    )
    args = parser.parse_args(argv)
    global JOBS
    JOBS = args.jobs
    if args.timers:
        (timed_peer if args.peer else timed_build)(args.n)
        return 0
    path = args.report or profile_build(args.n)
    report(pstats.Stats(str(path)), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

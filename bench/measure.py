"""One measurement in a fresh interpreter; ``bench/run.py`` starts it as a subprocess.

Usage::

    python bench/measure.py parse CONTENT_DIR     # yaml.load(CSafeLoader) of every YAML file
    python bench/measure.py strict CONTENT_DIR    # content.yamlload.load_yaml of every file
    python bench/measure.py check CONTENT_DIR     # generator.generate.check
    python bench/measure.py build CONFIG SITE_DIR # `factsheet build`, with its phases timed

Each prints one JSON object on its last line of stdout.  Times are
``time.perf_counter()`` around the measured call only, after the imports and
after every content file has been read once (so the OS page cache is warm
and all measurements see the same disk state).  ``parse`` and ``strict`` time
reading and parsing each file; ``check`` times the whole of ``check()``,
which reads the files itself.

``build`` runs the real command line, ``generator.cli.main(["build", ...])``,
with timers wrapped around the functions ``build_site`` calls: ``in_child``
(the generation step: load + check + render in a process of its own, and its result
handed back), ``run_mkdocs`` (the MkDocs step), ``check_site`` (the
sanitiser's check of the built pages, when the build has one) and ``_swap``
(putting the new site in place and deleting the old one).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

PHASES = (
    ("in_child", "generate"),
    ("run_mkdocs", "mkdocs"),
    ("check_site", "sanitize"),
    ("_swap", "swap"),
    ("build_site", "build_site"),
)
"""Functions of ``generator.site.build`` timed in a build, and the keys of their times."""


def yaml_files(content: Path) -> list[Path]:
    """The YAML files the loader reads (sources and sheets), in its order."""
    return sorted(p for p in content.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def warm(content: Path) -> int:
    """Read every file once; returns the number of bytes."""
    return sum(len(p.read_bytes()) for p in sorted(content.rglob("*")) if p.is_file())


def measure_parse(content: Path) -> dict[str, Any]:
    import yaml

    files = yaml_files(content)
    warm(content)
    started = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "files": len(files)}


def measure_strict(content: Path) -> dict[str, Any]:
    from generator.content.yamlload import load_yaml

    files = yaml_files(content)
    warm(content)
    problems = 0
    started = time.perf_counter()
    for path in files:
        loaded = load_yaml(path.read_bytes(), str(path))
        problems += len(loaded.problems)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "files": len(files), "problems": problems}


def measure_check(content: Path) -> dict[str, Any]:
    from generator.generate import check

    warm(content)
    started = time.perf_counter()
    loaded, findings = check(content)
    elapsed = time.perf_counter() - started
    problems = len(loaded.problems) + len(findings.problems)
    return {
        "seconds": elapsed,
        "facts": len(loaded.content.facts),
        "sources": len(loaded.content.sources),
        "sheets": len(loaded.content.sheets),
        "problems": problems,
    }


def _timed(func: F, into: dict[str, float], key: str) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            into[key] = into.get(key, 0.0) + time.perf_counter() - started

    return wrapper  # type: ignore[return-value]


def measure_build(config: Path, site_dir: Path) -> dict[str, Any]:
    from generator import cli
    from generator.site import build

    content = config.parent / "content"
    if content.is_dir():
        warm(content)
    phases: dict[str, float] = {}
    for name, key in PHASES:
        if hasattr(build, name):  # check_site: only once the build sanitises its pages
            setattr(build, name, _timed(getattr(build, name), phases, key))
    started = time.perf_counter()
    status = cli.main(["build", "-f", str(config), "-d", str(site_dir)])
    elapsed = time.perf_counter() - started
    return {"status": status, "seconds": elapsed, **phases}


def main(argv: list[str]) -> int:
    kind, *args = argv
    if kind == "parse":
        result = measure_parse(Path(args[0]))
    elif kind == "strict":
        result = measure_strict(Path(args[0]))
    elif kind == "check":
        result = measure_check(Path(args[0]))
    elif kind == "build":
        result = measure_build(Path(args[0]), Path(args[1]))
    else:
        print(f"unknown measurement {kind!r}", file=sys.stderr)
        return 2
    sys.stdout.flush()
    print(json.dumps(result))
    return 0 if result.get("status", 0) == 0 and not result.get("problems") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

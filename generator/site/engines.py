"""The engines that turn the generator's pages into the site: MkDocs, ProperDocs, Zensical.

``factsheet build --engine NAME`` (or the plugin option ``engine: NAME`` in mkdocs.yml)
picks one; MkDocs is the default. Whatever the engine, :func:`generator.site.build.build_site`
generates the pages first, checks the engine's output with the sanitiser and swaps it in
atomically: only the step in the middle differs.

``mkdocs``      the factsheet plugin, through MkDocs' plugin API (``run_mkdocs``).
``properdocs``  ProperDocs, the maintained fork of MkDocs 1.6, through the same plugin: the
                build runs in a Python process of its own where ``mkdocs.*`` is ProperDocs
                (``properdocs.replacement``, what the ``properdocs`` command imports), so
                that the plugin, Material and the build share ProperDocs' classes. ProperDocs
                finds the plugin by its entry point (``properdocs.plugins`` and
                ``mkdocs.plugins``, both registered in pyproject.toml).
``zensical``    Zensical, Material's successor, ignores MkDocs plugins: the pages are
                exported with their configuration (:mod:`generator.site.export`, the
                escape hatch of ``factsheet export``) and ``zensical build`` builds them.
                Zensical indexes the pages for its own search (``search.json``); each fact
                is a section of it (its card's heading carries its anchor).
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from generator.problems import Loc, Problem, display_path
from generator.render.pages import RenderedSite
from generator.site.export import write_export
from generator.site.project import ENGINES, Project
from generator.site.sitemap import SitemapError, split_site

if TYPE_CHECKING:
    from generator.site.build import BuildResult

__all__ = ["ENGINES", "EngineFailed", "build_in_properdocs", "properdocs_active", "run_zensical"]

EXTRA = "pip install 'factsheet[engines]'"


class EngineFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def missing(engine: str) -> str | None:
    """Why ``engine`` cannot build here (None: it can)."""
    module = {"properdocs": "properdocs", "zensical": "zensical"}.get(engine)
    if module is not None and importlib.util.find_spec(module) is None:
        return f"the {engine} engine is not installed; {EXTRA}"
    return None


def properdocs_active() -> bool:
    """Whether ``mkdocs.*`` is ProperDocs in this process (``properdocs.replacement``)."""
    mkdocs = sys.modules.get("mkdocs")
    return mkdocs is not None and mkdocs is sys.modules.get("properdocs")


def build_in_properdocs(project: Project, *, site_dir: Path | None, strict: bool) -> BuildResult:
    """``build_site`` again, in a Python process where ``mkdocs.*`` is ProperDocs."""
    from generator.site.build import BuildResult

    with tempfile.TemporaryDirectory(prefix="factsheet-properdocs-") as handover:
        request, answer = Path(handover) / "request", Path(handover) / "answer"
        request.write_bytes(pickle.dumps((project, site_dir, strict)))
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import properdocs.replacement\n"
                "from generator.site.engines import _properdocs_child\n"
                "_properdocs_child()",
                str(request),
                str(answer),
            ],
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            check=False,
        )
        if done.returncode != 0 or not answer.is_file():
            return BuildResult(
                [
                    Problem(
                        Loc(display_path(project.config_file)),
                        f"the ProperDocs build stopped (exit status {done.returncode}; "
                        "see the messages above)",
                    )
                ]
            )
        result: BuildResult = pickle.loads(answer.read_bytes())
        return result


def _properdocs_child() -> None:
    from generator.site.build import build_site

    request, answer = Path(sys.argv[1]), Path(sys.argv[2])
    project, site_dir, strict = pickle.loads(request.read_bytes())
    if not properdocs_active():  # pragma: no cover - properdocs.replacement is imported first
        raise SystemExit("ProperDocs' replacement of mkdocs is not active")
    answer.write_bytes(pickle.dumps(build_site(project, site_dir=site_dir, strict=strict)))


def run_zensical(
    project: Project, site: RenderedSite, out_dir: Path, work_dir: Path, *, strict: bool
) -> None:
    """Export the pages to ``work_dir`` and build them with ``zensical build`` into ``out_dir``
    (an empty directory on the same file system)."""
    # Zensical builds only into a directory inside the project: the site is moved after
    config_file = write_export(project, site, work_dir / ".zensical-export", site_dir="site")
    built = config_file.parent / "site"
    command = [sys.executable, "-m", "zensical", "build", "-f", str(config_file)]
    if strict:
        command.append("--strict")
    done = subprocess.run(
        command,
        cwd=config_file.parent,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        check=False,
    )
    if done.returncode != 0 or not (built / "index.html").is_file():
        raise EngineFailed(
            [
                Problem(
                    Loc(display_path(project.config_file)),
                    f"Zensical stopped the build (exit status {done.returncode}; "
                    "see its messages above)",
                )
            ]
        )
    _search_paths_as_text(built / "search.json")
    try:  # as the plugin does after MkDocs' build
        split_site(built, project.site_url)
    except SitemapError as exc:
        raise EngineFailed([Problem(Loc(display_path(project.config_file)), str(exc))]) from None
    with contextlib.suppress(FileNotFoundError):
        out_dir.rmdir()  # empty: made by the caller
    os.replace(built, out_dir)


def _search_paths_as_text(index: Path) -> None:
    """Zensical's search shows each result's place in the navigation (``path``) as text,
    escaping it: titles the generator escaped for Material (which prints them as HTML)
    would show their entities (``China&#39;s``). They are unescaped here."""
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for item in data.get("items", []):
        if isinstance(item.get("path"), list):
            item["path"] = [html.unescape(p) if isinstance(p, str) else p for p in item["path"]]
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")

"""Where a project's files are: mkdocs.yml, and the content and templates it names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

from generator.paths import normal_site_url

DEFAULT_CONFIG = "mkdocs.yml"

ENGINES = ("mkdocs", "properdocs", "zensical")
"""What builds the site from the generator's pages (the plugin's ``engine`` option; see
:mod:`generator.site.engines`)."""

HISTORY_POLICIES = ("require", "allow-shallow")
"""The plugin's ``history`` option: what a build does with a shallow git history of the
content (see :mod:`generator.analysis.history`): fail, or build without change dates."""


class ProjectError(Exception):
    """The project cannot be found or its mkdocs.yml cannot be read (a usage error)."""


@dataclass(frozen=True)
class Project:
    config_file: Path
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    directory_urls: bool = True
    """MkDocs' use_directory_urls: pages are published as x/y/ (else x/y.html)."""
    jobs: int = 0
    """The plugin's ``jobs`` option: processes for a build (0: one per core)."""
    speed: bool = True
    """The plugin's ``speed`` option (see :func:`generator.speed.enabled`)."""
    history: str = "require"
    """The plugin's ``history`` option: ``require`` a whole git history, or ``allow-shallow``."""
    site_url: str | None = None
    """MkDocs' ``site_url`` (ending in ``/``): where the site is published; None if unset."""
    publish: bool = False
    """The plugin's ``publish`` option: a build without ``site_url`` is an error."""
    engine: str = "mkdocs"
    """The plugin's ``engine`` option: what ``factsheet build`` builds the site with."""

    @property
    def root(self) -> Path:
        return self.config_file.parent


def find_project(
    config_file: str | os.PathLike[str] | None = None,
    *,
    content_dir: str | os.PathLike[str] | None = None,
    templates_dir: str | os.PathLike[str] | None = None,
    site_dir: str | os.PathLike[str] | None = None,
) -> Project:
    """Read the plugin's directories from mkdocs.yml; explicit arguments win."""
    path = Path(config_file) if config_file else _search_config(Path.cwd())
    if not path.is_file():
        raise ProjectError(
            f"{path}: no such file; run factsheet in the project directory (the one with "
            f"{DEFAULT_CONFIG}) or pass --config-file"
        )
    data = read_config(path)
    options = _plugin_options(data)
    root = path.resolve().parent
    history = options.get("history", "require")
    if history not in HISTORY_POLICIES:
        raise ProjectError(
            f"{path}: the factsheet plugin's option 'history' is '{history}'; "
            f"write {' or '.join(HISTORY_POLICIES)}"
        )
    engine = options.get("engine", "mkdocs")
    if engine not in ENGINES:
        raise ProjectError(
            f"{path}: the factsheet plugin's option 'engine' is '{engine}'; "
            f"write {', '.join(ENGINES[:-1])} or {ENGINES[-1]}"
        )
    return Project(
        config_file=path.resolve(),
        content_dir=_pick(content_dir, root / options.get("content_dir", "content")),
        templates_dir=_pick(templates_dir, root / options.get("templates_dir", "templates")),
        site_dir=_pick(site_dir, root / str(data.get("site_dir", "site"))),
        directory_urls=data.get("use_directory_urls", True) is not False,
        jobs=int(options.get("jobs", 0) or 0) if str(options.get("jobs", 0)).isdigit() else 0,
        speed=options.get("speed", True) is not False,
        history=history,
        site_url=normal_site_url(str(data.get("site_url") or "") or None),
        publish=str(options.get("publish", False)).lower() == "true",
        engine=engine,
    )


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as data (``!ENV`` tags resolved); ProjectError if it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml_load(handle) or {}
    except Exception as exc:  # MkDocs' loader raises several kinds for a broken file
        raise ProjectError(f"{path}: cannot read the MkDocs configuration: {exc}") from exc
    if not isinstance(data, dict):
        raise ProjectError(f"{path}: the MkDocs configuration is not a mapping")
    return data


def _pick(given: str | os.PathLike[str] | None, default: Path) -> Path:
    return Path(given).resolve() if given else default.resolve()


def _search_config(start: Path) -> Path:
    for directory in (start, *start.parents):
        candidate = directory / DEFAULT_CONFIG
        if candidate.is_file():
            return candidate
    return start / DEFAULT_CONFIG


def _plugin_options(data: dict[str, Any]) -> dict[str, str]:
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins:
        if isinstance(entry, dict) and "factsheet" in entry:
            options = entry["factsheet"] or {}
            return {k: str(v) for k, v in options.items()} if isinstance(options, dict) else {}
    return {}

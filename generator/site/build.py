"""Build the site without ever losing the published one.

Plain MkDocs empties ``site/`` before it builds, so a failing build leaves it
empty or half-written.  ``factsheet build`` instead:

1. runs the generator (load, check, render) and stops, touching nothing, on
   any content or template problem;
2. builds with MkDocs into a fresh temporary directory next to ``site/``;
3. checks the result (see :mod:`generator.site.sanitize`);
4. only then swaps it in: ``site/`` is renamed aside, the new build renamed
   into place (``os.replace`` cannot replace a non-empty directory), and the old
   one deleted by a separate process, which the command does not wait for
   (:mod:`generator.speed.discard`).

A lock file next to ``site/`` serialises builds started at the same time, so
the published site is always one complete build.  Builds are reproducible:
``SOURCE_DATE_EPOCH`` (the only date MkDocs writes, into the sitemap) defaults
to the newest ``as_of`` date of the content when it is not set.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from generator import speed
from generator.content.loader import load_content
from generator.content.model import Content
from generator.generate import Generated, generate
from generator.problems import Loc, Problem, display_path
from generator.site import engines
from generator.site.project import Project
from generator.site.sanitize import Finding, check_site
from generator.speed.discard import aside_name, leftovers, remove_later
from generator.speed.parallel import default_jobs, in_child

log = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised
    fcntl = None  # type: ignore[assignment]


class BuildFailed(Exception):
    """A build step failed after the content checks passed; the site was not touched."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    site_dir: Path | None = None
    pages: int = 0


def build_site(
    project: Project, *, site_dir: Path | None = None, strict: bool = True
) -> BuildResult:
    """Generate and build; on any problem return it and leave ``site_dir`` as it was.

    ``project.engine`` builds the pages (see :mod:`generator.site.engines`).
    """
    why_not = engines.missing(project.engine)
    if why_not is not None:
        return BuildResult([Problem(Loc(display_path(project.config_file)), why_not)])
    if project.engine == "properdocs" and not engines.properdocs_active():
        return engines.build_in_properdocs(project, site_dir=site_dir, strict=strict)
    target = (site_dir or project.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    # the pages' Markdown and the downloads, written where they are rendered (next to
    # the site: a temporary directory in memory would hold what this is meant to free)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.pages-", dir=target.parent))
    published = False
    try:
        result = _build(project, target, scratch, strict)
        published = not result.problems
        return result
    finally:
        if published and speed.enabled(project.speed):
            remove_later([scratch])  # the command need not wait for this
        else:  # nothing was published: leave the directory as it was
            shutil.rmtree(scratch, ignore_errors=True)


def _build(project: Project, target: Path, scratch: Path, strict: bool) -> BuildResult:
    if speed.enabled(project.speed):
        # in a process of its own: the model and views go with it once the pages are written
        generated, newest = in_child(functools.partial(_generate, project, scratch))
    else:  # here, with pages and downloads in memory
        generated, newest = _generate(project, None)
    if not generated.ok:
        return BuildResult(generated.problems)
    assert generated.site is not None
    with _lock(target), _source_date_epoch(newest):
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
        try:
            pages = len(generated.site.pages)
            checked: dict[str, list[Finding]] = {}
            if project.engine == "zensical":
                engines.run_zensical(project, generated.site, tmp, scratch, strict=strict)
            else:  # MkDocs, or ProperDocs in a process where it stands in for MkDocs
                checked = run_mkdocs(project, generated, tmp, strict=strict)
            unsafe = check_site(
                tmp,
                functools.partial(_content, project),
                shown_dir=target,
                jobs=_jobs(project),
                checked=checked,
            )
            if unsafe:
                raise BuildFailed(unsafe)
            _swap(tmp, target, background=speed.enabled(project.speed))
        except (BuildFailed, engines.EngineFailed) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            return BuildResult(exc.problems)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return BuildResult([], target, pages)


def _jobs(project: Project) -> int:
    return project.jobs or default_jobs() if speed.enabled(project.speed) else 1


def _generate(project: Project, scratch: Path | None) -> tuple[Generated, int | None]:
    """The generator's pages for a build, without the model, and the newest ``as_of``."""
    generated = generate(
        project.content_dir,
        project.templates_dir,
        directory_urls=project.directory_urls,
        jobs=_jobs(project),
        out_dir=scratch,
        history=project.history,
    )
    newest = newest_as_of(generated.loaded.content) if generated.loaded is not None else None
    generated.loaded = generated.findings = None
    return generated, newest


def _content(project: Project) -> Content | None:
    """The content again, to place what the page check found on the files it came from."""
    return load_content(project.content_dir).content


def run_mkdocs(
    project: Project, generated: Generated, out_dir: Path, *, strict: bool
) -> dict[str, list[Finding]]:
    """Build the generated pages with MkDocs into ``out_dir``; BuildFailed on any failure.

    Returns the sanitiser's findings for the pages it checked while MkDocs wrote them
    (:mod:`generator.speed.pagecheck`), by path under ``out_dir``.
    """
    config_loc = Loc(display_path(project.config_file))
    try:
        config = load_config(str(project.config_file), site_dir=str(out_dir), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            plugin = config.plugins["factsheet"]
        except KeyError:
            raise BuildFailed(
                [
                    Problem(
                        config_loc,
                        "the factsheet plugin is not enabled; add "
                        "'- factsheet' under 'plugins' in mkdocs.yml",
                    )
                ]
            ) from None
        plugin.use(generated)  # type: ignore[attr-defined]
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        checked: dict[str, list[Finding]] = plugin.checked_pages  # type: ignore[attr-defined]
        return checked
    except Abort as exc:
        raise BuildFailed(
            [Problem(config_loc, f"MkDocs stopped the build: {exc} (see the warnings above)")]
        ) from None
    except MkDocsException as exc:
        raise BuildFailed([Problem(config_loc, f"MkDocs: {exc}")]) from None
    except OSError as exc:
        raise BuildFailed(
            [
                Problem(
                    Loc(display_path(exc.filename or out_dir)),
                    f"cannot write the site: {exc.strerror}",
                )
            ]
        ) from None


def _swap(new: Path, target: Path, *, background: bool = True) -> None:
    """Put ``new`` in place of ``target`` with two renames; the old site is deleted after
    (in the background, unless ``background`` is false)."""
    if not target.exists():
        os.rename(new, target)
        return
    if not target.is_dir():
        raise BuildFailed(
            [Problem(Loc(display_path(target)), "the site path exists and is not a directory")]
        )
    stale = leftovers(target)
    old = aside_name(target)
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)  # put the published site back
        raise
    if background:
        remove_later([old, *stale])  # published: the command need not wait for this
    else:
        for path in (old, *stale):
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    lock_path = target.with_name(f".{target.name}.lock")
    with open(lock_path, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def newest_as_of(content: Content) -> int | None:
    """The newest ``as_of`` date of the sheets, as seconds since the epoch (None: no sheet)."""
    dates = [s.as_of for s in content.sheets.values()]
    if not dates:
        return None
    newest = max(dates, key=lambda d: d.sort_key())
    return calendar.timegm((newest.year, newest.month or 1, newest.day or 1, 0, 0, 0))


@contextlib.contextmanager
def _source_date_epoch(newest: int | None) -> Iterator[None]:
    """Default SOURCE_DATE_EPOCH to the newest as_of date, so builds are byte-identical."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(newest or 0)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)

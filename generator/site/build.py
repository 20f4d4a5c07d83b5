"""Build the site without ever losing the published one.

Plain MkDocs empties ``site/`` before it builds, so a failing build leaves it
empty or half-written.  ``factsheet build`` instead:

1. runs the generator (load, check, render) and stops, touching nothing, on
   any content or template problem;
2. builds with MkDocs into its scratch directory next to ``site/``
   (:mod:`generator.site.scratch`: ``.factsheet-scratch/``, removed however the
   build ends; a later build removes what a killed one left);
3. checks the result (see :mod:`generator.site.sanitize`);
4. only then swaps it in: ``site/`` is renamed aside (into the scratch), the new
   build renamed into place (``os.replace`` cannot replace a non-empty directory),
   and the scratch deleted by a separate process, which the command does not wait
   for (:mod:`generator.speed.discard`).

A disk that fills up, a directory that cannot be written, Ctrl-C or SIGTERM
(:mod:`generator.site.interrupts`) at any point leave the published site as it
was. A lock file next to ``site/`` serialises builds started at the same time (the
second says it is waiting, and for which process), so the published site is
always one complete build.  Builds are reproducible:
``SOURCE_DATE_EPOCH`` (the only date MkDocs writes, into the sitemap) defaults
to the newest ``as_of`` date of the content when it is not set.
"""

from __future__ import annotations

import calendar
import contextlib
import errno
import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from generator import speed
from generator.content.loader import load_content
from generator.content.model import Content
from generator.generate import Generated, generate
from generator.problems import Loc, Problem, display_path
from generator.site import engines, interrupts
from generator.site.project import Project
from generator.site.sanitize import Finding, check_site
from generator.site.scratch import Scratch, remove_dead
from generator.speed.discard import leftovers
from generator.speed.parallel import default_jobs, fork_map, in_child

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


WITHOUT_SITE_URL = (
    "the sitemap lists no page, pages have no canonical link and the downloads, feeds and "
    "JSON-LD carry relative URLs; set site_url to the address the site is published at"
)
"""What a build without ``site_url`` lacks (the warning's and the error's reason)."""


def site_url_warning(project: Project) -> str | None:
    """The one line ``factsheet build`` prints when ``site_url`` is not set."""
    if project.site_url is not None:
        return None
    return f"warning: {project.config_file.name} has no site_url: {WITHOUT_SITE_URL}"


def site_url_problem(project: Project) -> Problem | None:
    """What a build for publishing (``--publish``, plugin option ``publish``) lacks."""
    if project.site_url is not None:
        return None
    return Problem(
        Loc(display_path(project.config_file)),
        f"site_url is required to publish: {WITHOUT_SITE_URL}",
    )


def build_site(
    project: Project,
    *,
    site_dir: Path | None = None,
    strict: bool = True,
    publish: bool = False,
) -> BuildResult:
    """Generate and build; on any problem return it and leave ``site_dir`` as it was.

    ``publish`` (or the plugin's ``publish`` option): a project without ``site_url`` is a
    problem, found before anything is built. ``project.engine`` builds the pages (see
    :mod:`generator.site.engines`).
    """
    if publish or project.publish:
        missing = site_url_problem(project)
        if missing is not None:
            return BuildResult([missing])
    why_not = engines.missing(project.engine)
    if why_not is not None:
        return BuildResult([Problem(Loc(display_path(project.config_file)), why_not)])
    if project.engine == "properdocs" and not engines.properdocs_active():
        return engines.build_in_properdocs(project, site_dir=site_dir, strict=strict)
    target = (site_dir or project.site_dir).resolve()
    background = speed.enabled(project.speed)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_dead(target, background=background)
        # the pages' Markdown and the downloads, the new site and the old one, and the
        # workers' temporary files: next to the site, in one directory that goes when
        # the build ends (a temporary directory in memory would hold what this is meant
        # to free)
        scratch = Scratch.create(target)
    except OSError as exc:
        return BuildResult([_cannot_write(exc, target.parent)])
    try:
        with scratch.temporary_files():
            return _build(project, target, scratch, strict)
    except OSError as exc:
        return BuildResult([_cannot_write(exc, target)])
    finally:  # published or not, nothing of it is needed any more
        scratch.remove(background=background)


def _cannot_write(exc: OSError, where: Path) -> Problem:
    """An error of the file system as one located line (a full disk: at the site)."""
    if exc.errno not in _WHOLE_DISK and exc.filename:
        where = Path(os.fsdecode(exc.filename))
    what = "write" if exc.errno in {*_WHOLE_DISK, errno.EACCES, errno.EPERM} else "build"
    return Problem(Loc(display_path(where)), f"cannot {what} the site: {exc.strerror or exc}")


def _build(project: Project, target: Path, scratch: Scratch, strict: bool) -> BuildResult:
    if speed.enabled(project.speed):
        # in a process of its own: the model and views go with it once the pages are written
        pages_dir = scratch.dir("pages")
        generated, newest = in_child(functools.partial(_generate, project, pages_dir))
    else:  # here, with pages and downloads in memory
        generated, newest = _generate(project, None)
    if not generated.ok:
        return BuildResult(generated.problems)
    assert generated.site is not None
    with _lock(target), _source_date_epoch(newest):
        tmp = scratch.path / "site"
        try:
            pages = len(generated.site.pages)
            checked: dict[str, list[Finding]] = {}
            if project.engine == "zensical":
                engines.run_zensical(project, generated.site, tmp, scratch.path, strict=strict)
            else:  # MkDocs, or ProperDocs in a process where it stands in for MkDocs
                checked = run_mkdocs(project, generated, tmp, strict=strict, shown_dir=target)
            unsafe = check_site(
                tmp,
                functools.partial(_content, project),
                shown_dir=target,
                run_tasks=_check_in_parallel(_jobs(project)),
                checked=checked,
            )
            if unsafe:
                raise BuildFailed(unsafe)
            _swap(tmp, target, scratch.path / "old")
        except (BuildFailed, engines.EngineFailed) as exc:
            return BuildResult(exc.problems)
    return BuildResult([], target, pages)


T = TypeVar("T")


def _check_in_parallel(jobs: int) -> Callable[[list[Callable[[], T]]], list[T]]:
    """The page check's tasks on ``jobs`` cores, when there are enough to be worth it."""

    def run(tasks: list[Callable[[], T]]) -> list[T]:
        return fork_map(tasks, jobs if len(tasks) > 4 * jobs else 1)

    return run


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
        site_url=project.site_url,
    )
    newest = newest_as_of(generated.loaded.content) if generated.loaded is not None else None
    generated.loaded = generated.findings = None
    return generated, newest


def _content(project: Project) -> Content | None:
    """The content again, to place what the page check found on the files it came from."""
    return load_content(project.content_dir).content


def run_mkdocs(
    project: Project,
    generated: Generated,
    out_dir: Path,
    *,
    strict: bool,
    shown_dir: Path | None = None,
) -> dict[str, list[Finding]]:
    """Build the generated pages with MkDocs into ``out_dir``; BuildFailed on any failure.

    Returns the sanitiser's findings for the pages it checked while MkDocs wrote them
    (:mod:`generator.speed.pagecheck`), by path under ``out_dir``. A full or read-only
    file system is reported at ``shown_dir`` (the site being replaced), not at a file.
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
        where = exc.filename or out_dir
        if exc.errno in _WHOLE_DISK:
            where = shown_dir or out_dir
        raise BuildFailed(
            [Problem(Loc(display_path(where)), f"cannot write the site: {exc.strerror}")]
        ) from None


_WHOLE_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}
"""Errors of the file system, not of one file."""


def _swap(new: Path, target: Path, aside: Path) -> None:
    """Put ``new`` in place of ``target`` with two renames, the old site moved to ``aside``
    (in the scratch directory, deleted with it). A signal waits until both are done."""
    if target.exists() and not target.is_dir():
        raise BuildFailed(
            [Problem(Loc(display_path(target)), "the site path exists and is not a directory")]
        )
    stale = leftovers(target)  # sites renamed aside by earlier versions
    with interrupts.deferred():
        if not target.exists():
            os.rename(new, target)
            return
        os.rename(target, aside)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(aside, target)  # put the published site back
            raise
    for number, path in enumerate(stale):  # deleted with the scratch
        with contextlib.suppress(OSError):
            os.rename(path, aside.with_name(f"stale-{number}"))


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    """One build at a time publishes into ``target``; the others wait, and say so."""
    lock_path = target.with_name(f".{target.name}.lock")
    with open(lock_path, "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                owner = handle.read(32).decode("ascii", "replace").strip() or "?"
                print(
                    f"waiting for another build of {display_path(target)} (pid {owner})",
                    file=sys.stderr,
                    flush=True,
                )
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode())
            handle.flush()
        try:
            yield
        finally:
            if fcntl is not None:
                handle.truncate(0)
                handle.flush()
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

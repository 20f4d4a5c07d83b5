"""The generator pipeline in one call: YAML -> model -> checks -> views -> pages.

This is what both the command line and the MkDocs plugin run.  It raises
nothing for bad content or broken templates: every problem comes back located
(``PATH:LINE:COL``), and pages are only produced when there is none.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.analysis.changes import History
from generator.analysis.history import history_key, read_history, shallow_problem
from generator.analysis.views import PLAIN as VIEWS
from generator.analysis.views import ViewSteps, build_views
from generator.checks import PLAIN as CHECKS
from generator.checks import CheckSteps, Findings, run_checks
from generator.content.loader import PLAIN as LOAD
from generator.content.loader import LoadResult, LoadSteps, load_content
from generator.paths import normal_site_url
from generator.problems import Loc, Problem, display_path
from generator.render.pages import PLAIN as PAGES
from generator.render.pages import PageSteps, RenderedSite, Templates, render_site, template_dirs
from generator.speed.memo import memoised, next_run
from generator.speed.parallel import fork_map


@dataclass
class Memo:
    """What a long-running process (``factsheet serve``) keeps between runs of the pipeline.

    Every stage reuses its results for inputs that are the same objects as last time,
    and the stages before it hand on the same objects for files that did not change, so
    an edit to one fact re-does the work for that fact and the pages that show it. The
    result is the same as a fresh run (tested).
    """

    load: LoadSteps = field(default_factory=lambda: memoised(LOAD))
    checks: CheckSteps = field(default_factory=lambda: memoised(CHECKS))
    views: ViewSteps = field(default_factory=lambda: memoised(VIEWS))
    pages: PageSteps = field(default_factory=lambda: memoised(PAGES))
    templates: Templates | None = None
    templates_signature: tuple[tuple[str, bytes], ...] = ()
    history: tuple[str, History] | None = None
    """The git history, with the repository and HEAD commit it was read at."""

    def history_of(self, content_dir: str | os.PathLike[str]) -> History:
        """The git history, read again only when HEAD (or the repository) changed."""
        key = history_key(content_dir)
        if key is not None and self.history is not None and self.history[0] == key:
            return self.history[1]
        history = read_history(content_dir)
        self.history = (key, history) if key is not None else None
        return history

    def templates_for(
        self, directory: Path, directory_urls: bool, site_url: str | None = None
    ) -> Templates:
        """The Jinja environment, made again (with fresh page memos) when a template changed."""
        signature = tuple(
            sorted(
                (str(p), hashlib.blake2b(p.read_bytes(), digest_size=16).digest())
                for d in template_dirs(directory)
                for p in d.rglob("*")
                if p.is_file()
            )
        )
        if (
            self.templates is None
            or signature != self.templates_signature
            or self.templates.directory_urls != directory_urls
            or self.templates.site_url != normal_site_url(site_url)
        ):
            self.templates = Templates(directory, directory_urls=directory_urls, site_url=site_url)
            self.templates_signature = signature
            self.pages = memoised(PAGES)
        return self.templates


@dataclass
class Generated:
    site: RenderedSite | None
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Content files read, for watching."""
    loaded: LoadResult | None = None
    findings: Findings | None = None
    directory_urls: bool = True
    site_url: str | None = None

    @property
    def ok(self) -> bool:
        return self.site is not None and not self.problems


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the pipeline builds its many small objects.

    Loading a large fact base creates hundreds of thousands of objects that all stay
    alive, and each automatic collection re-scans them, again and again. Reference
    counting still frees everything as usual.

    On the way out, what the pipeline made is frozen (``gc.freeze``) before collection
    resumes: otherwise the first allocation afterwards would scan all of it as young
    objects. The next run thaws it, so a process
    that runs the pipeline again (tests, a library user) still collects its old cycles.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def check(content_dir: str | os.PathLike[str]) -> tuple[LoadResult, Findings]:
    with gc_paused():
        return _check(content_dir, None)


def _check(content_dir: str | os.PathLike[str], memo: Memo | None) -> tuple[LoadResult, Findings]:
    if memo is not None:
        next_run(memo.load)
    loaded = load_content(content_dir, memo.load if memo else LOAD)
    if memo is not None:
        next_run(memo.checks)
    findings = run_checks(
        loaded.content,
        skip_unknown_sources=loaded.broken_sources,
        incomplete_sheets=loaded.broken_sheets,
        steps=memo.checks if memo else CHECKS,
    )
    return loaded, findings


def generate(
    content_dir: str | os.PathLike[str],
    templates_dir: str | os.PathLike[str],
    memo: Memo | None = None,
    *,
    directory_urls: bool = True,
    jobs: int = 1,
    out_dir: Path | None = None,
    history: str = "require",
    site_url: str | None = None,
) -> Generated:
    """Run the whole pipeline; ``memo`` (kept by the caller) makes reruns incremental.

    ``directory_urls`` says how the engine publishes pages (``x/y/`` or ``x/y.html``),
    for the links inside raw HTML blocks; ``jobs`` > 1 renders pages in forked processes.
    With ``out_dir``, pages and downloads are written there rather than kept in memory
    (:class:`generator.render.pages.OnDisk`); the caller removes it. ``history`` is what to do
    with a shallow git history (:data:`generator.site.project.HISTORY_POLICIES`): ``require`` makes
    it a problem, ``allow-shallow`` builds without change dates. ``site_url`` (MkDocs'
    setting) makes every URL in the downloads, feeds and JSON-LD absolute.
    """
    with gc_paused():
        result = _generate(
            content_dir, templates_dir, memo, directory_urls, jobs, out_dir, history, site_url
        )
    result.directory_urls = directory_urls
    result.site_url = normal_site_url(site_url)
    return result


def _generate(
    content_dir: str | os.PathLike[str],
    templates_dir: str | os.PathLike[str],
    memo: Memo | None,
    directory_urls: bool,
    jobs: int = 1,
    out_dir: Path | None = None,
    history_policy: str = "require",
    site_url: str | None = None,
) -> Generated:
    loaded, findings = _check(content_dir, memo)
    problems = sorted([*loaded.problems, *findings.problems])
    result = Generated(None, problems, loaded.files, loaded, findings)
    if problems:
        return result
    history = memo.history_of(content_dir) if memo else read_history(content_dir)
    if history.shallow and history_policy != "allow-shallow":
        result.problems.append(shallow_problem(content_dir))
        return result
    try:
        if memo is not None:
            templates = memo.templates_for(Path(templates_dir), directory_urls, site_url)
        else:
            templates = Templates(templates_dir, directory_urls=directory_urls, site_url=site_url)
        if memo is not None:
            next_run(memo.views)
        view = build_views(loaded.content, findings.quotes, history, memo.views if memo else VIEWS)
        if memo is None:
            run_tasks = functools.partial(fork_map, jobs=jobs)
            result.site = render_site(view, templates, run_tasks=run_tasks, out_dir=out_dir)
        else:
            next_run(memo.pages)
            result.site = render_site(view, templates, memo.pages, out_dir=out_dir)
    except jinja2.TemplateError as exc:
        result.problems.append(template_problem(exc, Path(templates_dir)))
    return result


def template_problem(exc: jinja2.TemplateError, templates_dir: Path) -> Problem:
    """A template error as a located problem (templates are code, but errors stay readable)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "template"
        return Problem(
            Loc(display_path(name), exc.lineno or 1, 1), f"template error: {exc.message}"
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        name = str(exc.name or "")
        return Problem(Loc(display_path(templates_dir / name)), f"template not found: {name}")
    # runtime error: find the innermost template frame in the traceback
    loc = Loc(display_path(templates_dir))
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".j2"):
            loc = Loc(display_path(filename), lineno, 1)
    return Problem(loc, f"template error: {exc}")

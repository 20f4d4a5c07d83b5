"""The MkDocs plugin: plain ``mkdocs build`` and ``mkdocs serve`` give the same site.

Add it to ``mkdocs.yml``::

    plugins:
      - search
      - factsheet:
          content_dir: content      # default
          templates_dir: templates  # default

MkDocs events used (see https://www.mkdocs.org/dev-guide/plugins/#events):

``on_startup``  remembers whether this is ``serve`` (errors become a page) or a build.
``on_config``   resolves the content and templates directories next to mkdocs.yml.
``on_files``    runs the generator and adds its pages and downloads as generated
                files (nothing is written into ``docs_dir``), and sets the navigation.
                In a build, content problems stop it with a :class:`ContentProblemsError`;
                while serving, they are shown on the site's front page instead,
                and the server keeps running until the YAML is fixed.
``on_nav``      in a build, forks workers that render a share of the pages on other
                cores (:mod:`generator.speed.pagerender`); ``on_pre_page`` lets each page take
                its worker's rendering when its Markdown is exactly the one rendered.
``on_page_markdown`` marks the fact pages so that Material's search skips parsing their
                HTML (the generator describes their sections itself,
                :mod:`generator.render.search`), gives each page the date it last
                changed in the git history (``page.update_date``, a public attribute of
                MkDocs' Page, which the sitemap's ``lastmod`` prints),
                and sets the generator's raw HTML blocks aside (:mod:`generator.site.rawhtml`);
``on_page_content`` puts them back into the page's HTML, and their ids into its anchors;
                then, in a build, keeps a fact page's HTML aside on disk until the theme
                renders it (:mod:`generator.speed.htmlstore`), and lets go of its Markdown.
``on_page_context`` (after Material's search) gives the page its HTML back; the first call
                lets go of the downloads, which MkDocs has written by then.
``on_env``      in a build on several cores, starts checking pages with the sanitiser in
                another process as MkDocs writes them (:mod:`generator.speed.pagecheck`).
``on_post_page`` lets go of the page's HTML once the theme has rendered it, and names the
                page written before it to that check.
``on_post_build`` adds those entries to Material's ``search/search_index.json``
                (:mod:`generator.site.searchindex`), splits a sitemap over the
                protocol's limits into several under an index (:mod:`generator.site.sitemap`;
                not while serving), then
                runs the sanitiser check (:mod:`generator.site.sanitize`) on the built
                pages. ``factsheet build`` runs it before the new site replaces the old
                one; under plain ``mkdocs build`` (which has already written ``site/``)
                it still fails the build loudly, and ``mkdocs serve`` logs the problems.
``on_serve``    watches the content and templates directories for live reload (native file
                events as well as MkDocs' polling, :mod:`generator.site.watch`), and puts
                the fast path (:mod:`generator.site.preview`) in front of MkDocs' rebuild: an
                edit that only changes pages' content re-renders just those pages (and
                checks them with the sanitiser once the browsers reload, :class:`AfterReload`);
                in front of that, the quick path (:meth:`FactsheetPlugin.quick_rebuild`):
                a save of one sheet's facts serves that sheet's pages made from the sheet
                alone, and the fast path follows in a forked process.
``on_shutdown`` stops that process, waits for the check and stops the native file watcher.

While serving, each rebuild runs with the cyclic garbage collector paused (the memo keeps
millions of objects alive, and every full collection would scan them all in the middle of
the rebuild); one collection runs once the preview has been idle for a moment (of what
was made since, on a site of millions of objects: :data:`FULL_COLLECTION_LIMIT`). Compiled
theme templates are kept between rebuilds too (:class:`MemoryBytecodeCache`).
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from watchdog.observers.api import BaseObserver

from generator import speed
from generator.content.model import Content
from generator.generate import Generated, Memo, generate
from generator.paths import (
    DEFAULT_OVERRIDES,
    DEFAULT_STATIC,
    DEFAULT_TEMPLATES,
    HOME,
    normal_site_url,
)
from generator.problems import Problem, format_problems
from generator.render.pages import OnDisk, RenderedSite
from generator.site import mkdocs_internals, preview, sitemap, watch
from generator.site.errorpage import error_page
from generator.site.export import nav_config
from generator.site.project import ENGINES, HISTORY_POLICIES
from generator.site.rawhtml import Lifted, lift, restore
from generator.site.sanitize import Finding, check_site
from generator.site.scratch import system_tempdir
from generator.site.searchindex import SearchIndex
from generator.speed import scoped
from generator.speed.background import Background
from generator.speed.htmlstore import HtmlStore
from generator.speed.pagecheck import CheckAsWritten
from generator.speed.pagerender import PageRenderer
from generator.speed.parallel import default_jobs

log = logging.getLogger("mkdocs.plugins.factsheet")


class ContentProblemsError(PluginError):
    """Content problems stopped the build; ``problems`` holds them, located."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("fact sheet content has problems:\n" + format_problems(problems))


class UnsafeMarkupError(PluginError):
    """The sanitiser had to remove something from the built pages."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("unsafe markup in the built site:\n" + format_problems(problems))


class FactsheetConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """Directory of the YAML content, relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="templates")
    """Directory of the Jinja2 templates, relative to mkdocs.yml."""
    jobs = c.Type(int, default=0)
    """Processes that render and check pages in a build, this one included (0: one per core,
    at most four; 1: serial, pages checked after the build)."""
    raw_html_bypasses_markdown = c.Type(bool, default=True)
    """The generator's raw HTML blocks are set aside while Python-Markdown converts a page,
    and put back after (see generator.site.rawhtml): the page is the same, converted faster."""
    lift = c.Deprecated(moved_to="raw_html_bypasses_markdown")
    """The old name of ``raw_html_bypasses_markdown``."""
    speed = c.Type(bool, default=True)
    """``false`` (or ``FACTSHEET_SPEED=off``) builds without the speed layer: one process,
    everything in memory, and the preview without memos (every rebuild a fresh run, through
    MkDocs); the site is the same (see generator.speed)."""
    history = c.Choice(HISTORY_POLICIES, default="require")
    """A shallow git history of the content: fail the build (``require``), or build
    without change dates (``allow-shallow``); see generator.analysis.history."""
    publish = c.Type(bool, default=False)
    """Strict publishing mode: a build without ``site_url`` fails (``factsheet build
    --publish`` does the same); otherwise ``factsheet build`` warns."""
    engine = c.Choice(ENGINES, default="mkdocs")
    """What ``factsheet build`` builds the site with (see generator.site.engines); plain
    ``mkdocs build`` and ``properdocs build`` use this plugin whatever it says."""


def _inside(path: str | None, directory: Path) -> bool:
    return path is not None and Path(path).resolve().is_relative_to(directory)


def _add_theme_dirs(config: MkDocsConfig, templates_dir: Path) -> None:
    """The templates' theme files, like a theme's with a site's overrides, file by file.

    Behind the site's ``theme.custom_dir`` and in front of the theme (Material), in this
    order: the site's ``templates/overrides/`` and the default one (the 404 page), then the
    site's ``templates/static/`` and the default one (CSS and JS, which MkDocs copies into
    the site as the theme's static files; a file of the same path in ``docs_dir`` wins).
    ``config.theme.dirs`` is the theme's search path, which plugins extend in ``on_config``
    (MkDocs' own search plugin adds its templates there); MkDocs reads it afterwards, when it
    makes the theme's Jinja environment and collects the theme's files.
    """
    theme = config.theme
    present = {Path(d).resolve() for d in theme.dirs}
    present.add(Path(config.docs_dir).resolve())
    wanted = [
        base / sub
        for sub in (DEFAULT_OVERRIDES, DEFAULT_STATIC)
        for base in (templates_dir, DEFAULT_TEMPLATES)
    ]
    position = 1 if theme.custom_dir else 0
    for directory in wanted:
        directory = directory.resolve()
        if directory.is_dir() and directory not in present:
            theme.dirs.insert(position, str(directory))
            present.add(directory)
            position += 1


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, checked against their source (Jinja's checksum).

    MkDocs makes a new theme environment for every build; with this cache, the preview's
    rebuilds skip compiling the theme's templates again (over half a second for Material).
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


FULL_COLLECTION_LIMIT = 5_000_000
"""Above this many frozen objects (the model and MkDocs' pages of a large site), the idle
collection leaves them frozen: scanning them all took half a minute at 100,000 facts, and a
save made meanwhile waited for it. Garbage cycles among them are then not freed until the preview
ends (they are few: reference counting frees the rest)."""


class IdleCollector:
    """Pause the cyclic garbage collector during rebuilds; collect once the preview is idle.

    At the end of a rebuild what it made is frozen (``gc.freeze``), so that resuming
    collection does not scan it at the next allocation; the idle collection thaws it.
    """

    def __init__(self, delay: float = 2.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.building = False
        self.timer: threading.Timer | None = None

    def build_started(self) -> None:
        with self.lock:
            self.building = True
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
        gc.disable()

    def build_ended(self, collect: bool = True) -> None:
        """The rebuild is over; ``collect``: collect everything once idle (a quick
        rebuild, which made little garbage, leaves that to the next full one)."""
        gc.freeze()
        gc.enable()
        with self.lock:
            self.building = False
            if not collect:
                return
            self.timer = threading.Timer(self.delay, self._collect)
            self.timer.daemon = True
            self.timer.start()

    def _collect(self) -> None:
        with self.lock:
            if self.building:
                return
            self.timer = None
            if gc.get_freeze_count() > FULL_COLLECTION_LIMIT:
                gc.collect()  # what was made since the freeze only
                return
            gc.unfreeze()
            gc.collect()


class AfterReload:
    """One job at a time, run shortly after the rebuild, for what need not delay the reload.

    The preview's fast path checks the pages it wrote with the sanitiser here: while
    serving, the check only logs what it finds (the pages are served either way), so the
    browsers reload, and fetch the page, before it starts (``delay``). The next rebuild
    waits for it (or runs it at once, if it has not started): it must not read pages
    while they are being written.
    """

    def __init__(self, delay: float = 0.3) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.job: Callable[[], None] | None = None
        self.timer: threading.Timer | None = None

    def start(self, job: Callable[[], None]) -> None:
        self.wait()
        with self.lock:
            self.job = job
            self.timer = threading.Timer(self.delay, self._run)
            self.timer.daemon = True
            self.timer.start()

    def _run(self) -> None:
        with self.lock:
            job, self.job = self.job, None
            if job is not None:
                job()

    def wait(self) -> None:
        """Return once the job has run, running it here if it had not started."""
        timer = self.timer
        if timer is None:
            return
        timer.cancel()
        self._run()  # holds the lock while a started job runs, or runs the pending one
        timer.join()
        self.timer = None


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    supports_multiple_instances = False
    history_override: ClassVar[str | None] = None
    """``factsheet serve --allow-shallow-history`` sets it: it wins over the option."""

    def __init__(self) -> None:
        self.serving = False
        self.prepared: Generated | None = None
        self.checked_by_caller = False
        self.last: Generated | None = None
        self.content_dir = Path("content")
        self.templates_dir = Path("templates")
        self.site: RenderedSite | None = None
        self.memo: Memo | None = None
        """Kept between the preview's rebuilds, so that they redo only what an edit touched."""
        self.previous: dict[str, str | bytes | OnDisk] = {}
        self.previous_dest: dict[str, str] = {}
        self.previous_nav: list[Any] | None = None
        self.changed: set[str] = set()
        self.lifted: dict[str, Lifted] = {}
        self.gone: list[str] = []
        self.renderer: PageRenderer | None = None
        self.files: Files | None = None
        self.known_pages: list[str] = [HOME]
        """Pages of the last good build: while serving, errors are shown at each of them."""
        self.collector = IdleCollector()
        self.bytecode = MemoryBytecodeCache()
        self.search_index = SearchIndex(keep=False)
        self.nav: Navigation | None = None
        self.last_build: preview.LastBuild | None = None
        self.observer: BaseObserver | None = None
        self.server: LiveReloadServer | None = None
        self.follow_up = Background()
        """After a quick rebuild, the full one, in a process of its own."""
        self.needs_full = False
        """The follow-up found that the edit needs the full rebuild (a problem, say)."""
        self.after_reload = AfterReload()
        self.html: HtmlStore | None = None
        """In a build, fact pages' HTML between MkDocs' two page loops."""
        self.downloads_written = False
        self.checking: CheckAsWritten | None = None
        """In a build on several cores, the sanitiser's check of pages as MkDocs writes them."""
        self.written: str | None = None
        self.checked_pages: dict[str, list[Finding]] = {}
        """What that check found, by page, once the build is over."""

    @property
    def history_policy(self) -> str:
        return self.history_override or self.config.history

    def use(self, generated: Generated) -> None:
        """Hand over a generator result already computed (by ``factsheet build``).

        The build lets go of what it no longer needs as it goes, to keep memory down:
        ``generated.site`` is left with empty pages and downloads once MkDocs has them.
        """
        self.prepared = generated
        self.checked_by_caller = True

    def _jobs(self) -> int:
        """Processes for a build's pages: the ``jobs`` option, 1 with the speed layer off."""
        if not speed.enabled(self.config.speed):
            return 1
        return self.config.jobs or default_jobs()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.search_index = SearchIndex(keep=self.serving)
        if self.serving:  # the server never reads a page half-written
            mkdocs_internals.write_files_whole(preview.write_whole)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        if not self.serving and speed.enabled(self.config.speed):
            self.html = HtmlStore()
            self.downloads_written = False
        jobs = self._jobs()
        if self.serving or jobs < 2:
            return nav
        self.renderer = PageRenderer(config, files, jobs)

        def prepare(page: Page) -> str:
            page.read_source(config)
            markdown = config.plugins.on_page_markdown(
                page.markdown or "", page=page, config=config, files=files
            )
            page.markdown = markdown
            # (in the worker) its HTML goes back with the blocks still aside: the main
            # process lifts them again, and puts them back from its own copy
            self.lifted.pop(page.file.src_uri, None)
            return markdown

        self.renderer.start(list(files.documentation_pages()), prepare)
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        renderer = self.renderer
        if renderer is not None:
            plain_render = page.render

            def render(config: MkDocsConfig, files: Files) -> None:
                if not renderer.apply(page):
                    plain_render(config, files)

            mkdocs_internals.replace_render(page, render)
        return page

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.serving:
            self.after_reload.wait()
            self.collector.build_started()
            self.last_build = None  # set again when this build has gone through
        base_dir = Path(config.config_file_path or ".").resolve().parent
        if self.config.publish and not config.site_url and not self.serving:
            raise PluginError(
                "site_url is required to publish (the factsheet plugin's option 'publish' "
                "is true): set site_url in mkdocs.yml to the address the site is published at"
            )
        self.content_dir = (base_dir / self.config.content_dir).resolve()
        self.templates_dir = (base_dir / self.config.templates_dir).resolve()
        _add_theme_dirs(config, self.templates_dir)
        jieba = sys.modules.get("jieba")  # loaded by Material's search for Chinese text
        if jieba is not None:
            jieba.setLogLevel(logging.WARNING)
            if getattr(jieba.dt, "tmp_dir", None) is None:
                # its dictionary cache is shared by builds: not in a build's scratch
                jieba.dt.tmp_dir = system_tempdir()
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.serving and self.memo is None and speed.enabled(self.config.speed):
            self.memo = Memo()  # without it, each rebuild is a fresh run (and no fast path)
        # A site whose docs_dir is its content (new sites: MkDocs needs a docs_dir that
        # exists) publishes none of those files as they are: the pages are made from them.
        for file in [f for f in files if _inside(f.abs_src_path, self.content_dir)]:
            files.remove(file)
        generated = self.prepared
        site_url = normal_site_url(config.site_url)
        if (
            generated is None
            or generated.directory_urls != config.use_directory_urls
            or generated.site_url != site_url
        ):
            generated = generate(
                self.content_dir,
                self.templates_dir,
                self.memo,
                directory_urls=config.use_directory_urls,
                history=self.history_policy,
                site_url=site_url,
            )
        self.prepared = None
        self.last = generated
        if generated.problems or generated.site is None:
            if not self.serving:
                raise ContentProblemsError(generated.problems)
            for problem in generated.problems:
                log.error(problem.format())
            # Every page the editor may be looking at shows the problems, so that the
            # live reload lands on them, and the page comes back once they are fixed.
            page = error_page(generated.problems)
            site = RenderedSite(pages=dict.fromkeys(self.known_pages, page), nav=[HOME])
        else:
            site = generated.site
            self.known_pages = list(site.pages)
        self.site = site
        self.files = files
        if not self.serving:
            # The generator's objects live until the build ends: move them out of the
            # garbage collector's sight, so that collections during MkDocs' page loop
            # only scan what that loop creates (and forked workers share them unchanged).
            gc.freeze()
        nav = _nav(site)
        outputs: dict[str, str | bytes | OnDisk] = {**site.pages, **site.downloads}
        # In a dirty rebuild (the preview), MkDocs renders and copies only the files
        # marked modified: those whose content changed since the last build, or all of
        # them when the navigation (drawn on every page) changed.
        everything = not self.serving or nav != self.previous_nav
        changed: set[str] = set()
        for path, content in outputs.items():
            if isinstance(content, OnDisk):
                file = File.generated(config, path, abs_src_path=str(content.path))
                mkdocs_internals.replace_copy_file(file, functools.partial(_link_file, file))
            else:
                file = File.generated(config, path, content=content)
                if self.serving:
                    copy = functools.partial(preview.copy_whole, file)
                    mkdocs_internals.replace_copy_file(file, copy)
            modified = everything or self.previous.get(path) != content
            if modified:
                changed.add(path)
            mkdocs_internals.mark_modified(file, modified)
            _replace(files, file)
        self.gone = [dest for path, dest in self.previous_dest.items() if path not in outputs]
        if self.serving:
            self.previous = outputs
            self.previous_dest = {
                p: f.dest_uri for p in outputs if (f := files.get_file_from_path(p)) is not None
            }
            self.previous_nav = nav
        self.changed = changed
        config.nav = nav
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        uri = page.file.src_uri
        if self.site is not None and uri in self.site.search_pages:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        date = self.site.dates.get(uri) if self.site is not None else None
        if date is not None:
            page.update_date = date  # the sitemap's lastmod: when the page last changed
        if (
            self.config.raw_html_bypasses_markdown
            and self.site is not None
            and uri in self.site.pages
        ):
            lifted = lift(markdown)
            if lifted.blocks:
                self.lifted[uri] = lifted
                return lifted.markdown
        return markdown

    def _restore_lifted(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        lifted = self.lifted.pop(page.file.src_uri, None)
        if lifted is None:
            return html
        page.present_anchor_ids = (page.present_anchor_ids or set()) | lifted.anchors
        return restore(html, lifted)

    @event_priority(-100)  # after every other plugin's
    def _keep_aside(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """In a build, a fact page's HTML waits on disk for the theme; its Markdown goes."""
        uri = page.file.src_uri
        if (
            self.html is None
            or self.site is None
            or uri not in self.site.search_pages
            # Material's search strips these attributes from every page just before the
            # theme renders it; a page kept aside is given back after that, so it must
            # have none (fact pages have none: editors' text is always escaped).
            or "data-search-" in html
        ):
            return html
        self.html.put(uri, html)
        page.markdown = ""
        page.file.content_string = ""
        if uri in self.site.pages:
            self.site.pages[uri] = ""
        return ""

    on_page_content = CombinedEvent(_restore_lifted, _keep_aside)

    @event_priority(-100)  # after Material's search, which has nothing to do for these pages
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        if self.html is None:
            return context
        if not self.downloads_written:
            self._let_go_of_downloads()
        uri = page.file.src_uri
        if uri in self.html:
            page.content = self.html.take(uri)
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.html is not None and page.file.src_uri in self.html:
            page.content = ""  # written: only its title, anchors and links are still needed
        if self.checking is not None:
            # MkDocs writes this page next: the one before it is written by now
            if self.written is not None:
                self.checking.written(self.written)
            self.written = page.file.dest_uri
        return output

    def _let_go_of_downloads(self) -> None:
        """MkDocs has written the downloads (before any page): their bytes can go."""
        self.downloads_written = True
        if self.site is None or self.files is None:
            return
        for path in self.site.downloads:
            file = self.files.get_file_from_path(path)
            if file is not None and file.generated_by is not None:
                file.content_bytes = b""
            self.site.downloads[path] = b""

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if not self.serving and self._jobs() > 1 and hasattr(os, "fork"):
            # every page is converted; the theme loop that writes them runs on one core
            self.checking, self.written = CheckAsWritten(config.site_dir), None
        if self.serving and env.bytecode_cache is None:
            env.bytecode_cache = self.bytecode
        if self.serving and self.nav is not None and self.last is not None and self.last.ok:
            self.last_build = preview.LastBuild(
                config, files, self.nav, env, preview.config_stamp(config)
            )
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._post_build(config)
        finally:
            if self.serving:
                self.collector.build_ended()

    def _post_build(self, config: MkDocsConfig) -> None:
        self._close_html()
        self.checked_pages = {}
        if self.checking is not None:
            if self.written is not None:
                self.checking.written(self.written)
            self.checked_pages = self.checking.finish()
            self.checking = None
        if self.renderer is not None:
            log.info(
                f"{self.renderer.reused} pages were rendered by worker processes, "
                f"{self.renderer.own} by the main process"
            )
            self.renderer.close()
            self.renderer = None
        if self.site is not None and self.files is not None:
            self.search_index.after_build(Path(config.site_dir), self.site, self.files)
        site_dir = Path(config.site_dir)
        for dest in self.gone:  # pages that no longer exist leave the preview too
            (site_dir / dest).unlink(missing_ok=True)
        if not self.serving:  # the preview's sitemap is read by no search engine
            try:
                sitemap.split_site(site_dir, normal_site_url(config.site_url))
            except sitemap.SitemapError as exc:
                raise PluginError(str(exc)) from None
        if self.checked_by_caller:
            return  # factsheet build checks the new site itself, before swapping it in
        content = self.last.loaded.content if self.last and self.last.loaded else None
        only = None
        if self.serving and self.files is not None:
            only = {
                f.dest_uri
                for p in self.changed
                if (f := self.files.get_file_from_path(p)) is not None
                and f.dest_uri.endswith(".html")
            }
        unsafe = check_site(config.site_dir, content, only=only, checked=self.checked_pages)
        if not unsafe:
            return
        if self.serving:
            for problem in unsafe:
                log.error(problem.format())
            return
        raise UnsafeMarkupError(unsafe)

    def on_build_error(self, *, error: Exception) -> None:
        self._close_html()
        if self.checking is not None:
            self.checking.abandon()
            self.checking = None
        if self.serving:
            self.last_build = None
            self.collector.build_ended()
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None

    def _close_html(self) -> None:
        if self.html is not None:
            self.html.close()
            self.html = None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        changes = watch.ChangeHandler(server)
        self.observer = watch.watch(server, [self.content_dir, self.templates_dir], changes)
        self.server = server
        full_rebuild = server.builder

        def rebuild() -> None:
            changed = changes.take_changes()
            self.follow_up.stop()  # its site is older than this edit
            needs_full, self.needs_full = self.needs_full, False
            if not needs_full and changed is not None and self.quick_rebuild(changed):
                return
            if not self.fast_rebuild():
                full_rebuild()

        server.builder = rebuild
        return server

    def on_shutdown(self) -> None:
        self.follow_up.stop()
        if self.serving:
            mkdocs_internals.write_files_whole(None)
        self.after_reload.wait()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None

    def _check_after_reload(self, generated: Generated, written: list[str]) -> None:
        """The sanitiser's check of the pages the preview rewrote, just after the reload."""
        assert self.last_build is not None
        site_dir = Path(self.last_build.config.site_dir)
        content = generated.loaded.content if generated.loaded else None
        only = {dest for dest in written if dest.endswith(".html")}
        self.after_reload.start(functools.partial(_log_unsafe, site_dir, content, only))

    def quick_rebuild(self, changed: set[Path]) -> bool:
        """After a save of one sheet's facts files: serve that sheet's pages, made from the
        sheet alone (:mod:`generator.speed.scoped`), then start the full fast rebuild in
        a process of its own for the rest (downloads, search index, sources' pages, the
        checks across sheets), stopped if another save comes first.

        Returns False, having changed nothing, when the edit is not one for this path.
        """
        last, whole, site = self.last_build, self.last, self.site
        if (
            not preview.usable(last)
            or self.memo is None
            or whole is None
            or not whole.ok
            or site is None
            or site is not whole.site
        ):
            return False
        assert last is not None
        started = time.perf_counter()
        self.after_reload.wait()
        self.collector.build_started()
        try:
            part = scoped.sheet_pages(
                whole,
                self.memo,
                self.content_dir,
                self.templates_dir,
                changed,
                history=self.history_policy,
            )
            if part is None:
                return False
            pages = {p: md for p, md in part.pages.items() if self.previous.get(p) != md}
            if any(
                p not in self.previous or (p not in site.search_pages and p not in site.unsearched)
                for p in pages
            ):
                return False
            self._check_after_reload(whole, preview.render_pages(last, pages, {}))
            self.previous.update(pages)
            log.info(
                f"re-rendered {len(pages)} changed pages of sheet '{part.sheet_id}' in "
                f"{time.perf_counter() - started:.2f} s; the rest of the site follows"
            )
        finally:
            self.collector.build_ended(collect=False)
        self.follow_up.start(
            self._follow_up, self._followed_up, near=Path(last.config.site_dir), delay=0.2
        )
        return True

    def _follow_up(self, fence: preview.Placing) -> bool:
        """(In the follow-up's process) the full fast rebuild, its files put in place
        through ``fence``; whether it went through."""
        preview.placing = fence
        self.after_reload = AfterReload()  # the preview's own may be mid-job at the fork
        self.collector = IdleCollector()
        started = time.perf_counter()
        done = self.fast_rebuild()
        self.after_reload.wait()
        if done:
            log.info(f"the rest of the site is up to date ({time.perf_counter() - started:.2f} s)")
        return done

    def _followed_up(self, done: bool | None) -> None:
        if done:
            return
        # a problem, or a change the fast path cannot make: the preview's full rebuild
        # shows it (the follow-up changed nothing in that case, or ended early)
        self.needs_full = True
        if self.server is not None:
            mkdocs_internals.ask_for_rebuild(self.server)

    def fast_rebuild(self) -> bool:
        """Re-render only the pages an edit changed (see :mod:`generator.site.preview`).

        Returns False, having changed nothing in the site, when the edit needs MkDocs'
        full rebuild; the generator's result is then handed to it, not computed again.
        """
        last = self.last_build
        if not preview.usable(last) or self.memo is None:
            return False
        assert last is not None
        templates = self.memo.templates_signature
        started = time.perf_counter()
        self.after_reload.wait()
        self.collector.build_started()
        try:
            generated = generate(
                self.content_dir,
                self.templates_dir,
                self.memo,
                directory_urls=last.config.use_directory_urls,
                history=self.history_policy,
                site_url=normal_site_url(last.config.site_url),
            )
            site = generated.site
            outputs: dict[str, str | bytes | OnDisk] = {}
            if site is not None:
                outputs = {**site.pages, **site.downloads}
            changed = {p: c for p, c in outputs.items() if self.previous.get(p) != c}
            if (
                site is None
                or not generated.ok
                or self.memo.templates_signature != templates
                or outputs.keys() != self.previous.keys()
                or _nav(site) != self.previous_nav
                or any(
                    p in site.pages and p not in site.search_pages and p not in site.unsearched
                    for p in changed
                )
            ):
                self.prepared = generated  # the full rebuild takes it as it is
                return False
            self.last, self.site = generated, site
            pages = {p: c for p, c in changed.items() if isinstance(c, str)}
            downloads = {p: c for p, c in changed.items() if isinstance(c, bytes)}
            written = preview.render_pages(last, pages, downloads)
            if self.files is not None:
                self.search_index.again(Path(last.config.site_dir), site, self.files)
            self.previous = outputs
            self.changed = set(changed)
            self._check_after_reload(generated, written)
            log.info(
                f"re-rendered {len(pages)} changed pages and {len(downloads)} downloads "
                f"in {time.perf_counter() - started:.2f} s"
            )
            return True
        finally:
            self.collector.build_ended()


def _log_unsafe(site_dir: Path, content: Content | None, only: set[str]) -> None:
    """The sanitiser's check of pages the preview rewrote; what it finds is logged."""
    for problem in check_site(str(site_dir), content, only=only):
        log.error(problem.format())


def _link_file(file: File, dirty: bool = False) -> None:
    """Publish a download the build wrote to its scratch directory: a hard link, not a copy.

    The scratch directory is next to the site, on the same file system, and is deleted
    after the build: linking saves writing the downloads' bytes again. Where a link
    cannot be made (another file system, one without links, a file already there), the
    file is copied as MkDocs would.
    """
    if dirty and not file.is_modified():
        return
    assert file.abs_src_path is not None
    target = file.abs_dest_path
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(file.abs_src_path, target)
    except OSError:
        shutil.copyfile(file.abs_src_path, target)


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def _nav(site: RenderedSite) -> list[Any]:
    return nav_config(site)

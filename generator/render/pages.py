"""Render the site's Markdown pages from the views, through the Jinja2 templates.

The output is plain Markdown (with raw HTML where Markdown has no construct)
keyed by page path, plus downloadable files: nothing here knows about MkDocs,
so another static site engine could build the same pages.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import jinja2
from markupsafe import Markup

from generator.analysis.views import (
    FactView,
    SheetView,
    SiteView,
    archive_segments,
    sheet_key,
    source_key,
)
from generator.content import wording
from generator.content.format import json_schemas, reference
from generator.downloads import exports
from generator.paths import (
    DEFAULT_TEMPLATES,
    FORMAT_PAGE,
    HOME,
    RELATIVE,
    SITE_CORRECTIONS_FEED,
    SOURCES_INDEX,
    Urls,
    corrections_feed,
    corrections_page,
    differences_page,
    fact_page,
    final_link,
    relative,
    sheet_page,
    source_page,
)
from generator.render import escaping
from generator.render.charts import sheet_charts
from generator.render.jsonld import sheet_graph
from generator.render.search import SearchEntry, indexed_pages, search_parts
from generator.render.timeline import sheet_timeline

NAV_SHEETS = 20
"""Up to this many sheets are listed in the navigation; with more, the front page lists
them (the navigation is drawn on every page, so a long one costs readers and builds)."""


@dataclass(frozen=True)
class OnDisk:
    """A page or download written to a file by the process that rendered it (in a build).

    At 100,000 facts the pages' Markdown and the downloads are gigabytes of text: written
    where they are made, they are neither sent back to the main process nor held by it;
    the engine reads each page when it converts it and copies each download.
    """

    path: Path


@dataclass
class RenderedSite:
    pages: dict[str, str | OnDisk] = field(default_factory=dict)
    """Markdown pages by path (``sheets/x/index.md``)."""
    downloads: dict[str, bytes | OnDisk] = field(default_factory=dict)
    """Other files to publish as they are (downloads, schemas, archived texts)."""
    nav: list[str | tuple[str, list[str]]] = field(default_factory=list)
    """Navigation: page paths, and sections as (title, page paths), in order."""
    search: list[SearchEntry] = field(default_factory=list)
    """Search entries for the fact pages (see :mod:`generator.render.search`)."""
    search_pages: set[str] = field(default_factory=set)
    """Pages fully described by ``search``: the engine need not index them itself."""
    unsearched: set[str] = field(default_factory=set)
    """Pages left out of the search index altogether (each fact's own page: a search
    lands on the fact on its sheet)."""
    dates: dict[str, str] = field(default_factory=dict)
    """Page path -> the date it last changed (YYYY-MM-DD, from the git history), for the
    sitemap; a page without one (no history) gets the engine's build date."""


def heading_attrs(anchor: str, *classes: str) -> Markup:
    """Python-Markdown attribute list for a heading: ``{#anchor .class}`` (ids are slugs)."""
    parts = [f"#{anchor}", *(f".{c}" for c in classes)]
    return Markup("{: " + " ".join(escaping.attr(p) for p in parts) + " }")


def template_dirs(directory: str | os.PathLike[str]) -> list[Path]:
    """Where templates are looked up, first match wins: the site's, then the defaults."""
    site = Path(directory).resolve()
    return [site] if site == DEFAULT_TEMPLATES else [site, DEFAULT_TEMPLATES]


class Templates:
    """The Jinja2 environment: editor text is escaped by default, never evaluated.

    Like a theme with a site's overrides: a template in the site's ``directory`` (which
    need not exist) is used, else the default one (:data:`generator.paths.DEFAULT_TEMPLATES`);
    file by file, partials included.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        directory_urls: bool = True,
        site_url: str | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory_urls = directory_urls
        self.urls = Urls(site_url, directory_urls)
        self.site_url = self.urls.site_url
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(self.directory)]),
            autoescape=False,
            finalize=escaping.finalize,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # the preview makes a new environment when a template changes
        )
        self.env.filters.update(escaping.FILTERS)
        self.env.globals.update(
            {
                "heading_attrs": heading_attrs,
                "sheet_charts": sheet_charts,
                "sheet_timeline": sheet_timeline,
                "sheet_graph": sheet_graph,
                "archive_segments": archive_segments,
                "reference": reference(),
                "csv_columns": exports.CSV_COLUMNS,
                "format_name": exports.FORMAT_NAME,
                "format_version": exports.FORMAT_VERSION,
                "urls": self.urls,
            }
        )
        self.env.filters.update(
            {
                "date": wording.date,
                "iso_date": wording.iso_date,
                "capitalise": wording.capitalise,
                "number": wording.number,
                "digits": wording.digits,
                "plural": wording.plural,
            }
        )

    def render(self, name: str, page: str, **context: Any) -> str:
        def link(target: str, anchor: str | None = None) -> Markup:
            """A Markdown link target: the source page, which the engine resolves."""
            return Markup(escaping.url(relative(page, target, anchor)))

        def href(target: str, anchor: str | None = None) -> Markup:
            """A raw HTML ``href``: the published URL, relative to this page."""
            return escaping.url(final_link(page, target, anchor, self.directory_urls))

        template = self.env.get_template(name)
        return template.render(page=page, link=link, href=href, **context)


def page_markdown(
    path: str, template: str, made_from: tuple[object, ...], *, render: Render
) -> str:
    """One page's Markdown: ``render`` fills ``template`` in for ``path``.

    ``made_from`` is what the page shows (:func:`generator.analysis.views.sheet_key`, say):
    the page is the same while those objects are, which is what a memo of this function
    (the preview's) relies on.
    """
    return render()


def search_part(
    part: str, made_from: tuple[object, ...], *, make: MakeEntries
) -> list[SearchEntry]:
    """The search entries of one part of the site (a sheet's pages, a source's page)."""
    return list(make())


Render = Callable[[], str]
MakeEntries = Callable[[], Iterable[SearchEntry]]
Tasks = Callable[[list[Callable[[], Any]]], list[Any]]
"""Runs a list of tasks and returns their results in order (serially, or on several cores)."""


def serial(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run the tasks one after the other, here."""
    return [task() for task in tasks]


@dataclass(frozen=True)
class PageSteps:
    """The per-item functions :func:`render_site` maps over the views, one field each
    (inputs positional, helpers by keyword: :mod:`generator.speed.memo` memoises them for
    the preview)."""

    page: Callable[..., str] = page_markdown
    search: Callable[..., list[SearchEntry]] = search_part
    downloads: exports.DownloadSteps = exports.PLAIN


PLAIN = PageSteps()


def _plan(
    view: SiteView, templates: Templates, steps: PageSteps, site: RenderedSite
) -> list[tuple[str, Render]]:
    """Every page of the site, in order, each with the task that renders it; fills in
    ``site``'s page order, navigation and unsearched pages."""
    common: dict[str, Any] = {
        "site": view,
        "pages": {
            "home": HOME,
            "sources": SOURCES_INDEX,
            "format": FORMAT_PAGE,
            "sheet": sheet_page,
            "differences": differences_page,
            "corrections": corrections_page,
            "corrections_feed": corrections_feed,
            "site_corrections_feed": SITE_CORRECTIONS_FEED,
            "source": source_page,
            "fact": fact_page,
        },
    }
    pending: list[tuple[str, Render]] = []

    def page(path: str, made_from: tuple[object, ...], template: str, **context: Any) -> None:
        site.pages[path] = ""  # keeps the order; filled in below
        render = functools.partial(templates.render, template, path, **context, **common)
        pending.append(
            (path, functools.partial(steps.page, path, template, made_from, render=render))
        )

    page(
        HOME,
        tuple(x for sv in view.sheets for x in (sv.sheet, len(sv.facts), len(sv.sources))),
        "home.md.j2",
    )
    site.nav.append(HOME)
    for sheet in view.sheets:
        key = sheet_key(sheet)
        path = sheet_page(sheet.id)
        page(path, key, "sheet.md.j2", sheet=sheet)
        diff_path = differences_page(sheet.id)
        page(diff_path, key, "differences.md.j2", sheet=sheet)
        fixes_path = corrections_page(sheet.id)
        page(fixes_path, key, "corrections.md.j2", sheet=sheet)
        if len(view.sheets) <= NAV_SHEETS:
            site.nav.append((sheet.sheet.title, [path, diff_path, fixes_path]))
        for f in sheet.facts:  # a page of its own for each fact, to share (not in the nav)
            site.unsearched.add(fact_page(sheet.id, f.id))
            page(
                fact_page(sheet.id, f.id),
                _fact_key(f, sheet),
                "factpage.md.j2",
                sheet=sheet,
                f=f,
            )
    page(
        SOURCES_INDEX,
        tuple(x for sv in view.sources for x in (sv.source, len(sv.facts), *sv.derived_from)),
        "sources.md.j2",
    )
    site.nav.append(SOURCES_INDEX)
    for source in view.sources:
        page(source_page(source.id), source_key(source), "source.md.j2", source=source)
    page(FORMAT_PAGE, (), "format.md.j2")
    site.nav.append(FORMAT_PAGE)
    return pending


def render_pages(
    view: SiteView, templates: Templates, wanted: Collection[str], steps: PageSteps = PLAIN
) -> dict[str, str]:
    """The Markdown of the pages at the paths in ``wanted`` only, as :func:`render_site`
    renders them (the preview redoes one sheet's pages this way)."""
    return {
        path: task()
        for path, task in _plan(view, templates, steps, RenderedSite())
        if path in wanted
    }


def render_site(
    view: SiteView,
    templates: Templates,
    steps: PageSteps = PLAIN,
    *,
    run_tasks: Tasks = serial,
    out_dir: Path | None = None,
) -> RenderedSite:
    """Render every page and download; ``run_tasks`` runs the rendering tasks (in forked
    processes, say; it gets them in order and gives their results back in order).

    With ``out_dir`` (a build), pages and downloads are written under it and stand in the
    result as :class:`OnDisk` (a page whose text would not come back from a file exactly
    as it is stays in memory).
    """
    site = RenderedSite()
    pending = _plan(view, templates, steps, site)
    tasks: list[Callable[[], Any]]
    if out_dir is None:
        downloads_task = functools.partial(
            exports.downloads,
            view,
            steps.downloads,
            directory_urls=templates.directory_urls,
            site_url=templates.site_url,
        )
        tasks = [*(task for _, task in pending), downloads_task]
    else:
        tasks = [
            *(functools.partial(_page_to_file, t, out_dir / "pages" / p) for p, t in pending),
            functools.partial(
                _downloads_to_disk, view, out_dir / "files", templates.urls, steps.downloads
            ),
        ]
    *markdowns, downloads = run_tasks(tasks)
    for (path, _), markdown in zip(pending, markdowns, strict=True):
        site.pages[path] = markdown
    site.downloads.update(downloads)
    site.search = [
        entry
        for part, made_from, make in search_parts(view)
        for entry in steps.search(part, made_from, make=make)
    ]
    site.search_pages = indexed_pages(view)
    site.dates = page_dates(view)
    for name, schema in json_schemas().items():
        site.downloads[f"schemas/{name}"] = exports.dump_json(schema, pretty=True)
    site.downloads[f"schemas/facts-download.v{exports.FORMAT_VERSION}.schema.json"] = (
        exports.dump_json(exports.download_schema(), pretty=True)
    )
    return site


def _page_to_file(render: Callable[[], str], target: Path) -> str | OnDisk:
    markdown = render()
    # the engine reads files as UTF-8 text, dropping a byte order mark and turning
    # "\r" into "\n": a page that would not come back exactly stays in memory
    if markdown.startswith("\ufeff") or "\r" in markdown:
        return markdown
    try:
        data = markdown.encode("utf-8")
    except UnicodeEncodeError:
        return markdown
    return _write(target, data)


def _downloads_to_disk(
    view: SiteView,
    folder: Path,
    urls: Urls = RELATIVE,
    steps: exports.DownloadSteps = exports.PLAIN,
) -> dict[str, OnDisk]:
    """Write the downloads under ``folder`` as they are made (a build keeps none in memory)."""
    written: dict[str, OnDisk] = {}

    def open_file(path: str) -> BinaryIO:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        written[path] = OnDisk(target)
        return open(target, "wb")

    exports.write_downloads(
        view, open_file, steps, directory_urls=urls.directory_urls, site_url=urls.site_url
    )
    return written


def _fact_key(fact: FactView, sheet: SheetView) -> tuple[object, ...]:
    """What a fact's own page is made from: the fact, its sheet's record and date, and
    what its card takes from the rest of the sheet (how many sources the sheet has; the
    other facts its calculations name, compared by value)."""
    return (
        fact,
        sheet.sheet,
        sheet.updated,
        len(sheet.sources),
        *sheet.derivations(fact.fact.derived),
    )


def page_dates(view: SiteView) -> dict[str, str]:
    """When each page last changed, from the git history (none without one).

    A sheet's pages: the newest change to the sheet or any of its facts; a fact's page:
    the fact's; a source's page: its record's or its
    archived text's; the front page, the sources' list and the format page: the newest
    of all.
    """
    history = view.history
    if not history.available:
        return {}
    dates: dict[str, str] = {}
    for sheet in view.sheets:
        own = history.sheet_updated.get(sheet.history_dir)
        newest = max(filter(None, (own, *(f.changed_on for f in sheet.facts))), default=None)
        if newest is None:
            continue
        for path in (sheet_page(sheet.id), differences_page(sheet.id), corrections_page(sheet.id)):
            dates[path] = newest
        for f in sheet.facts:
            if f.changed_on:
                dates[fact_page(sheet.id, f.id)] = f.changed_on
    for source in view.sources:
        changed = history.source_updated.get(source.id)
        if changed:
            dates[source_page(source.id)] = changed
    if dates:
        newest = max(dates.values())
        for path in (HOME, SOURCES_INDEX, FORMAT_PAGE):
            dates[path] = newest
    return dates


def _write(target: Path, data: bytes) -> OnDisk:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return OnDisk(target)

"""Render the site's Markdown pages from the views, through the Jinja2 templates.

The output is plain Markdown (with raw HTML where Markdown has no construct)
keyed by page path, plus downloadable files: nothing here knows about MkDocs,
so another static site engine could build the same pages.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import escaping, exports, wording
from .charts import sheet_charts
from .content_schema import json_schemas, reference
from .jsonld import sheet_graph
from .search import SearchEntry, indexed_pages, search_entries
from .timeline import sheet_timeline
from .views import (
    FORMAT_PAGE,
    HOME,
    SOURCES_INDEX,
    SiteView,
    archive_lines,
    corrections_page,
    differences_page,
    sheet_page,
    source_page,
)

NAV_SHEETS = 20
"""Up to this many sheets are listed in the navigation; with more, the front page lists
them (the navigation is drawn on every page, so a long one costs readers and builds)."""


@dataclass
class RenderedSite:
    pages: dict[str, str] = field(default_factory=dict)
    """Markdown pages by path (``sheets/x/index.md``)."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Other files to publish as they are (downloads, schemas, archived texts)."""
    nav: list[str | tuple[str, list[str]]] = field(default_factory=list)
    """Navigation: page paths, and sections as (title, page paths), in order."""
    search: list[SearchEntry] = field(default_factory=list)
    """Search entries for the fact pages (see :mod:`generator.search`)."""
    search_pages: set[str] = field(default_factory=set)
    """Pages fully described by ``search``: the engine need not index them itself."""


def heading_attrs(anchor: str, *classes: str) -> Markup:
    """Python-Markdown attribute list for a heading: ``{#anchor .class}`` (ids are slugs)."""
    parts = [f"#{anchor}", *(f".{c}" for c in classes)]
    return Markup("{: " + " ".join(escaping.attr(p) for p in parts) + " }")


@functools.lru_cache(maxsize=65536)
def relative(from_page: str, target: str, anchor: str | None = None) -> str:
    """A link from one page to another page or file, relative, as Markdown engines expect."""
    if target == from_page:
        path = ""
    else:
        path = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return f"{path}#{anchor}" if anchor else (path or "#")


class Templates:
    """The Jinja2 environment: editor text is escaped by default, never evaluated."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.directory)),
            autoescape=False,
            finalize=escaping.finalize,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=True,
        )
        self.env.filters.update(escaping.FILTERS)
        self.env.globals.update(
            {
                "heading_attrs": heading_attrs,
                "sheet_charts": sheet_charts,
                "sheet_timeline": sheet_timeline,
                "sheet_graph": sheet_graph,
                "archive_lines": archive_lines,
                "reference": reference(),
                "csv_columns": exports.CSV_COLUMNS,
                "format_name": exports.FORMAT_NAME,
                "format_version": exports.FORMAT_VERSION,
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
            return Markup(escaping.url(relative(page, target, anchor)))

        template = self.env.get_template(name)
        return template.render(page=page, link=link, **context)


def render_site(view: SiteView, templates: Templates) -> RenderedSite:
    site = RenderedSite()
    common: dict[str, Any] = {
        "site": view,
        "pages": {
            "home": HOME,
            "sources": SOURCES_INDEX,
            "format": FORMAT_PAGE,
            "sheet": sheet_page,
            "differences": differences_page,
            "corrections": corrections_page,
            "source": source_page,
        },
    }
    render: Callable[..., str] = templates.render
    site.pages[HOME] = render("home.md.j2", HOME, **common)
    site.nav.append(HOME)
    for sheet in view.sheets:
        path = sheet_page(sheet.id)
        site.pages[path] = render("sheet.md.j2", path, sheet=sheet, **common)
        diff_path = differences_page(sheet.id)
        site.pages[diff_path] = render("differences.md.j2", diff_path, sheet=sheet, **common)
        fixes_path = corrections_page(sheet.id)
        site.pages[fixes_path] = render("corrections.md.j2", fixes_path, sheet=sheet, **common)
        if len(view.sheets) <= NAV_SHEETS:
            site.nav.append((sheet.sheet.title, [path, diff_path, fixes_path]))
    site.pages[SOURCES_INDEX] = render("sources.md.j2", SOURCES_INDEX, **common)
    site.nav.append(SOURCES_INDEX)
    for source in view.sources:
        path = source_page(source.id)
        site.pages[path] = render("source.md.j2", path, source=source, **common)
    site.pages[FORMAT_PAGE] = render("format.md.j2", FORMAT_PAGE, **common)
    site.nav.append(FORMAT_PAGE)
    site.files.update(exports.files(view))
    site.search = list(search_entries(view))
    site.search_pages = indexed_pages(view)
    for name, schema in json_schemas().items():
        site.files[f"schemas/{name}"] = exports.dump_json(schema, pretty=True)
    site.files[f"schemas/facts-download.v{exports.FORMAT_VERSION}.schema.json"] = exports.dump_json(
        exports.download_schema(), pretty=True
    )
    return site

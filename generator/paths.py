"""Where every page and download lives in the site, and the links between them.

The one definition of the site's paths: the views, the pages, the downloads and the
search index all take them from here. Paths are those of the Markdown pages
(``sheets/x/index.md``); :func:`page_url` says where each is published.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

DEFAULT_TEMPLATES = (
    _PACKAGE / "_templates" if (_PACKAGE / "_templates").is_dir() else _PACKAGE.parent / "templates"
)
"""The default templates, like a theme's: the page templates (``*.md.j2``, ``partials/``),
``overrides/`` (MkDocs' ``custom_dir``: the 404 page) and ``static/`` (CSS, JS). A site's own
``templates/`` overrides them file by file. Installed, they are the package's ``_templates/``
(setup.py ships the repository's top-level ``templates/`` there); in a source checkout they
are that ``templates/`` itself."""

DEFAULT_OVERRIDES = "overrides"
"""Under a templates directory: the theme's overrides (the site's ``theme.custom_dir``)."""

DEFAULT_STATIC = "static"
"""Under a templates directory: static files copied into the site as they are (CSS, JS)."""

SHEETS_DIR = "sheets"
SOURCES_DIR = "sources"


def sheet_page(sheet_id: str) -> str:
    return f"{SHEETS_DIR}/{sheet_id}/index.md"


def differences_page(sheet_id: str) -> str:
    return f"{SHEETS_DIR}/{sheet_id}/differences.md"


def corrections_page(sheet_id: str) -> str:
    return f"{SHEETS_DIR}/{sheet_id}/corrections.md"


def corrections_feed(sheet_id: str) -> str:
    """The sheet's corrections as an Atom feed (:mod:`generator.downloads.feeds`)."""
    return f"{SHEETS_DIR}/{sheet_id}/corrections.xml"


SITE_CORRECTIONS_FEED = "corrections.xml"
"""Every sheet's corrections as one Atom feed."""


def fact_page(sheet_id: str, fact_id: str) -> str:
    """A fact's own page (its stable, shareable URL): ``sheets/SHEET/facts/FACT/``."""
    return f"{SHEETS_DIR}/{sheet_id}/facts/{fact_id}.md"


def source_page(source_id: str) -> str:
    return f"{SOURCES_DIR}/{source_id}.md"


ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
"""Written by MkDocs itself (with the URL of every page when ``site_url`` is set)."""

SOURCES_INDEX = f"{SOURCES_DIR}/index.md"
HOME = "index.md"
FORMAT_PAGE = "format.md"


def archived_text(source_id: str) -> str:
    """The archived text of a source, published next to its page."""
    return f"{SOURCES_DIR}/{source_id}.txt"


def sheet_downloads(sheet_id: str) -> str:
    """The folder of a sheet's own downloads (``facts.json``, ``facts.csv``, ...)."""
    return f"{SHEETS_DIR}/{sheet_id}/"


def page_url(path: str, directory_urls: bool) -> str:
    """Where a page (``x/y.md``) or file is published, relative to the site root.

    ``directory_urls`` is the usual static-site layout (``x/y/``, ``x/`` for
    ``x/index.md``); without it pages are ``x/y.html``. Other files keep their path.
    """
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def normal_site_url(site_url: str | None) -> str | None:
    """``site_url`` as MkDocs uses it (ending in ``/``); None when it is not set."""
    if not site_url:
        return None
    return site_url if site_url.endswith("/") else site_url + "/"


@dataclass(frozen=True)
class Urls:
    """Where pages are published: relative to the site root, or absolute with ``site_url``.

    With ``site_url`` (MkDocs' setting, ``https://example.org/factsheets/``) every
    download, feed and JSON-LD link is absolute; without it they stay relative (to the
    site's root, or to the file they are in), as the site may be published anywhere.
    """

    site_url: str | None = None
    directory_urls: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "site_url", normal_site_url(self.site_url))

    def url(self, target: str, anchor: str | None = None) -> str:
        """A page's (or file's) address: absolute with ``site_url``, else from the site root."""
        path = page_url(target, self.directory_urls)
        if self.site_url is not None:
            path = self.site_url + path
        return f"{path}#{anchor}" if anchor else path

    def link(self, from_page: str, target: str, anchor: str | None = None) -> str:
        """A link in a file published at ``from_page``: absolute with ``site_url``, else
        relative to that file."""
        if self.site_url is not None:
            return self.url(target, anchor)
        return final_link(from_page, target, anchor, self.directory_urls)


RELATIVE = Urls()
"""No ``site_url``: relative URLs (the default of the writers)."""


@functools.lru_cache(maxsize=65536)
def _final_path(from_page: str, target: str, directory_urls: bool) -> str:
    here = page_url(from_page, directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    there = page_url(target, directory_urls)
    if target == from_page:
        return ""
    path = posixpath.relpath(there or ".", base or ".")
    if there.endswith("/") or not there:
        path = "./" if path == "." else path + "/"
    return path


def final_link(
    from_page: str, target: str, anchor: str | None = None, directory_urls: bool = True
) -> str:
    """A link between published URLs, for raw HTML (which no Markdown engine rewrites)."""
    path = _final_path(from_page, target, directory_urls)
    return f"{path}#{anchor}" if anchor else (path or "./")


@functools.lru_cache(maxsize=65536)
def _relative_path(from_page: str, target: str) -> str:
    if target == from_page:
        return ""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def relative(from_page: str, target: str, anchor: str | None = None) -> str:
    """A link from one page to another page or file, relative, as Markdown engines expect."""
    path = _relative_path(from_page, target)
    return f"{path}#{anchor}" if anchor else (path or "#")

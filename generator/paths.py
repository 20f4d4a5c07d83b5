"""Where every page and download lives in the site, and the links between them.

The one definition of the site's paths: the views, the pages, the downloads and the
search index all take them from here. Paths are those of the Markdown pages
(``sheets/x/index.md``); :func:`page_url` says where each is published.
"""

from __future__ import annotations

import functools
import posixpath
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


def source_page(source_id: str) -> str:
    return f"{SOURCES_DIR}/{source_id}.md"


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

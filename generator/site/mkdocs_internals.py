"""Every use of MkDocs beyond its public plugin API, in one place, each with its reason.

The plugin (:mod:`generator.site.plugin`) uses MkDocs' public events wherever they
suffice. What they cannot do is done here, and only here:

- **Rendering one page again** (:func:`populate_page`, :func:`build_page`): after an
  edit the preview (:mod:`generator.site.preview`) renders just the pages whose
  Markdown changed, with MkDocs' own per-page steps, instead of a whole build.
  ``mkdocs.commands.build`` does not export them.
- **A page's title from its first heading** (:func:`rendered_title`,
  :func:`set_rendered_title`): pages rendered in worker processes
  (:mod:`generator.speed.pagerender`) carry back everything ``Page.render`` set,
  and this title is kept in a private attribute.
- **The page being built** (:func:`set_current_page`): MkDocs sets it on the config
  before rendering a page (extensions and filters read it); workers render pages
  outside MkDocs' loop, so they set it as MkDocs would.
- **Replacing one page's render method** (:func:`replace_render`): the plugin lets a
  page take a worker's rendering; no event runs between reading a page and rendering
  it, so the page's bound ``render`` is replaced on that page alone.
- **Publishing a download by a hard link** (:func:`replace_copy_file`): downloads the
  build wrote to its scratch directory are linked into the site, not copied again; a
  generated ``File`` has no hook for that, so its ``copy_file`` is replaced.
- **Which files a dirty rebuild renders** (:func:`mark_modified`): MkDocs decides from
  source modification times, which generated files do not have; the plugin knows which
  pages changed, and sets each file's ``is_modified`` answer.
- **Writing the preview's files whole** (:func:`write_files_whole`): the preview
  server may open a page while a rebuild writes it (it waits for the build to end
  before opening, but a rebuild can start between that wait and the read), and MkDocs
  writes in place; while serving, ``mkdocs.utils.write_file``, which writes every page
  and the search index, is replaced by one that writes a new file and renames it over
  the old one (:func:`generator.site.preview.write_whole`).
- **Asking the preview server for a rebuild** (:func:`ask_for_rebuild`): native file
  events (:mod:`generator.site.watch`) wake the server as its own polling does,
  through its private condition variable.

The dependency range pins MkDocs 1.6; :func:`missing` lists what the installed MkDocs
lacks, and ``tests/test_mkdocs_internals.py`` fails with that list when it changes.
"""

from __future__ import annotations

import functools
import tempfile
import threading
from collections.abc import Callable
from typing import Any

from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


def populate_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Read a page's Markdown and convert it, with its plugin events, as a build does."""
    mkdocs_build._populate_page(page, config, files)


def build_page(page: Page, config: MkDocsConfig, doc_files: Any, nav: Navigation, env: Any) -> None:
    """Render a converted page through the theme and write its HTML, as a build does."""
    mkdocs_build._build_page(page, config, doc_files, nav, env)


def rendered_title(page: Page) -> str | None:
    """The title ``Page.render`` found in the page's first heading."""
    return page._title_from_render


def set_rendered_title(page: Page, title: str | None) -> None:
    page._title_from_render = title


def set_current_page(config: MkDocsConfig, page: Page | None) -> None:
    """Tell MkDocs which page is being rendered (it sets this itself in its loop)."""
    config._current_page = page


def replace_render(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> None:
    """Make ``page.render`` call ``render`` instead, for this page only."""
    setattr(page, "render", render)  # noqa: B010 - an instance's method, replaced


def replace_copy_file(file: File, copy: Callable[..., None]) -> None:
    """Make ``file.copy_file(dirty=...)`` call ``copy`` instead, for this file only."""
    setattr(file, "copy_file", copy)  # noqa: B010 - an instance's method, replaced


def mark_modified(file: File, modified: bool) -> None:
    """Make ``file.is_modified()`` answer ``modified``."""
    setattr(file, "is_modified", functools.partial(bool, modified))  # noqa: B010


def can_ask_for_rebuilds(server: LiveReloadServer) -> bool:
    return isinstance(getattr(server, "_rebuild_cond", None), threading.Condition) and hasattr(
        server, "_want_rebuild"
    )


def write_files_whole(write: Callable[[bytes, str], None] | None) -> None:
    """Make MkDocs write its files with ``write(content, path)`` (None: as it does)."""
    original = _ORIGINAL_WRITE_FILE
    mkdocs_utils.write_file = write or original  # type: ignore[assignment]


_ORIGINAL_WRITE_FILE = mkdocs_utils.write_file


def ask_for_rebuild(server: LiveReloadServer) -> None:
    """Wake the server's build loop, as its own file watcher does."""
    condition = server._rebuild_cond
    with condition:
        server._want_rebuild = True
        condition.notify_all()


def can_render_pages_again() -> bool:
    return callable(getattr(mkdocs_build, "_populate_page", None)) and callable(
        getattr(mkdocs_build, "_build_page", None)
    )


def missing() -> list[str]:
    """What this module relies on and the installed MkDocs does not have (empty: all there)."""
    lacking = [
        f"mkdocs.commands.build.{name}"
        for name in ("_populate_page", "_build_page")
        if not callable(getattr(mkdocs_build, name, None))
    ]
    if not callable(getattr(mkdocs_utils, "write_file", None)):
        lacking.append("mkdocs.utils.write_file")
    if "_current_page" not in MkDocsConfig.__annotations__ and not hasattr(
        MkDocsConfig, "_current_page"
    ):
        lacking.append("MkDocsConfig._current_page")
    with tempfile.TemporaryDirectory() as folder:
        config = MkDocsConfig()
        config.load_dict({"site_name": "check", "docs_dir": folder, "site_dir": folder})
        file = File("index.md", src_dir=folder, dest_dir=folder, use_directory_urls=True)
        page = Page(None, file, config)
        if not hasattr(page, "_title_from_render"):
            lacking.append("Page._title_from_render")
        if not callable(getattr(page, "render", None)):
            lacking.append("Page.render")
        for name in ("copy_file", "is_modified"):
            if not callable(getattr(file, name, None)):
                lacking.append(f"File.{name}")
        server = LiveReloadServer(
            builder=lambda: None, host="127.0.0.1", port=0, root=folder, polling_interval=1
        )
        try:
            if not can_ask_for_rebuilds(server):
                lacking.append("LiveReloadServer._rebuild_cond / _want_rebuild")
            for name in ("observer", "build_delay"):
                if not hasattr(server, name):
                    lacking.append(f"LiveReloadServer.{name}")
        finally:
            server.server_close()
    return lacking

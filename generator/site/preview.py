"""The preview's fast path: after a content edit, MkDocs renders just the pages it changed.

``mkdocs serve`` rebuilds with :func:`mkdocs.commands.build.build` after every save. Even
a "dirty" build, which renders only the pages marked modified, reloads the configuration,
lists every file of the theme (thousands, for Material), makes a ``File`` per page, draws
the navigation and writes the sitemap, the 404 page and the whole search index again,
before the generator has done anything.

When an edit changes neither the configuration, the templates, the set of pages, the
navigation, nor a page that Material's search indexes itself, the plugin instead keeps
what the last full build set up (:class:`LastBuild`: configuration, files, navigation,
theme environment) and runs MkDocs' own page steps for the changed pages only
(:func:`render_pages`), with every page event (``on_pre_page`` to ``on_post_page``) as in
a build. Anything else takes the full rebuild. The result is the site a clean build gives
(``tests/test_serve.py``).

This uses two functions MkDocs does not export, through
:mod:`generator.site.mkdocs_internals`; :func:`available` says whether they are there,
and without them every rebuild is a full one.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from generator.site import mkdocs_internals

SAFE_PLUGINS = frozenset({"search", "material/search", "factsheet"})
"""Plugins whose build-wide events the fast path may skip (it runs their page events)."""


@dataclass
class LastBuild:
    """What the last full build set up, kept for the fast path."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    config_stamp: tuple[int, int] | None


def available() -> bool:
    return mkdocs_internals.can_render_pages_again()


def config_stamp(config: MkDocsConfig) -> tuple[int, int] | None:
    """When mkdocs.yml last changed (a changed configuration takes the full rebuild)."""
    path = config.config_file_path
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def usable(last: LastBuild | None) -> bool:
    """Whether the fast path may run: a full build to build on, and only known plugins."""
    if last is None or not available():
        return False
    if config_stamp(last.config) != last.config_stamp:
        return False
    return set(last.config.plugins) <= SAFE_PLUGINS


def render_pages(last: LastBuild, pages: dict[str, str], downloads: dict[str, bytes]) -> list[str]:
    """Give the files at these paths their new content, render the pages, write everything.

    Returns the paths written into the site, relative to it.
    """
    config, files = last.config, last.files
    written: list[str] = []
    for path, content in downloads.items():
        file = files.get_file_from_path(path)
        assert file is not None, path
        file.content_bytes = content
        write_whole(content, file.abs_dest_path)
        written.append(file.dest_uri)
    changed = []
    for path, markdown in pages.items():
        file = files.get_file_from_path(path)
        assert file is not None and file.page is not None, path
        file.content_string = markdown
        mkdocs_internals.populate_page(file.page, config, files)
        changed.append(file)
    doc_files = files.documentation_pages()
    for file in changed:
        assert file.page is not None
        mkdocs_internals.build_page(file.page, config, doc_files, last.nav, last.env)
        written.append(file.dest_uri)
    return written


class Placing(Protocol):
    """Where :func:`write_whole` writes a file's bytes first, and how it puts them in place."""

    def partial_for(self, target: Path) -> Path: ...

    def replace(self, partial: Path, target: Path) -> None: ...


placing: Placing | None = None
"""Set in the preview's follow-up process (:mod:`generator.speed.background`): its files go
through a fence, so that once the next rebuild has stopped it, it puts nothing in place."""


def write_whole(content: bytes, path: str | os.PathLike[str]) -> None:
    """Write a file of the preview's site so that it is never seen half-written.

    The bytes go to a new file next to it, renamed over it once complete: whoever opens
    the path (the preview server answering a request) gets the old file or the new one.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    place = placing
    if place is None:
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.partial")
    else:
        partial = place.partial_for(target)
    try:
        with open(partial, "wb") as out:
            out.write(content)
        if place is None:
            os.replace(partial, target)
        else:
            place.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def copy_whole(file: File, dirty: bool = False) -> None:
    """``File.copy_file`` for a generated file with content, written by :func:`write_whole`."""
    if dirty and not file.is_modified():
        return
    write_whole(file.content_bytes, file.abs_dest_path)

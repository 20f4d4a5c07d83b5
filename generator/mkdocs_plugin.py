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
``on_post_build`` runs the sanitiser check (:mod:`generator.sanitize`) on the built
                pages. ``factsheet build`` runs it before the new site replaces the old
                one; under plain ``mkdocs build`` (which has already written ``site/``)
                it still fails the build loudly, and ``mkdocs serve`` logs the problems.
``on_serve``    watches the content and templates directories for live reload.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errorpage import error_page
from .escaping import attr
from .generate import Generated, generate
from .pages import RenderedSite
from .problems import Problem, format_problems
from .sanitize import check_site

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


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.prepared: Generated | None = None
        self.checked_by_caller = False
        self.last: Generated | None = None
        self.content_dir = Path("content")
        self.templates_dir = Path("templates")
        self.known_pages: list[str] = ["index.md"]
        """Pages of the last good build: while serving, errors are shown at each of them."""

    def use(self, generated: Generated) -> None:
        """Hand over a generator result already computed (by ``factsheet build``)."""
        self.prepared = generated
        self.checked_by_caller = True

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = (base_dir / self.config.content_dir).resolve()
        self.templates_dir = (base_dir / self.config.templates_dir).resolve()
        jieba = sys.modules.get("jieba")  # loaded by Material's search for Chinese text
        if jieba is not None:
            jieba.setLogLevel(logging.WARNING)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        generated = self.prepared or generate(self.content_dir, self.templates_dir)
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
            site = RenderedSite(pages=dict.fromkeys(self.known_pages, page), nav=["index.md"])
        else:
            site = generated.site
            self.known_pages = list(site.pages)
        for path, markdown in site.pages.items():
            _replace(files, File.generated(config, path, content=markdown))
        for path, data in site.files.items():
            _replace(files, File.generated(config, path, content=data))
        config.nav = _nav(site)
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.checked_by_caller:
            return  # factsheet build checks the new site itself, before swapping it in
        content = self.last.loaded.content if self.last and self.last.loaded else None
        unsafe = check_site(config.site_dir, content)
        if not unsafe:
            return
        if self.serving:
            for problem in unsafe:
                log.error(problem.format())
            return
        raise UnsafeMarkupError(unsafe)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for directory in (self.content_dir, self.templates_dir):
            if directory.is_dir():
                server.watch(str(directory))
        return server


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def _nav(site: RenderedSite) -> list[Any]:
    """MkDocs navigation; section titles are HTML-escaped, as themes print them raw."""
    nav: list[Any] = []
    for entry in site.nav:
        if isinstance(entry, tuple):
            title, paths = entry
            nav.append({str(attr(title)): list(paths)})
        else:
            nav.append(entry)
    return nav

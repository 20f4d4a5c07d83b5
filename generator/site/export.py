"""``factsheet export DIR``: the site as a plain MkDocs project, built without our plugin.

The escape hatch: ``DIR/docs/`` holds the generator's Markdown pages, its downloads and
the project's static assets (its ``docs_dir``), ``DIR/overrides/`` the theme overrides
(``custom_dir``), and ``DIR/mkdocs.yml`` a configuration that any MkDocs-compatible
engine builds as it is (``mkdocs build``, ``properdocs build``, ``zensical build``):

- the project's own settings (theme, palette, search options, extensions, extra CSS and
  JavaScript, ...), without the ``factsheet`` plugin, and with the navigation set
  explicitly (the plugin sets it at build time);
- ``generator.site.rawblocks`` added to ``markdown_extensions`` (unless ``fast_html`` is
  false): the generator's raw HTML blocks pass through Python-Markdown without its HTML
  parser, the slowest part of building a large fact base without the plugin; the pages
  hold each block in an HTML comment, which the extension opens (Zensical's scan of the
  pages for links skips a comment at once, and would otherwise read every byte);
- with directory URLs, every page is written as ``NAME/index.md`` (``format.md`` becomes
  ``format/index.md``, its Markdown links to other pages following it): its address does
  not change, but its folder is now the folder of its address. The generator's raw HTML
  links are relative to a page's address; MkDocs passes them through, while Zensical
  reads every relative link as relative to the page's file; the two now agree;
- the charts and the list of sources are kept out of the engine's search (``data-search-exclude``);
- ``validation.anchors: info``: the links to facts point into those blocks, which engines
  do not read for anchors any more.

What the plugin adds beyond the pages is not there: the search entries made from the
model (the engine indexes the pages itself: a fact is found by the words, figures as
written and names on its card), and the page check and atomic swap of ``factsheet build``
(``factsheet build --engine zensical`` builds an export and applies both).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.render.escaping import attr
from generator.render.pages import OnDisk, RenderedSite
from generator.site.project import Project, read_config
from generator.site.rawblocks import wrap

CONFIG = "mkdocs.yml"
DOCS = "docs"
OVERRIDES = "overrides"
RAW_BLOCKS = "generator.site.rawblocks"


def nav_config(site: RenderedSite, moved: dict[str, str] | None = None) -> list[Any]:
    """MkDocs navigation; section titles are HTML-escaped, as themes print them raw.

    ``moved``: pages written under another path (:func:`index_paths`).
    """
    moved = moved or {}
    nav: list[Any] = []
    for entry in site.nav:
        if isinstance(entry, tuple):
            title, paths = entry
            nav.append({str(attr(title)): [moved.get(p, p) for p in paths]})
        else:
            nav.append(moved.get(entry, entry))
    return nav


def index_paths(site: RenderedSite, directory_urls: bool) -> dict[str, str]:
    """Each page not named index.md, by the path ``NAME/index.md`` it is exported as."""
    if not directory_urls:
        return {}
    moved = {}
    for path in site.pages:
        stem, name = posixpath.split(path)
        if name != "index.md" and name.endswith(".md"):
            target = posixpath.join(stem, name[: -len(".md")], "index.md")
            if target not in site.pages:
                moved[path] = target
    return moved


NOT_SEARCHED = ('<div class="fs-charts">', '<table class="fs-sources-table">')
"""Blocks the engine's search skips (``data-search-exclude="true"``: Material and Zensical
honour it and take it out of the page, Material only when it has a value): the charts
repeat the facts' figures as SVG labels, the list of sources each source page's title;
and Zensical's index refuses a section of more than 32 KB, which a large site's charts or
list of sources exceed."""

_MD_LINK = re.compile(r"\]\(([^()\s:#/][^()\s:#]*)(#[^()\s]*)?\)")
"""A Markdown link to a relative path (a page or a download), with its anchor."""


def relink(markdown: str, page: str, moved: dict[str, str]) -> str:
    """The relative Markdown links of ``page`` (a page, a download), made relative to where
    the page was moved, and pointing where the pages they link to were moved."""
    if page not in moved and not any(".md" in m.group(1) for m in _MD_LINK.finditer(markdown)):
        return markdown
    old_dir = posixpath.dirname(page)
    new_dir = posixpath.dirname(moved.get(page, page)) or "."

    def fix(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(old_dir, match.group(1)))
        target = moved.get(target, target)
        return f"]({posixpath.relpath(target, new_dir)}{match.group(2) or ''})"

    return _MD_LINK.sub(fix, markdown)


def export_config(
    project: Project, site: RenderedSite, *, site_dir: Path | str = "site", fast_html: bool = True
) -> dict[str, Any]:
    """The exported project's mkdocs.yml, as data."""
    config = read_config(project.config_file)
    config["docs_dir"] = DOCS
    config["site_dir"] = str(site_dir)
    config["nav"] = nav_config(site, index_paths(site, project.directory_urls))
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme = dict(theme)
        theme["custom_dir"] = OVERRIDES
        config["theme"] = theme
    config["plugins"] = [p for p in _plugins(config.get("plugins")) if _name(p) != "factsheet"]
    extensions = list(config.get("markdown_extensions") or [])
    if fast_html and RAW_BLOCKS not in (_name(e) for e in extensions):
        extensions.append(RAW_BLOCKS)
    config["markdown_extensions"] = extensions
    validation = dict(config.get("validation") or {})
    links = validation.get("links")
    validation["links"] = {**(links if isinstance(links, dict) else {}), "anchors": "info"}
    config["validation"] = validation
    return config


def write_export(
    project: Project,
    site: RenderedSite,
    out_dir: Path,
    *,
    site_dir: Path | str = "site",
    fast_html: bool = True,
) -> Path:
    """Write the project to ``out_dir`` (which must be empty or missing); returns its config."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = out_dir / DOCS
    config = export_config(project, site, site_dir=site_dir, fast_html=fast_html)
    static = project.root / str(read_config(project.config_file).get("docs_dir", "docs"))
    if static.is_dir():
        shutil.copytree(static, docs, dirs_exist_ok=True)
    theme = read_config(project.config_file).get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        overrides = project.root / str(theme["custom_dir"])
        if overrides.is_dir():
            shutil.copytree(overrides, out_dir / OVERRIDES, dirs_exist_ok=True)
    moved = index_paths(site, project.directory_urls)
    for path, page in site.pages.items():
        text = relink(_text(page), path, moved)
        for block in NOT_SEARCHED:
            text = text.replace(block, block[:-1] + ' data-search-exclude="true">')
        if fast_html:
            text = wrap(text)
        _put(docs / moved.get(path, path), text)
    for path, data in site.downloads.items():
        _put(docs / path, data)
    config_file = out_dir / CONFIG
    config_file.write_text(
        "# Written by `factsheet export`: the site as a plain MkDocs project, built\n"
        "# without the factsheet plugin (mkdocs build, properdocs build, zensical build).\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return config_file


def _text(page: str | OnDisk) -> str:
    if isinstance(page, str):
        return page
    with open(page.path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _put(target: Path, content: str | bytes | OnDisk) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, OnDisk):
        try:  # the build's scratch file, on the same file system: link, do not copy
            os.link(content.path, target)
        except OSError:
            shutil.copyfile(content.path, target)
    elif isinstance(content, str):
        target.write_text(content, encoding="utf-8", newline="")
    else:
        target.write_bytes(content)


def _plugins(plugins: Any) -> list[Any]:
    if isinstance(plugins, dict):
        return [{k: v} if v else k for k, v in plugins.items()]
    return list(plugins or [])


def _name(entry: Any) -> str:
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return str(entry)

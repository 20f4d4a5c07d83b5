"""``factsheet new site DIR``: a new fact sheet site that checks and builds at once.

It writes ``mkdocs.yml`` (the factsheet plugin and Material), ``content/`` with a small
example sheet and its archived source, a ``.gitignore`` and a GitHub Pages workflow. There
is no ``templates/``: the default templates ship in the package
(:data:`generator.paths.DEFAULT_TEMPLATES`) and a site's ``templates/`` holds only the files
it changes, under the same names.

The example is honest about what it is: an invented press release of an invented library,
labelled as an example in its title, its notes and its first line (page furniture), with
facts that quote it word for word. Editors replace it with their own sheets and sources.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.editor.yamlwrite import modeline, schema_ref

EXAMPLE_SHEET = "example-library-2024"
EXAMPLE_SOURCE = "example-library-press-release"

MKDOCS_YML = """\
# A fact sheet site: every page is generated from content/ by the factsheet plugin.
# `factsheet check` checks the content; `factsheet build` writes the site into site/;
# `factsheet serve` previews it while you edit.
site_name: Fact sheets
site_description: Sourced fact sheets, every figure tied to the words of its archived source.
# Where the site will be published. Set it before publishing: canonical links, the sitemap
# and the downloads then carry absolute addresses.
# site_url: https://example.org/factsheets/

# MkDocs needs a docs_dir that exists; the plugin publishes none of content/ as it is
# (every page is made from it).
docs_dir: content
site_dir: site
use_directory_urls: true

# The templates are the defaults shipped with factsheet. To change one, copy it from the
# package's templates into templates/ here under the same name (templates/sheet.md.j2,
# templates/partials/fact.md.j2, templates/overrides/404.html,
# templates/static/assets/factsheet.css): files there win, file by file.
theme:
  name: material
  language: en
  # Fully offline: no Google Fonts, system fonts only.
  font: false
  features:
    - navigation.indexes
    - navigation.top
    - navigation.sections
    - search.highlight
    - toc.follow
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: deep orange
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: deep orange
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

plugins:
  - search:
      # "67,000" and "1.4" stay whole tokens: commas and dots inside numbers do not split.
      separator: '[\\s\\u200b\\-]+|(?<!\\d)[,.](?!\\d)|[,.](?=\\s|$)'
  - factsheet

markdown_extensions:
  - toc:
      permalink: true
      toc_depth: 2
  - attr_list
  - tables

extra_css:
  - assets/factsheet.css
  - assets/figures.css
extra_javascript:
  - assets/factsheet.js

validation:
  nav:
    omitted_files: ignore
  links:
    absolute_links: warn
    unrecognized_links: warn
    anchors: warn
"""

GITIGNORE = """\
# The built site (factsheet build)
/site/
# A build's scratch (removed when it ends, or by the next build if it was killed) and
# the lock of a build in progress, next to site/
/.factsheet-scratch/
/.site.*
# A virtual environment, Python's caches
/.venv/
__pycache__/
"""

WORKFLOW = """\
@HEADER@name: Publish fact sheets

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

# One deployment at a time; a newer push waits for the running one to finish.
concurrency:
  group: pages-${{ github.ref }}
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # The whole git history: facts' "last changed" dates, the corrections pages and
          # their feeds come from it. The default (a shallow clone of one commit) fails
          # `factsheet build` with a message saying so.
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install factsheet
@INSTALL@      - name: Check the content
        run: factsheet check
      - name: Build the site
        run: factsheet build
      - name: Upload the site
        if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Publish to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""
"""The GitHub Pages workflow, the one source of both :func:`pages_workflow` (a new site's)
and :func:`example_workflow` (this repository's ``examples/ci/publish-site.yml``): they
differ only in their opening comment and in where they install factsheet from."""

EXAMPLE_WORKFLOW_PATH = "examples/ci/publish-site.yml"
"""Where :func:`example_workflow` is kept, relative to the repository (a test compares)."""


def pages_workflow(version: str = __version__) -> str:
    """The ``.github/workflows/pages.yml`` of a new site: factsheet ``version`` from the
    package index."""
    header = (
        "# Check the fact sheets and publish the site to GitHub Pages.\n"
        '# In the repository\'s Settings > Pages, choose "GitHub Actions" as the source.\n'
    )
    install = (
        "        # The version this site was started with, from the package index. Installing it "
        "from\n"
        "        # elsewhere (a wheel committed here, a git URL)? Give that to pip instead.\n"
        f'        run: python -m pip install "factsheet=={version}"\n'
    )
    return WORKFLOW.replace("@HEADER@", header).replace("@INSTALL@", install)


def example_workflow() -> str:
    """This repository's ``examples/ci/publish-site.yml``: factsheet installed from the
    checkout it runs in (``pip install .``)."""
    header = """\
# Example GitHub Actions workflow: check the fact sheets and publish the site to GitHub Pages.
#
# Copy it to .github/workflows/publish-site.yml in this repository (or in a fork that keeps
# its own content/), then in the repository's Settings > Pages choose "GitHub Actions" as the
# source.
#
# - Every push and pull request runs `factsheet check` (content problems fail the job with
#   PATH:LINE:COL: error: MESSAGE lines, shown in the log) and `factsheet build`.
# - Pushes to main then publish site/ to GitHub Pages.
#
# A separate repository of fact sheets (mkdocs.yml, content/, templates/) installs factsheet
# with pip from wherever it takes it (a tag of this repository, a wheel) in the install step.
#
# This is the workflow `factsheet new site` writes, but for the install step: edit it in
# generator/editor/newsite.py (WORKFLOW), then write this file again from it (tests say how).
"""
    install = "        run: python -m pip install .\n"
    return WORKFLOW.replace("@HEADER@", header).replace("@INSTALL@", install)


EXAMPLE_LABEL = (
    "EXAMPLE: an invented press release, written for the example sheet of a new "
    "factsheet site. The library, the people and the figures are fictional."
)

SOURCE_TEXT = f"""\
{EXAMPLE_LABEL}

Riverside Public Library reports a record year

RIVERSIDE, 15 January 2025. The Riverside Public Library said on Wednesday that it lent \
48,200 books in 2024, up from 41,500 in 2023.

“More people came through our doors than in any year before,” said Ana Ruiz, the \
library's director. “We registered 1,350 new members, most of them under 18.”

The library opened a second reading room in September 2024. Its opening hours stay the \
same: Monday to Saturday, from 9 a.m. to 7 p.m.
"""

SOURCE_YAML = """\
{modeline}
id: {source}
title: "[Example] Riverside Public Library reports a record year"
label: Riverside Public Library (example)
type: press-release
publisher: Riverside Public Library
published: 2025-01-15
language: en
notes: |
  An invented press release, written as the example source of a new factsheet site:
  the library, its director and every figure are fictional. Replace it with your own
  sources (`factsheet add-source URL` archives a page's text and writes this file).
archive:
  file: {source}.txt
  sha256: {sha256}
  furniture:
    - start: "EXAMPLE: an invented press release"
      end: the figures are fictional.
      reason: the label saying that this text is an invented example
"""

SHEET_YAML = """\
{modeline}
id: {sheet}
title: "Example: the Riverside Public Library in 2024"
description: >-
  An example sheet of invented figures: books lent and new members of a fictional
  library, each tied to the words of its archived source.
as_of: 2025-01-15
period:
  start: 2024-01-01
  end: 2024-12-31
summary: |
  This is an example: the library and its figures are invented, to show what a fact
  sheet looks like. The Riverside Public Library said it lent 48,200 books in 2024,
  and its director said 1,350 new members registered.
topics:
  - id: loans
    title: Books lent
  - id: members
    title: New members
key_figures:
  - fact: books-lent-2024
    meaning: books lent by the library in 2024
speakers:
  - name: Riverside Public Library
    aliases:
      - the library
  - name: Ana Ruiz
"""

FACTS_YAML = """\
{modeline}
facts:
  - id: books-lent-2024
    topic: loans
    label: Books lent in 2024
    statement: The library lent 48,200 books in 2024.
    value:
      amount: 48200
      unit: books
      qualifier: exact
    period:
      start: 2024-01-01
      end: 2024-12-31
    attributed_to: Riverside Public Library
    citations:
      - source: {source}
        quote: >-
          The Riverside Public Library said on Wednesday that it lent 48,200 books
          in 2024, up from 41,500 in 2023.

  - id: new-members-2024
    topic: members
    label: New members
    statement: 1,350 new members registered with the library in 2024, its director said.
    value:
      amount: 1350
      unit: members
      qualifier: exact
    attributed_to: Ana Ruiz
    citations:
      - source: {source}
        quote: We registered 1,350 new members, most of them under 18.
        attribution: said Ana Ruiz, the library's director.
"""


class NewSiteError(Exception):
    """The site was not written (the directory is not empty, or cannot be made)."""


@dataclass(frozen=True)
class SiteFile:
    path: str
    """Relative to the site's directory, with forward slashes."""
    text: str


def site_files(root: Path) -> list[SiteFile]:
    """Every file of a new site at ``root`` (the modelines point into ``root``'s site/)."""
    content = root / "content"
    sheet_dir = content / "sheets" / EXAMPLE_SHEET
    source_yaml = content / "sources" / f"{EXAMPLE_SOURCE}.yaml"
    sheet_yaml = sheet_dir / "sheet.yaml"
    facts_yaml = sheet_dir / "facts" / "library.yaml"

    def line(kind: str, path: Path) -> str:
        return modeline(schema_ref(kind, path, root))

    sha256 = hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest()
    files = {
        root / "mkdocs.yml": MKDOCS_YML,
        root / ".gitignore": GITIGNORE,
        root / ".github" / "workflows" / "pages.yml": pages_workflow(),
        content / "sources" / f"{EXAMPLE_SOURCE}.txt": SOURCE_TEXT,
        source_yaml: SOURCE_YAML.format(
            modeline=line("source", source_yaml), source=EXAMPLE_SOURCE, sha256=sha256
        ),
        sheet_yaml: SHEET_YAML.format(modeline=line("sheet", sheet_yaml), sheet=EXAMPLE_SHEET),
        facts_yaml: FACTS_YAML.format(modeline=line("facts", facts_yaml), source=EXAMPLE_SOURCE),
    }
    return [SiteFile(path.relative_to(root).as_posix(), text) for path, text in files.items()]


def new_site(directory: str | Path) -> list[Path]:
    """Write a new site into ``directory`` (made if missing; refused unless empty)."""
    root = Path(directory)
    if root.exists():
        if not root.is_dir():
            raise NewSiteError(f"{root}: exists and is not a directory")
        if any(root.iterdir()):
            raise NewSiteError(f"{root}: the directory is not empty; give a new or empty one")
    try:
        root.mkdir(parents=True, exist_ok=True)
        written = []
        for item in site_files(root.resolve()):
            path = root / item.path
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(item.text)
            written.append(path)
    except OSError as exc:
        raise NewSiteError(f"{root}: cannot write the site: {exc.strerror or exc}") from exc
    return written

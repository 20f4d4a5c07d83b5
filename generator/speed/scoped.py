"""The preview's quick path for the commonest edit: facts files of one sheet were saved.

After such a save, the page the editor is looking at depends on that sheet, its facts and
the sources they cite, not on the other sheets. :func:`sheet_pages` runs the plain stages
on exactly that part of the content (the sheet loaded again, its facts checked against
their sources, its views built, its pages rendered), reusing the preview's memos, so its
cost follows the sheet, not the size of the content. The preview serves those pages at
once; a full incremental run follows in a process of its own, for everything else the
edit changes (the downloads, the search index, the sources' pages) and for the checks
that span sheets (:meth:`generator.site.plugin.FactsheetPlugin.quick_rebuild`).

It answers None whenever the part alone could differ from the whole: a file outside one
sheet's facts, a problem of any kind (the full run reports it, located), a fact added,
removed or renamed, an id another sheet uses, a changed template, or a shallow history
the project does not allow. ``tests/test_scoped.py`` renders every sheet both ways and
compares the pages byte for byte.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.analysis.views import build_views
from generator.checks import run_checks
from generator.content.loader import SHEET_FILE, SHEETS_DIR, load_sheet
from generator.content.model import Content, Fact
from generator.generate import Generated, Memo
from generator.paths import corrections_page, differences_page, fact_page, sheet_page
from generator.render.pages import render_pages


@dataclass
class SheetPages:
    """One sheet's pages, rendered from that sheet and the sources its facts cite."""

    sheet_id: str
    pages: dict[str, str]
    """Path -> Markdown: the sheet's page, its differences and corrections pages, and
    each of its facts' own pages."""


def edited_sheet(content_dir: Path, changed: Collection[Path]) -> Path | None:
    """The sheet directory whose facts files are all the content files changed, if there is
    one (files the loader does not read, such as an editor's temporary files, aside)."""
    sheets = (content_dir / SHEETS_DIR).resolve()
    found: set[Path] = set()
    for path in changed:
        try:
            relative = Path(os.path.abspath(path)).relative_to(sheets)
        except ValueError:
            return None
        if len(relative.parts) < 2:
            return None
        if relative.suffix not in (".yaml", ".yml"):
            continue  # not content (an editor's temporary file, say): the loader skips it
        if relative.parts[1:] == (SHEET_FILE,) or not path.is_file():
            return None
        found.add(sheets / relative.parts[0])
    return found.pop() if len(found) == 1 else None


def sheet_pages(
    last: Generated,
    memo: Memo,
    content_dir: Path,
    templates_dir: Path,
    changed: Collection[Path],
    *,
    history: str = "require",
) -> SheetPages | None:
    """The pages of the one sheet whose facts files changed, or None (see the module).

    ``last`` is the last full run of the pipeline (without problems); ``memo`` the
    preview's, which this run adds to without starting a new run of it: what it computes
    is there for the full run that follows.
    """
    if last.loaded is None or not last.ok:
        return None
    sheet_dir = edited_sheet(content_dir, changed)
    if sheet_dir is None:
        return None
    whole = last.loaded.content
    before = memo.templates_signature if memo.templates is not None else None
    part = load_sheet(sheet_dir, memo.load)
    if part.problems or len(part.content.sheets) != 1:
        return None
    [(sheet_id, sheet)] = part.content.sheets.items()
    facts = part.content.facts
    was = whole.sheets.get(sheet_id)
    if was != sheet or [f.id for f in whole.facts_of(sheet_id)] != [*facts]:
        return None  # the sheet's record, or the facts it holds, changed
    cited = _cited_sources(whole, facts.values())
    content = Content(
        root=whole.root,
        sources={sid: s for sid, s in whole.sources.items() if sid in cited},
        sheets={sheet_id: sheet},
        facts=facts,
    )
    findings = run_checks(content, steps=memo.checks)
    if findings.problems:
        return None
    shown = memo.history_of(content_dir)
    if shown.shallow and history != "allow-shallow":
        return None
    try:
        templates = memo.templates_for(templates_dir, last.directory_urls, last.site_url)
        if before is not None and memo.templates_signature != before:
            return None
        view = build_views(content, findings.quotes, shown, memo.views)
        wanted = {
            sheet_page(sheet_id),
            differences_page(sheet_id),
            corrections_page(sheet_id),
            *(fact_page(sheet_id, fid) for fid in facts),
        }
        pages = render_pages(view, templates, wanted, memo.pages)
    except jinja2.TemplateError:
        return None  # the full run reports it, located
    return SheetPages(sheet_id, pages)


def _cited_sources(content: Content, facts: Collection[Fact]) -> set[str]:
    """The ids of the sources the facts cite, and of those they derive from, transitively."""
    found: set[str] = set()
    stack = [c.source for f in facts for c in f.citations]
    while stack:
        sid = stack.pop()
        if sid in found:
            continue
        found.add(sid)
        source = content.sources.get(sid)
        if source is not None:
            stack.extend(source.derived_from)
    return found

"""Search entries for the fact pages, made from the model instead of parsed back from HTML.

Material's search plugin splits every built page at its headings by running an
HTML parser over it, which is the slowest part of indexing a large fact base.
The generator already knows every section it wrote, so it describes them here,
tuned for facts: a fact is found by any word of its statement, its figure as
written ("67,000") and in digits ("67000"), its qualifier, who said it, the
names it carries and its quotes, and the result lands on the fact's anchor.

Entries are plain text; the MkDocs plugin turns page paths into URLs and writes
them into Material's ``search_index.json`` (escaped, and segmented with jieba
like Material does when jieba is installed).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.analysis.views import SheetView, SiteView, SourceView, sheet_key
from generator.content import wording
from generator.paths import corrections_page, differences_page, sheet_page, source_page


@dataclass(frozen=True)
class SearchEntry:
    page: str
    """The Markdown page path (``sheets/x/index.md``)."""
    anchor: str | None
    title: str
    text: str


def indexed_pages(site: SiteView) -> set[str]:
    """The pages these entries describe (the engine's own indexing can skip them)."""
    pages: set[str] = set()
    for sheet in site.sheets:
        pages.update((sheet_page(sheet.id), differences_page(sheet.id), corrections_page(sheet.id)))
    pages.update(source_page(s.id) for s in site.sources)
    return pages


def _join(*parts: str | None) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p)


def search_entries(site: SiteView) -> Iterator[SearchEntry]:
    for _, _, make in search_parts(site):
        yield from make()


def search_parts(
    site: SiteView,
) -> Iterator[tuple[str, tuple[object, ...], Callable[[], Iterator[SearchEntry]]]]:
    """The entries in parts (a sheet's pages, a source's page), each with what it is made of."""
    for sheet in site.sheets:
        yield f"sheet:{sheet.id}", sheet_key(sheet), functools.partial(_sheet_entries, sheet)
    for view in site.sources:
        yield f"source:{view.id}", (view.source,), functools.partial(_source_entries, view)


def _sheet_entries(sheet: SheetView) -> Iterator[SearchEntry]:
    page = sheet_page(sheet.id)
    yield SearchEntry(
        page,
        None,
        sheet.sheet.title,
        _join(sheet.sheet.summary, f"As of {sheet.as_of}.", sheet.period),
    )
    if sheet.key_figures:
        yield SearchEntry(
            page,
            "key-figures",
            "Key figures",
            _join(*(f"{k.fact.figure}: {k.meaning}." for k in sheet.key_figures)),
        )
    for topic in sheet.topics:
        if topic.facts:
            yield SearchEntry(page, topic.id, topic.title, _join(topic.intro))
    for fact in sheet.facts:
        yield _fact_entry(page, fact)
    yield SearchEntry(
        differences_page(sheet.id),
        None,
        "Where sources differ",
        _join(
            f"For the fact sheet {sheet.sheet.title}.",
            *(f.fact.statement for f in sheet.disputed),
            *(
                f"{f.fact.statement} Only in {f.only_in.short}."
                for f in sheet.single_source_figures
                if f.only_in
            ),
        ),
    )
    yield SearchEntry(
        corrections_page(sheet.id),
        None,
        "Corrections and changes",
        _join(
            f"For the fact sheet {sheet.sheet.title}.",
            *(f"{c.fact}: {c.what}, {c.old} → {c.new}. {c.message}" for c in sheet.corrections),
        ),
    )


def _source_entries(view: SourceView) -> Iterator[SearchEntry]:
    source = view.source
    page = source_page(source.id)
    yield SearchEntry(
        page,
        None,
        source.title,
        _join(
            source.short,
            source.outlet,
            source.publisher,
            source.agency,
            *(a.name for a in source.authors),
            wording.date(source.published) if source.published else None,
            source.notes,
        ),
    )
    if source.text:
        yield SearchEntry(
            page, "archived-text", f"Archived text: {source.short}", _join(source.text)
        )


def _fact_entry(page: str, fact: object) -> SearchEntry:
    from generator.analysis.views import FactView

    assert isinstance(fact, FactView)
    f = fact.fact
    figure = None
    value = f.value
    # The figure as the reader sees it leads the text (Material shows the start as the
    # result's snippet); its other spellings ("25000" for "25,000"), there to be searched,
    # go last, each once, and only when the figure as written does not already say it.
    spellings: list[str] = []
    if value is not None:
        figure = fact.figure
        if value.amount is not None:
            shown = set((figure or "").split())
            for alt in (
                wording.digits(value.amount),
                str(int(value.amount)) if value.amount == int(value.amount) else None,
            ):
                if alt and alt not in shown and alt not in spellings:
                    spellings.append(alt)
    quotes = [c.citation.quote for c in fact.citations]
    retracted = f.retracted
    speakers = fact.speakers
    if len(speakers) == 1 and speakers[0].name:
        said = f"Attributed to {speakers[0].name}."
    elif len(speakers) == 1:
        said = "Speaker not stated in the sources." + (
            f" Context suggests {f.speaker_context}." if f.speaker_context else ""
        )
    elif speakers:
        said = (
            "Attributed to "
            + "; ".join(f"{s.name or 'speaker not stated'} ({s.sources_words})" for s in speakers)
            + "."
        )
    else:
        said = None
    text = _join(
        f"Retracted on {wording.date(retracted.date)}: {retracted.reason}" if retracted else None,
        figure,
        said,
        fact.corroboration.words + ".",
        fact.scope.title if fact.scope else None,
        fact.when,
        ", ".join(f.names) if f.names else None,
        *(
            name
            for c in fact.citations
            if c.citation.states and c.citation.states.names
            for name in c.citation.states.names
        ),
        f.note,
        *quotes,
        *dict.fromkeys(c.source.short for c in fact.citations),
        *spellings,
    )
    title = f"Retracted: {f.statement}" if retracted else f.statement
    return SearchEntry(page, f.id, title, text)

"""What the templates show: plain view objects computed from the model and the checks.

Templates hold presentation only; every decision about wording, counting and
ordering is made here, once, so that all pages and downloads agree.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from generator.analysis.changes import Change, History
from generator.analysis.corroboration import Corroboration, corroborate
from generator.analysis.coverage import Coverage, source_coverage
from generator.analysis.disagreements import (
    KIND_WORDS,
    Differences,
    Version,
    classify,
    only_source,
    versions,
)
from generator.checks.quotes import QuoteIndex
from generator.content import wording
from generator.content.model import Citation, Content, Derivation, Fact, Scope, Sheet, Source
from generator.content.origins import Origins, resolve_origins
from generator.text.textmatch import Span
from generator.text.vocabulary import QUALIFIER_WORDS


def passage_anchor(fact_id: str, number: int) -> str:
    """Anchor of a cited passage on its source page."""
    return f"{fact_id}--{number}"


@dataclass(slots=True)
class CitationView:
    number: int
    citation: Citation
    source: Source
    span: Span | None
    fact_id: str
    sheet_id: str
    derived_from: list[Source] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return passage_anchor(self.fact_id, self.number)

    @property
    def derived_words(self) -> str:
        return ", ".join(s.short for s in self.derived_from)

    @property
    def states_words(self) -> str:
        """What this source states differently, in words ('about 13,000; attributed to ...')."""
        states = self.citation.states
        if states is None:
            return ""
        parts = []
        if states.amount is not None or states.qualifier is not None:
            parts.append(
                wording.amount_words(
                    states.amount if states.amount is not None else self.fact_amount,
                    states.qualifier or self.fact_qualifier,
                    states.upper,
                )
            )
        if states.attributed_to:
            parts.append(f"that it was said by {states.attributed_to}")
        if states.speaker_unstated:
            parts.append("it without saying who said it")
        if states.names:
            parts.append("the names " + ", ".join(f"“{n}”" for n in states.names))
        if states.date is not None:
            parts.append(f"the date {wording.date(states.date)}")
        return "; ".join(p for p in parts if p)

    fact_amount: Decimal | None = None
    fact_qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class SpeakerVersion:
    """One speaker as some of a fact's sources give it: a name, or not stated."""

    name: str | None
    """None when these sources do not say who made the statement."""
    sources: tuple[Source, ...]

    @property
    def sources_words(self) -> str:
        return ", ".join(s.short for s in self.sources)


@dataclass(slots=True)
class FactView:
    fact: Fact
    citations: list[CitationView]
    corroboration: Corroboration
    differences: Differences | None
    """Where the sources' versions differ (a conflict or only wording), None if alike."""
    only_in: Source | None
    sources: dict[str, Source]

    @property
    def id(self) -> str:
        return self.fact.id

    @property
    def dispute(self) -> Differences | None:
        """The differences when the sources conflict (a dispute), else None."""
        found = self.differences
        return found if found is not None and found.disputed else None

    @property
    def worded(self) -> Differences | None:
        """The differences when the sources only word the fact differently, else None."""
        found = self.differences
        return found if found is not None and not found.disputed else None

    @property
    def speakers(self) -> list[SpeakerVersion]:
        """Who each source says made the statement, grouped by speaker in citation order.

        Empty when no source is said to name a speaker (the reports' own voice); one entry
        when they all agree (a name, or not stated); several when they differ.
        """
        groups: dict[str | None, list[Source]] = {}
        names: dict[str | None, str | None] = {}
        claimed = False
        for v in self.versions:
            key = v.speaker_key
            claimed = claimed or key is not None or v.speaker_unstated
            names.setdefault(key, v.attributed_to)
            source = self.sources.get(v.source)
            if source is not None:
                groups.setdefault(key, []).append(source)
        if not claimed:
            return []
        return [SpeakerVersion(names[k], tuple(found)) for k, found in groups.items()]

    @property
    def figure(self) -> str | None:
        return wording.figure(self.fact.value) if self.fact.value else None

    @property
    def figure_number(self) -> str | None:
        """The number with its qualifier but without the unit: 'nearly 13,000'."""
        return wording.figure(self.fact.value, unit=False) if self.fact.value else None

    @property
    def qualifier_words(self) -> str:
        """The qualifier alone ('nearly'), '' for exact figures, ranges and vague amounts."""
        value = self.fact.value
        if value is None or value.qualifier in ("range", "vague"):
            return ""
        return QUALIFIER_WORDS.get(value.qualifier, "")

    @property
    def number_words(self) -> str:
        """The number alone ('13,000'); shown only next to :attr:`qualifier_words`."""
        value = self.fact.value
        if value is None or value.amount is None:
            return ""
        return wording.number(value.amount)

    @property
    def figure_unit(self) -> str:
        """The unit as it follows the number: 'accounts', or 'of posts' after vague words."""
        value = self.fact.value
        if value is None or not value.unit:
            return ""
        return f"of {value.unit}" if value.qualifier == "vague" else value.unit

    @property
    def when(self) -> str | None:
        fact = self.fact
        if fact.period is not None:
            return wording.date_range(fact.period.start, fact.period.end)
        if fact.date is not None:
            return wording.date(fact.date)
        return None

    scope: Scope | None = None
    changed_on: str | None = None
    """When the fact last changed (YYYY-MM-DD, from the content's git history)."""

    @property
    def last_changed(self) -> str | None:
        return wording.iso_date(self.changed_on) if self.changed_on else None

    versions: list[Version] = field(default_factory=list)
    """Each cited source's version of the fact, in citation order."""

    @property
    def dispute_words(self) -> str:
        """What the sources conflict on, in words: 'the number and who said it'."""
        if self.dispute is None:
            return ""
        return _and([KIND_WORDS[k] for k in self.dispute.conflicts])

    @property
    def worded_notes(self) -> list[tuple[str, str]]:
        """Differences that are not conflicts, each as (lead, detail) for a milder flag."""
        found = self.differences
        if found is None:
            return []
        notes = []
        if "qualifier" in found.worded:
            written = [
                f"“{v.as_written}” ({self.sources[v.source].short})"
                if v.as_written
                else f"{self.version_figure(v)} ({self.sources[v.source].short})"
                for v in found.versions
                if v.source in self.sources
            ]
            notes.append(("Sources word the figure differently", ": " + ", ".join(written)))
        if "speaker" in found.worded:
            notes.append(("Not every source says who said it", ""))
        return notes

    @property
    def bound_note(self) -> str | None:
        value = self.fact.value
        if value is None or value.qualifier != "vague":
            return None
        low, high = wording.bounds(value)
        if low is None or high is None:
            return None
        return f"(no number given; read as {wording.number(low)} to {wording.number(high)})"

    @property
    def share_text(self) -> str:
        """A shared link's description: the figure with its qualifier, who said it, backing.

        "Nearly 13,000 accounts, according to the Cyberspace Administration of China;
        backed by 2 independent origins." A retracted fact says so first.
        """
        f = self.fact
        if f.retracted is not None:
            return f"Retracted on {wording.date(f.retracted.date)}: {f.retracted.reason}"
        parts = []
        figure = self.figure
        if figure:
            parts.append(wording.capitalise(figure))
        speakers = self.speakers
        if len(speakers) == 1 and speakers[0].name:
            parts.append(f"according to {speakers[0].name}")
        lead = ", ".join(parts)
        backing = self.corroboration.words
        return f"{lead}; {backing}." if lead else f"{wording.capitalise(backing)}."

    def cite_text(self, sheet: SheetView) -> str:
        """A line a journalist can copy: the fact, the sheet, its date, the sources."""
        sources = "; ".join(
            s.short + (f", {wording.date(s.published)}" if s.published else "")
            for s in _distinct_sources(self.citations)
        )
        return (
            f"“{self.fact.statement}” Fact sheet “{sheet.sheet.title}”, as of {sheet.as_of}. "
            f"Sources: {sources}. #{self.fact.id}"
        )

    @property
    def cited_sources(self) -> list[Source]:
        """The sources this fact cites, each once, in citation order."""
        return _distinct_sources(self.citations)

    def version_figure(self, version: Version) -> str:
        if self.fact.value is None or version.amount is None:
            return ""
        return wording.amount_words(version.amount, version.qualifier, version.upper)


@dataclass(slots=True)
class TopicView:
    id: str
    title: str
    intro: str | None
    facts: list[FactView]


@dataclass(frozen=True, slots=True)
class DerivationView:
    """An editor's calculation shown with the prose it is in: the figure, how it was
    worked out, and the facts it comes from as (fact id, name shown) for links."""

    figure: str
    how: str
    facts: list[tuple[str, str]]


@dataclass(slots=True)
class KeyFigureView:
    fact: FactView
    meaning: str


@dataclass
class SheetView:
    sheet: Sheet
    topics: list[TopicView]
    key_figures: list[KeyFigureView]
    facts: list[FactView]
    sources: list[Source]
    history: History = field(default_factory=lambda: History(False, "not read"))

    @property
    def id(self) -> str:
        return self.sheet.id

    @property
    def disputed(self) -> list[FactView]:
        """Facts whose sources conflict (another number, speaker, names or date)."""
        return [f for f in self.facts if f.dispute is not None and not f.fact.retracted]

    def derivations(self, derived: list[Derivation]) -> list[DerivationView]:
        """The editor's calculations of a piece of this sheet's prose (the sheet's own
        ``derived``, or a fact's), each with the facts of the sheet it comes from."""
        if not derived:
            return []
        by_id = {f.id: f for f in self.facts}
        return [
            DerivationView(
                d.figure,
                d.how,
                [(i, _fact_name(by_id[i])) for i in d.facts if i in by_id],
            )
            for d in derived
        ]

    @property
    def worded(self) -> list[FactView]:
        """Facts whose sources only word them differently (a qualifier, an unnamed speaker)."""
        return [f for f in self.facts if f.worded is not None and not f.fact.retracted]

    @property
    def single_source_figures(self) -> list[FactView]:
        if len(self.sources) < 2:
            return []
        return [f for f in self.facts if f.only_in is not None and not f.fact.retracted]

    @property
    def current_facts(self) -> list[FactView]:
        """The facts that are not retracted (charts and the timeline show only these)."""
        return [f for f in self.facts if not f.fact.retracted]

    @property
    def history_dir(self) -> str:
        """The sheet's directory name, as the history knows the sheet."""
        return os.path.basename(self.sheet.dir)

    @property
    def corrections(self) -> list[Change]:
        """Changes to this sheet's published facts, newest first."""
        directory = self.history_dir
        return [c for c in self.history.changes if c.sheet_dir == directory]

    @property
    def updated(self) -> str | None:
        """When the sheet last changed, from the git history, in words."""
        date = self.history.sheet_updated.get(self.history_dir)
        return wording.iso_date(date) if date else None

    @property
    def dates_unknown(self) -> str | None:
        """Why change dates are unknown ('the site was built from a shallow copy ...'), if so."""
        return None if self.history.available else self.history.reason

    @property
    def independent_origins(self) -> int:
        origins: set[str] = set()
        for fact in self.facts:
            origins.update(fact.corroboration.origins)
        return len(origins)

    @property
    def as_of(self) -> str:
        return wording.date(self.sheet.as_of)

    @property
    def lede(self) -> str:
        """The summary's first paragraph, shown above the key figures."""
        return _paragraphs(self.sheet.summary)[0]

    @property
    def share_text(self) -> str:
        """A shared link's description: the key figures with their qualifiers, then the
        sheet's description ("Nearly 13,000 accounts (removed by May); ...")."""
        figures = [
            f"{wording.capitalise(k.fact.figure)} ({k.meaning})"
            for k in self.key_figures[:3]
            if k.fact.figure and k.fact.fact.retracted is None
        ]
        about = " ".join((self.sheet.description or _paragraphs(self.sheet.summary)[0]).split())
        return "; ".join(figures) + ". " + about if figures else about

    @property
    def rest_of_summary(self) -> str:
        return "\n\n".join(_paragraphs(self.sheet.summary)[1:])

    @property
    def period(self) -> str | None:
        p = self.sheet.period
        return wording.date_range(p.start, p.end) if p else None


@dataclass
class SourceView:
    source: Source
    facts: list[tuple[FactView, list[CitationView]]]
    derived_from: list[Source]
    repeated_by: list[Source]
    origins: list[Source]
    passages: list[tuple[int, int, list[CitationView]]] = field(default_factory=list)
    furniture: list[Span] = field(default_factory=list)
    known_coverage: Coverage | None = None
    quotes: QuoteIndex | None = field(default=None, repr=False, compare=False)
    """Where the coverage is worked out from, when it was left until the page is rendered."""

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def coverage(self) -> Coverage | None:
        """Which sentences of the archived text state a number or date, and which are cited.

        A build leaves it until the source's page is rendered (it is most of the time
        the views take, and the pages are rendered on every core); the preview works it
        out with the views, to keep it for sources that did not change.
        """
        if self.known_coverage is None and self.quotes is not None:
            self.known_coverage = source_coverage(self.source, self.quotes)
        return self.known_coverage


@dataclass
class SiteView:
    content: Content
    sheets: list[SheetView]
    sources: list[SourceView]
    origins: Origins
    history: History = field(default_factory=lambda: History(False, "not read"))
    """The content's git history (the pages' last-change dates come from it)."""

    def fact(self, fact_id: str) -> FactView | None:
        for sheet in self.sheets:
            for fact in sheet.facts:
                if fact.id == fact_id:
                    return fact
        return None

    def all_facts(self) -> Iterator[FactView]:
        for sheet in self.sheets:
            yield from sheet.facts


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _fact_name(fact: FactView) -> str:
    """How a fact is named in a link: its label, else its figure, else its statement."""
    return fact.fact.label or fact.figure or fact.fact.statement


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()] or [""]


def _distinct_sources(citations: list[CitationView]) -> list[Source]:
    out: list[Source] = []
    for c in citations:
        if c.source not in out:
            out.append(c.source)
    return out


def sheet_key(sheet: SheetView) -> tuple[object, ...]:
    """What a sheet's pages are made from."""
    history = sheet.history
    return (
        sheet.sheet,
        *sheet.facts,
        history.available,
        history.reason,
        history.origin,
        sheet.updated,
        *sheet.corrections,
    )


def source_key(source: SourceView) -> tuple[object, ...]:
    """What a source's page is made from."""
    return (
        source.source,
        *(x for fact, cites in source.facts for x in (fact, *cites)),
        None,
        *source.derived_from,
        None,
        *source.repeated_by,
        None,
        *source.origins,
        source.coverage,
        *source.furniture,
    )


def fact_view(
    fact: Fact,
    sheet: Sheet | None,
    changed: str | None,
    cited: tuple[Source | None, ...],
    roots: tuple[frozenset[str] | None, ...],
    spans: tuple[Span | None, ...],
    parents: tuple[Source | None, ...],
    *,
    sources: dict[str, Source],
    origins: Origins,
    quotes: QuoteIndex,
) -> FactView:
    """One fact as readers see it: its citations' sources (``cited``), their roots and
    the sources they repeat (``parents``), where each quote is (``spans``) and when the fact
    last changed; ``sources``, ``origins`` and ``quotes`` are looked up for those."""
    return _fact_view(fact, sheet, sources, origins, quotes, changed)


def sheet_view(
    sheet: Sheet,
    facts: tuple[FactView, ...],
    keys: tuple[FactView | None, ...],
    history: History,
) -> tuple[SheetView, Supporting]:
    """One sheet as readers see it, from the views of its facts and of the fact each key
    figure names (None: not a fact); and what its facts contribute to each source's page."""
    return _sheet_view(sheet, list(facts), keys, history), _supporting(facts)


def source_view(
    source: Source,
    supported: tuple[tuple[FactView, list[CitationView]], ...],
    derived_from: tuple[Source, ...],
    repeated_by: tuple[Source, ...],
    roots: tuple[Source, ...],
    furniture: tuple[Span, ...],
    passages: tuple[Span, ...],
    *,
    quotes: QuoteIndex,
) -> SourceView:
    """One source as readers see it: the facts citing it (with their citations of it),
    the sources it repeats, those repeating it, its roots, its furniture and the spans of
    its cited passages (what its coverage is worked out from, with ``quotes``)."""
    view = SourceView(
        source,
        list(supported),
        list(derived_from),
        list(repeated_by),
        list(roots),
        furniture=list(furniture),
        quotes=quotes,
    )
    view.passages = _passages(view)
    return view


@dataclass(frozen=True)
class ViewSteps:
    """The per-item functions :func:`build_views` maps over the content, one field each.

    Each takes its inputs as positional arguments and helpers as keyword arguments (see
    :mod:`generator.speed.memo`, which memoises them for the preview, so that a view whose
    inputs are unchanged is the same object again and its page is known unchanged at a
    glance).
    """

    fact_view: Callable[..., FactView] = fact_view
    sheet_view: Callable[..., tuple[SheetView, Supporting]] = sheet_view
    source_view: Callable[..., SourceView] = source_view


PLAIN = ViewSteps()


def build_views(
    content: Content,
    quotes: QuoteIndex,
    history: History | None = None,
    steps: ViewSteps = PLAIN,
) -> SiteView:
    history = history or History(False, "no history was read")
    quotes.resolve()
    origins = resolve_origins(content.sources)
    sources = content.sources
    fact_views: dict[str, FactView] = {}
    for fact in content.facts.values():
        cited = tuple(sources.get(c.source) for c in fact.citations)
        view = steps.fact_view(
            fact,
            content.sheets.get(fact.sheet),
            history.fact_changed.get(fact.id),
            cited,
            tuple(origins.roots.get(c.source) for c in fact.citations),
            tuple(quotes.spans.get((fact.id, n)) for n in range(1, len(fact.citations) + 1)),
            tuple(sources.get(d) for s in cited if s is not None for d in s.derived_from),
            sources=sources,
            origins=origins,
            quotes=quotes,
        )
        view.sources = sources
        fact_views[fact.id] = view
    sheets = []
    supporting: dict[str, list[tuple[FactView, list[CitationView]]]] = {}
    for sheet in content.sheets.values():
        facts = tuple(fact_views[f.id] for f in content.facts_of(sheet.id))
        keys = tuple(fact_views.get(k.fact) for k in sheet.key_figures)
        shown, contributions = steps.sheet_view(sheet, facts, keys, history)
        sheets.append(shown)
        for sid, pairs in contributions.items():  # facts in content order, sheet by sheet
            supporting.setdefault(sid, []).extend(pairs)
    source_views = []
    repeated_by: dict[str, list[Source]] = {}
    for source in sources.values():
        for parent in source.derived_from:
            repeated_by.setdefault(parent, []).append(source)
    for source in sources.values():
        roots = sorted(origins.roots.get(source.id, frozenset()))
        source_views.append(
            steps.source_view(
                source,
                tuple(supporting.get(source.id, [])),
                tuple(sources[s] for s in source.derived_from if s in sources),
                tuple(repeated_by.get(source.id, [])),
                tuple(sources[r] for r in roots if r != source.id and r in sources),
                tuple(quotes.furniture.get(source.id, [])),
                tuple(p.span for p in quotes.by_source.get(source.id, [])),
                quotes=quotes,
            )
        )
    return SiteView(content, sheets, source_views, origins, history)


def _sheet_view(
    sheet: Sheet, facts: list[FactView], key_views: tuple[FactView | None, ...], history: History
) -> SheetView:
    by_topic: dict[str, list[FactView]] = {}
    for f in facts:
        by_topic.setdefault(f.fact.topic, []).append(f)
    topics = [TopicView(t.id, t.title, t.intro, by_topic.get(t.id, [])) for t in sheet.topics]
    keys = [
        KeyFigureView(view, k.meaning)
        for k, view in zip(sheet.key_figures, key_views, strict=True)
        if view is not None
    ]
    cited_sources: dict[str, Source] = {}
    for f in facts:
        for c in f.citations:
            cited_sources.setdefault(c.source.id, c.source)
    return SheetView(sheet, topics, keys, facts, list(cited_sources.values()), history)


Supporting = dict[str, list[tuple[FactView, list[CitationView]]]]
"""Source id -> the facts citing it, each with its citations of that source."""


def _supporting(facts: tuple[FactView, ...]) -> Supporting:
    found: Supporting = {}
    for fv in facts:
        mine: dict[str, list[CitationView]] = {}
        for c in fv.citations:
            mine.setdefault(c.source.id, []).append(c)
        for sid, cites in mine.items():
            found.setdefault(sid, []).append((fv, cites))
    return found


def _fact_view(
    fact: Fact,
    sheet: Sheet | None,
    sources: dict[str, Source],
    origins: Origins,
    quotes: QuoteIndex,
    changed: str | None,
) -> FactView:
    citations = [
        CitationView(
            n,
            c,
            sources[c.source],
            quotes.spans.get((fact.id, n)),
            fact.id,
            fact.sheet,
            [sources[d] for d in sources[c.source].derived_from if d in sources],
            fact.value.amount if fact.value else None,
            fact.value.qualifier if fact.value else None,
        )
        for n, c in enumerate(fact.citations, start=1)
        if c.source in sources
    ]
    only = only_source(fact, sources)
    scope = None
    if sheet is not None and fact.scope is not None:
        scope = next((x for x in sheet.scopes if x.id == fact.scope), None)
    found = versions(fact, sources)
    return FactView(
        fact,
        citations,
        corroborate(fact, sources, origins),
        classify(fact.id, found),
        sources[only] if only else None,
        sources,
        scope,
        changed,
        found,
    )


def _passages(view: SourceView) -> list[tuple[int, int, list[CitationView]]]:
    """Cited passages of a source, merged where they overlap, in text order."""
    spans = sorted(
        ((c.span.start, c.span.end, c) for _, cs in view.facts for c in cs if c.span),
        key=lambda t: (t[0], t[1]),
    )
    merged: list[tuple[int, int, list[CitationView]]] = []
    for start, end, citation in spans:
        if merged and start < merged[-1][1]:
            s, e, cs = merged[-1]
            merged[-1] = (s, max(e, end), [*cs, citation])
        else:
            merged.append((start, end, [citation]))
    return merged


@dataclass
class Segment:
    """A run of archived text on a source page: plain, cited (highlighted) or furniture."""

    text: str
    kind: str
    citations: list[CitationView] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    """Anchors that start here (one per citation whose passage begins in this run)."""
    ends: list[CitationView] = field(default_factory=list)
    """Citations whose passage ends with this run (their links follow it)."""


def archive_segments(view: SourceView) -> list[Segment]:
    """The archived text as consecutive runs, each plain, cited or furniture.

    Joined, the runs are the text exactly, every character kept: line breaks, blank
    lines and the spaces at the edges of a cited passage are part of what was archived.
    """
    text = view.source.text or ""
    marks: list[tuple[int, int, str, list[CitationView]]] = [
        (s.start, s.end, "furniture", []) for s in view.furniture
    ]
    marks.extend((start, end, "cited", cs) for start, end, cs in view.passages)
    cuts = {0, len(text)}
    for start, end, _, _ in marks:
        cuts.update((start, end))
    segments: list[Segment] = []
    started: set[int] = set()
    for a, b in itertools.pairwise(sorted(cuts)):
        segment = Segment(text[a:b], "text")
        for index, (start, end, kind, cites) in enumerate(marks):
            if not (start <= a and b <= end):
                continue
            if kind == "cited":
                segment.kind, segment.citations = "cited", cites
                if index not in started:
                    started.add(index)
                    segment.anchors = [c.anchor for c in cites]
                if b == end:
                    segment.ends = cites
            elif segment.kind == "text":
                segment.kind = "furniture"
        segments.append(segment)
    return segments

"""Every quote must occur, exactly once or told apart, in its source's archived text.

See :mod:`generator.text.textmatch` for the normalisation.  When a quote is not
found the problem shows the closest passage of the source with a word diff,
and says so when the quote is in fact in another source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.content.model import Citation, Content, Fact, Source
from generator.problems import Loc, Problem
from generator.text.textmatch import ArchivedText, Span, normalize


@dataclass(frozen=True, slots=True)
class CitedPassage:
    fact: str
    number: int
    """1-based number of the citation within its fact."""
    span: Span


Found = tuple[tuple[str, int], int, int]
"""A quote found: (fact id, citation number), start and end in the normalised text."""

Resolved = tuple[dict[tuple[str, int], Span], list["CitedPassage"]]
"""A source's resolved spans, by (fact id, citation number), and its passages in order."""


@dataclass
class QuoteIndex:
    """Where each quote was found, for highlighting cited passages on source pages.

    Checking records positions in the normalised texts only; :meth:`resolve` maps
    them back to the archived texts (``spans``, ``by_source``, ``furniture``) when
    pages or coverage need them, so that ``check`` never pays for it.
    """

    texts: dict[str, ArchivedText] = field(default_factory=dict)
    found: dict[tuple[str, int], tuple[str, int, int]] = field(default_factory=dict)
    """(fact id, citation number) -> (source id, start, end) in the normalised text."""
    furniture_found: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    spans: dict[tuple[str, int], Span] = field(default_factory=dict)
    """(fact id, citation number) -> span in the source's archived text (after resolve)."""
    by_source: dict[str, list[CitedPassage]] = field(default_factory=dict)
    furniture: dict[str, list[Span]] = field(default_factory=dict)
    """Source id -> passages marked as page furniture (after resolve)."""
    resolved: bool = False
    each_source: Callable[[ArchivedText, tuple[Found, ...]], Resolved] | None = None
    """How one source's found positions become spans (by default :func:`resolve_source`)."""

    def resolve(self) -> QuoteIndex:
        """Map every found position back to its archived text (once)."""
        if self.resolved:
            return self
        found_in: dict[str, list[Found]] = {}
        for key, (sid, start, end) in self.found.items():
            found_in.setdefault(sid, []).append((key, start, end))
        each = self.each_source or resolve_source
        for sid, entries in found_in.items():
            spans, passages = each(self.texts[sid], tuple(entries))
            self.spans.update(spans)
            self.by_source[sid] = passages
        for sid, found in self.furniture_found.items():
            marked = [self.texts[sid].span(start, end) for start, end in found]
            self.furniture[sid] = sorted(marked, key=lambda s: s.start)
        self.resolved = True
        return self

    def count(self, source_id: str | None = None) -> int:
        """Quotes verified (of one source, or of all)."""
        if source_id is None:
            return len(self.found)
        return sum(1 for sid, _, _ in self.found.values() if sid == source_id)

    def text_of(self, source: Source) -> ArchivedText | None:
        if source.text is None:
            return None
        found = self.texts.get(source.id)
        if found is None:
            found = self.texts[source.id] = ArchivedText(source.text)
        return found


def resolve_source(text: ArchivedText, found: tuple[Found, ...]) -> Resolved:
    """The spans in ``text`` of the quotes found in it, and its cited passages in order."""
    spans = {key: text.span(start, end) for key, start, end in found}
    passages = sorted(
        (CitedPassage(fact, number, span) for (fact, number), span in spans.items()),
        key=lambda p: (p.span.start, p.fact, p.number),
    )
    return spans, passages


def archived_text(source: Source) -> ArchivedText | None:
    """The source's archived text, normalised for finding quotes (None: it has none)."""
    return ArchivedText(source.text) if source.text is not None else None


@dataclass(frozen=True)
class NotFound:
    """A quote that is not in its source: the problem names the source that has it, if
    any, so it is worded by :func:`check` (which sees every source)."""

    label: str
    loc: Loc
    citation: Citation
    source: Source
    archived: ArchivedText


FactQuotes = tuple[dict[int, tuple[str, int, int]], list["Problem | NotFound"]]
"""Where each of a fact's quotes was found (by citation number), and what is wrong."""


def check(
    content: Content,
    *,
    each_source_text: Callable[[Source], ArchivedText | None] | None = None,
    each_fact: Callable[..., FactQuotes] | None = None,
    each_source: Callable[[ArchivedText, tuple[Found, ...]], Resolved] | None = None,
) -> tuple[QuoteIndex, list[Problem]]:
    """Find every quote, with ``each_fact`` (by default :func:`check_fact`); the archived
    texts come from ``each_source_text`` (:func:`archived_text`), and ``each_source``
    resolves a source's spans later (:func:`resolve_source`)."""
    text_step = each_source_text or archived_text
    fact_step = each_fact or check_fact
    index = QuoteIndex(each_source=each_source)
    for source in content.sources.values():
        archived = text_step(source)
        if archived is not None:
            index.texts[source.id] = archived
    texts = index.texts
    problems: list[Problem] = []
    found = index.found
    for fact in content.facts.values():
        cited = tuple(content.sources.get(c.source) for c in fact.citations)
        positions, outcomes = fact_step(fact, cited, texts=texts)
        fact_id = fact.id
        for number, position in positions.items():
            found[(fact_id, number)] = position
        for outcome in outcomes:
            if isinstance(outcome, NotFound):
                outcome = _not_found(content, index, outcome)
            problems.append(outcome)
    for source in content.sources.values():
        archived = index.text_of(source)
        if archived is not None:
            problems.extend(_check_furniture(index, source, archived))
    return index, problems


def check_fact(
    fact: Fact, cited: tuple[Source | None, ...], *, texts: dict[str, ArchivedText]
) -> FactQuotes:
    """Find one fact's quotes: ``cited`` are its citations' sources (None: unknown, reported
    by the reference checks); ``texts`` the sources' archived texts, by id (a source with
    none is reported by the loader)."""
    positions: dict[int, tuple[str, int, int]] = {}
    outcomes: list[Problem | NotFound] = []
    for number, (citation, source) in enumerate(zip(fact.citations, cited, strict=True), start=1):
        archived = texts.get(source.id) if source is not None else None
        if source is None or archived is None:
            continue
        outcome = _check_citation(positions, fact, number, citation, source, archived)
        if outcome is not None:
            outcomes.append(outcome)
    return positions, outcomes


def _check_citation(
    positions: dict[int, tuple[str, int, int]],
    fact: Fact,
    number: int,
    citation: Citation,
    source: Source,
    archived: ArchivedText,
) -> Problem | NotFound | None:
    where = citation.where
    loc = where.of("quote") if where else Loc(source.path)
    fitting, total = archived.locate(citation.quote, citation.prefix, citation.suffix)
    label = f"fact '{fact.id}', citation {number}"
    if len(fitting) == 1:
        start = fitting[0]
        positions[number] = (source.id, start, start + len(normalize(citation.quote)))
        return None
    if total == 0:
        return NotFound(label, loc, citation, source, archived)
    lines = sorted(
        {
            archived.span(s, s + 1).line
            for s in (fitting or archived.find_all(normalize(citation.quote)))
        }
    )
    where_lines = ", ".join(str(n) for n in lines)
    if not fitting:
        ctx_loc = where.of("prefix" if citation.prefix else "suffix") if where else loc
        return Problem(
            ctx_loc,
            f"{label}: the quote occurs in '{source.text_path}' (lines {where_lines}) but never "
            "with this prefix/suffix; copy the text just before or after the quote exactly",
        )
    return Problem(
        loc,
        f"{label}: the quote occurs {len(fitting)} times in '{source.text_path}' (lines "
        f"{where_lines}); add 'prefix' (the words just before it) or 'suffix' (the words just "
        "after) so that it points at one passage",
    )


def closest_passage(archived: ArchivedText, text: str, source: Source, yours: str) -> list[str]:
    """The detail lines of a passage not found: the closest passage of the archived text,
    where it is, and a word diff against what the editor wrote (none if nothing is close)."""
    closest = archived.closest(text)
    if closest is None:
        return []
    return [
        f"closest passage in {source.text_path}:{closest.line}:",
        f"  {closest.passage}",
        f"word diff, [-{yours}-] {{+the source+}}:",
        f"  {closest.diff}",
    ]


def _not_found(content: Content, index: QuoteIndex, missing: NotFound) -> Problem:
    label, loc, citation, source = missing.label, missing.loc, missing.citation, missing.source
    archived = missing.archived
    detail = closest_passage(archived, citation.quote, source, "your quote")
    quote_norm = normalize(citation.quote)
    elsewhere = []
    for other in content.sources.values():
        if other.id == source.id:
            continue
        other_text = index.text_of(other)
        if other_text is not None and other_text.find_all(quote_norm):
            elsewhere.append(other.id)
    message = f"{label}: quote not found in source '{source.id}' ({source.text_path})"
    if elsewhere:
        message += f"; it is in source '{elsewhere[0]}': cite that source, or quote this one"
    else:
        message += "; copy the passage word for word from the archived text"
    return Problem(loc, message, tuple(detail))


def _check_furniture(index: QuoteIndex, source: Source, archived: ArchivedText) -> list[Problem]:
    problems: list[Problem] = []
    found: list[tuple[int, int]] = []
    for item in source.archive.furniture:
        where = item.where
        starts, _ = archived.locate(item.start)
        if len(starts) != 1:
            what = "not found" if not starts else f"found {len(starts)} times"
            problems.append(
                Problem(
                    where.of("start") if where else Loc(source.path),
                    f"furniture start passage {what} in '{source.text_path}'; quote it "
                    "exactly, and long enough to occur once",
                )
            )
            continue
        begin = starts[0]
        finish = begin + len(normalize(item.start))
        if item.end is not None:
            ends = [e for e in archived.find_all(normalize(item.end)) if e >= begin]
            if not ends:
                problems.append(
                    Problem(
                        where.of("end") if where else Loc(source.path),
                        f"furniture end passage not found after its start in '{source.text_path}'",
                    )
                )
                continue
            finish = ends[0] + len(normalize(item.end))
        found.append((begin, finish))
        passage = archived.norm[begin:finish]
        for name in item.byline:
            needle = normalize(name.family if name.family is not None else name.family_name)
            if needle not in passage:
                key = "family" if name.is_person else "organisation"
                problems.append(
                    Problem(
                        name.where.of(key) if name.where else Loc(source.path),
                        f"byline name '{needle}' does not occur in this furniture passage "
                        f"('{source.text_path}', line {archived.span(begin, finish).line}); "
                        "a byline records only a name the passage itself shows",
                    )
                )
    index.furniture_found[source.id] = found
    return problems

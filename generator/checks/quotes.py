"""Every quote must occur, exactly once or told apart, in its source's archived text.

See :mod:`generator.text.textmatch` for the normalisation.  When a quote is not
found the problem shows the closest passage of the source with a word diff,
and says so when the quote is in fact in another source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.content.model import Citation, Content, Fact, Source
from generator.problems import Loc, Problem
from generator.speed.sameness import same_objects
from generator.text.textmatch import ArchivedText, Span, normalize


@dataclass(frozen=True, slots=True)
class CitedPassage:
    fact: str
    number: int
    """1-based number of the citation within its fact."""
    span: Span


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
    memo: QuoteMemo | None = None

    def resolve(self) -> QuoteIndex:
        """Map every found position back to its archived text (once).

        With a memo (``serve``), a source whose text and found positions are those of the
        last run gets the spans and passages of the last run.
        """
        if self.resolved:
            return self
        found_in: dict[str, list[tuple[tuple[str, int], int, int]]] = {}
        for key, (sid, start, end) in self.found.items():
            found_in.setdefault(sid, []).append((key, start, end))
        kept: dict[str, tuple[ArchivedText, list[tuple[tuple[str, int], int, int]], Resolved]] = {}
        last = self.memo.resolved if self.memo is not None else {}
        for sid, entries in found_in.items():
            text = self.texts[sid]
            hit = last.get(sid)
            if hit is not None and hit[0] is text and hit[1] == entries:
                spans, passages = hit[2]
            else:
                spans = {key: text.span(start, end) for key, start, end in entries}
                passages = sorted(
                    (CitedPassage(fact, number, span) for (fact, number), span in spans.items()),
                    key=lambda p: (p.span.start, p.fact, p.number),
                )
            self.spans.update(spans)
            self.by_source[sid] = passages
            kept[sid] = (text, entries, (spans, passages))
        if self.memo is not None:
            self.memo.resolved = kept
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


@dataclass
class QuoteMemo:
    """Results kept between runs (``serve``) for facts and sources that did not change."""

    texts: dict[int, tuple[Source, ArchivedText]] = field(default_factory=dict)
    facts: dict[int, tuple[Fact, tuple[Source | None, ...], dict[int, tuple[str, int, int]]]] = (
        field(default_factory=dict)
    )
    sources: tuple[Source, ...] = ()
    """The sources of the last run: while they are the same objects, so are a fact's."""
    resolved: dict[str, tuple[ArchivedText, list[tuple[tuple[str, int], int, int]], Resolved]] = (
        field(default_factory=dict)
    )
    """Source id -> its text, the positions found in it and their spans and passages."""


def check(content: Content, memo: QuoteMemo | None = None) -> tuple[QuoteIndex, list[Problem]]:
    index = QuoteIndex(memo=memo)
    if memo is not None:
        for known in content.sources.values():
            kept = memo.texts.get(id(known))
            if kept is not None and kept[0] is known:
                index.texts[known.id] = kept[1]
    problems: list[Problem] = []
    all_sources = tuple(content.sources.values())
    same_sources = memo is not None and same_objects(memo.sources, all_sources)
    found = index.found
    for fact in content.facts.values():
        if memo is not None:
            hit = memo.facts.get(id(fact))
            if hit is not None and hit[0] is fact:
                if same_sources:
                    cited = hit[1]
                else:
                    cited = tuple(content.sources.get(c.source) for c in fact.citations)
                if same_sources or same_objects(hit[1], cited):
                    fact_id = fact.id
                    for number, position in hit[2].items():
                        found[(fact_id, number)] = position
                    continue
        cited = tuple(content.sources.get(c.source) for c in fact.citations)
        before = len(problems)
        for number, citation in enumerate(fact.citations, start=1):
            source = content.sources.get(citation.source)
            if source is None:
                continue  # reported by the reference checks
            archived = index.text_of(source)
            if archived is None:
                continue  # reported by the loader
            problem = _check_citation(content, index, fact, number, citation, source, archived)
            if problem is not None:
                problems.append(problem)
        if memo is not None and len(problems) == before:  # only clean results are kept
            positions = {
                n: index.found[(fact.id, n)]
                for n in range(1, len(fact.citations) + 1)
                if (fact.id, n) in index.found
            }
            memo.facts[id(fact)] = (fact, cited, positions)
    if memo is not None:  # keep only what this content still uses
        memo.texts = {
            id(s): (s, index.texts[s.id]) for s in content.sources.values() if s.id in index.texts
        }
        live = {id(f) for f in content.facts.values()}
        memo.facts = {k: v for k, v in memo.facts.items() if k in live}
        memo.sources = all_sources
    for source in content.sources.values():
        archived = index.text_of(source)
        if archived is not None:
            problems.extend(_check_furniture(index, source, archived))
    return index, problems


def _check_citation(
    content: Content,
    index: QuoteIndex,
    fact: Fact,
    number: int,
    citation: Citation,
    source: Source,
    archived: ArchivedText,
) -> Problem | None:
    where = citation.where
    loc = where.of("quote") if where else Loc(source.path)
    fitting, total = archived.locate(citation.quote, citation.prefix, citation.suffix)
    label = f"fact '{fact.id}', citation {number}"
    if len(fitting) == 1:
        start = fitting[0]
        index.found[(fact.id, number)] = (source.id, start, start + len(normalize(citation.quote)))
        return None
    if total == 0:
        return _not_found(content, index, label, loc, citation, source, archived)
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


def _not_found(
    content: Content,
    index: QuoteIndex,
    label: str,
    loc: Loc,
    citation: Citation,
    source: Source,
    archived: ArchivedText,
) -> Problem:
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

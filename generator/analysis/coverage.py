"""Coverage: which sentences of a source state a number or a date that no fact cites yet.

A sentence is a run of text between sentence ends (. ! ? … followed by a space
and a capital or an opening quote) or line breaks.  It counts when it states a
number, a vague amount or a date (see :mod:`generator.text.numbers`) and lies outside
the page furniture the editor marked in the source's YAML; it is *cited* when
any cited passage overlaps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.checks.quotes import QuoteIndex
from generator.content.model import Source
from generator.text.numbers import stated_in
from generator.text.textmatch import ArchivedText

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    line: int
    col: int
    text: str
    states: tuple[str, ...]
    """The numbers and dates it states, as written."""
    cited: bool


@dataclass(slots=True)
class Coverage:
    source: str
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def cited(self) -> int:
        return sum(1 for s in self.sentences if s.cited)

    @property
    def uncited(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.cited]

    @property
    def percent(self) -> int:
        """Whole percent, rounded down (100 only when every sentence is cited)."""
        return 100 if self.total == 0 else (100 * self.cited) // self.total


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, stripped of surrounding whitespace."""
    out = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        out.append((pos, match.start()))
        pos = match.end()
    out.append((pos, len(text)))
    result = []
    for start, end in out:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            result.append((start + lead, start + trail))
    return result


def source_coverage(source: Source, quotes: QuoteIndex) -> Coverage:
    coverage = Coverage(source.id)
    if source.text is None:
        return coverage
    text = source.text
    archived = quotes.texts.get(source.id) or ArchivedText(text)
    quotes.resolve()
    furniture = quotes.furniture.get(source.id, [])
    cited = [p.span for p in quotes.by_source.get(source.id, [])]
    for start, end in sentences(text):
        if any(f.start <= start and end <= f.end for f in furniture):
            continue
        piece = text[start:end]
        numbers, vague, dates = stated_in(piece)
        stated = [n.text for n in numbers]
        stated += [v.text for v in vague]
        stated += [d.text for d in dates]
        if not stated:
            continue
        is_cited = any(s.start < end and start < s.end for s in cited)
        line = archived.line_of(start)
        line_start = text.rfind("\n", 0, start) + 1
        coverage.sentences.append(
            Sentence(
                start,
                end,
                line,
                start - line_start + 1,
                " ".join(piece.split()),
                tuple(stated),
                is_cited,
            )
        )
    return coverage

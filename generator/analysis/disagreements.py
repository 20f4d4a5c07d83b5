"""Where sources differ: found from the citations, never declared by hand.

Each cited source has a *version* of a fact: the fact's own number,
qualifier, speaker, names and date, overridden by whatever that source's
citations record under ``states``.  Where versions differ, each difference
has a *kind*:

``number``
    the amount or the upper end of a range differs;
``qualifier``
    the same number, qualified differently ("nearly 13,000" / "approximately 13,000");
``speaker``
    who made the statement differs, including one source naming a speaker and
    another not saying who it was;
``names``
    the names the fact reports differ;
``date``
    the date differs.

A difference is a *conflict* when the sources cannot both be right: another
number, other names, another date, or two different named speakers.  A fact
with a conflict is *disputed* ("Sources differ on the number").  A qualifier
worded differently, or a speaker one source names and another leaves unsaid,
is a difference but not a dispute: readers are told the sources word it
differently, never that they conflict.

A figure that only one source reports is listed too, so that an omission is
stated rather than left for the reader to guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.content.fields import PartialDate
from generator.content.model import Fact, Source
from generator.text.numbers import find_numbers

KINDS = ("number", "qualifier", "speaker", "names", "date")
"""Every kind of difference, in the order they are listed."""

KIND_WORDS = {
    "number": "the number",
    "qualifier": "the qualifier",
    "speaker": "who said it",
    "names": "the names",
    "date": "the date",
}
"""Each kind in plain words, as in 'Sources differ on the number'."""


@dataclass(frozen=True, slots=True)
class Version:
    source: str
    citations: tuple[int, ...]
    amount: Decimal | None
    upper: Decimal | None
    qualifier: str | None
    as_written: str | None
    """The number as the quote writes it ("approximately 13,000"), when found."""
    attributed_to: str | None
    names: tuple[str, ...] | None
    speaker_unstated: bool = False
    """This source does not say who made the statement."""
    date: PartialDate | None = None

    @property
    def speaker_key(self) -> str | None:
        """The speaker compared across versions: the folded name, or None if none is named."""
        return _norm(self.attributed_to)


@dataclass(frozen=True, slots=True)
class Differences:
    fact: str
    kinds: tuple[str, ...]
    """Every kind on which the versions differ, in :data:`KINDS` order."""
    conflicts: tuple[str, ...]
    """The kinds on which they conflict (a subset of ``kinds``)."""
    versions: tuple[Version, ...]

    @property
    def disputed(self) -> bool:
        return bool(self.conflicts)

    @property
    def worded(self) -> tuple[str, ...]:
        """The kinds that differ without conflicting (a qualifier, an unnamed speaker)."""
        return tuple(k for k in self.kinds if k not in self.conflicts)


def versions(fact: Fact, sources: Mapping[str, Source]) -> list[Version]:
    """One version per cited source, in citation order."""
    out: list[Version] = []
    by_source: dict[str, list[int]] = {}
    for number, citation in enumerate(fact.citations, start=1):
        if citation.source in sources:
            by_source.setdefault(citation.source, []).append(number)
    value = fact.value
    for sid, numbers in by_source.items():
        amount = value.amount if value else None
        upper = value.upper if value else None
        qualifier = value.qualifier if value else None
        attributed = fact.attributed_to
        unstated = fact.speaker_unstated
        names = tuple(fact.names) if fact.names else None
        date = fact.date
        as_written = None
        for number in numbers:
            states = fact.citations[number - 1].states
            if states is None:
                continue
            if states.amount is not None:
                amount = states.amount
            if states.upper is not None:
                upper = states.upper
            if states.qualifier is not None:
                qualifier = states.qualifier
            if states.attributed_to is not None:
                attributed, unstated = states.attributed_to, False
            elif states.speaker_unstated:
                attributed, unstated = None, True
            if states.names is not None:
                names = tuple(states.names)
            if states.date is not None:
                date = states.date
        if amount is not None:
            for number in numbers:
                found = [
                    n for n in find_numbers(fact.citations[number - 1].quote) if n.value == amount
                ]
                if found:
                    as_written = found[0].text
                    break
        out.append(
            Version(
                sid,
                tuple(numbers),
                amount,
                upper,
                qualifier,
                as_written,
                attributed,
                names,
                unstated,
                date,
            )
        )
    return out


def _norm(text: str | None) -> str | None:
    return " ".join(text.split()).casefold() if text else None


def classify(fact_id: str, found: list[Version]) -> Differences | None:
    """The kinds on which these versions differ, and on which they conflict (None if alike)."""
    if len(found) < 2:
        return None
    kinds: list[str] = []
    conflicts: list[str] = []
    numbers = {(v.amount, v.upper) for v in found}
    if len(numbers) > 1:
        kinds.append("number")
        conflicts.append("number")
    same_number: dict[tuple[Decimal | None, Decimal | None], set[str | None]] = {}
    for v in found:
        same_number.setdefault((v.amount, v.upper), set()).add(v.qualifier)
    if any(len(qualifiers) > 1 for qualifiers in same_number.values()):
        kinds.append("qualifier")
    speakers = {v.speaker_key for v in found}
    if len(speakers) > 1:
        kinds.append("speaker")
        if len(speakers - {None}) > 1:
            conflicts.append("speaker")
    if len({v.names for v in found}) > 1:
        kinds.append("names")
        conflicts.append("names")
    if len({v.date for v in found}) > 1:
        kinds.append("date")
        conflicts.append("date")
    if not kinds:
        return None
    return Differences(fact_id, tuple(kinds), tuple(conflicts), tuple(found))


def find_differences(fact: Fact, sources: Mapping[str, Source]) -> Differences | None:
    return classify(fact.id, versions(fact, sources))


def only_source(fact: Fact, sources: Mapping[str, Source]) -> str | None:
    """The one source a figure comes from, when it has a number and a single cited source."""
    if fact.value is None:
        return None
    cited = {c.source for c in fact.citations if c.source in sources}
    return next(iter(cited)) if len(cited) == 1 else None

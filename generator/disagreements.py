"""Where sources differ: found from the citations, never declared by hand.

Each cited source has a *version* of a fact: the fact's own number,
qualifier, attribution and names, overridden by whatever that source's
citations record under ``states``.  A fact whose versions differ in any of
these is disputed.  A figure that only one source reports is listed too, so
that an omission is stated rather than left for the reader to guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .model import Fact, Source
from .numbers import find_numbers

FIELD_LABELS = {
    "figure": "figure",
    "attribution": "attribution",
    "names": "names",
}


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


@dataclass(frozen=True, slots=True)
class Dispute:
    fact: str
    fields: tuple[str, ...]
    """Which of 'figure', 'attribution', 'names' differ."""
    versions: tuple[Version, ...]


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
        names = tuple(fact.names) if fact.names else None
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
                attributed = states.attributed_to
            if states.names is not None:
                names = tuple(states.names)
        if amount is not None:
            for number in numbers:
                found = [
                    n for n in find_numbers(fact.citations[number - 1].quote) if n.value == amount
                ]
                if found:
                    as_written = found[0].text
                    break
        out.append(
            Version(sid, tuple(numbers), amount, upper, qualifier, as_written, attributed, names)
        )
    return out


def _norm(text: str | None) -> str | None:
    return " ".join(text.split()).casefold() if text else None


def find_dispute(fact: Fact, sources: Mapping[str, Source]) -> Dispute | None:
    found = versions(fact, sources)
    if len(found) < 2:
        return None
    fields = []
    if len({(v.amount, v.upper, v.qualifier) for v in found}) > 1:
        fields.append("figure")
    if len({_norm(v.attributed_to) for v in found}) > 1:
        fields.append("attribution")
    if len({v.names for v in found}) > 1:
        fields.append("names")
    if not fields:
        return None
    return Dispute(fact.id, tuple(fields), tuple(found))


def only_source(fact: Fact, sources: Mapping[str, Source]) -> str | None:
    """The one source a figure comes from, when it has a number and a single cited source."""
    if fact.value is None:
        return None
    cited = {c.source for c in fact.citations if c.source in sources}
    return next(iter(cited)) if len(cited) == 1 else None

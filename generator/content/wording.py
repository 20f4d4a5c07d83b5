"""Numbers and dates in the words readers expect: "nearly 13,000", "1.4 million", "26 May 2023".

A qualifier is never dropped: every figure shown anywhere on the site goes
through :func:`figure`, which always writes it.
"""

from __future__ import annotations

from decimal import Decimal

from generator.content.fields import PartialDate
from generator.content.model import Quantity
from generator.text.vocabulary import MONTHS, QUALIFIER_WORDS

_SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)


def number(amount: Decimal) -> str:
    """1400000 -> '1.4 million'; 67000 -> '67,000'; 2.5 -> '2.5'."""
    for scale, word in _SCALES:
        if abs(amount) >= scale:
            scaled = amount / scale
            # only when the scaled form is exact with at most two decimals
            if scaled == scaled.quantize(Decimal("0.01")):
                text = f"{scaled.normalize():f}"
                return f"{text} {word}"
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount.normalize():,f}"


def digits(amount: Decimal) -> str:
    """Always in digits with separators: '1,400,000'."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount.normalize():,f}"


def amount_words(
    amount: Decimal | None,
    qualifier: str | None,
    upper: Decimal | None = None,
    words: str | None = None,
) -> str:
    """The number with its qualifier in words, without the unit."""
    if qualifier == "vague":
        return words or ""
    if amount is None:
        return ""
    if qualifier == "range" and upper is not None:
        return f"between {number(amount)} and {number(upper)}"
    lead = QUALIFIER_WORDS.get(qualifier or "exact", "")
    return f"{lead} {number(amount)}".strip()


def figure(value: Quantity, *, unit: bool = True) -> str:
    """'nearly 13,000 accounts', 'hundreds of thousands of posts', '1.4 million posts'."""
    text = amount_words(value.amount, value.qualifier, value.upper, value.words)
    if unit and value.unit:
        joiner = " of " if value.qualifier == "vague" else " "
        text = f"{text}{joiner}{value.unit}"
    return text


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def bounds(value: Quantity) -> tuple[Decimal | None, Decimal | None]:
    """What the qualifier says about where the true value lies: (lowest, highest), open = None."""
    q, a = value.qualifier, value.amount
    if q == "vague":
        return value.min, value.max
    if a is None:
        return None, None
    if q == "exact":
        return a, a
    if q in ("more-than", "at-least"):
        return a, None
    if q in ("fewer-than", "up-to", "nearly"):
        return None, a
    if q == "range":
        return a, value.upper
    return None, None  # about: no bound either way


def date(value: PartialDate) -> str:
    """'26 May 2023', 'May 2023', '2023'."""
    if value.month is None:
        return str(value.year)
    month = MONTHS[value.month - 1]
    if value.day is None:
        return f"{month} {value.year}"
    return f"{value.day} {month} {value.year}"


def iso_date(text: str) -> str:
    """'2023-05-28' -> '28 May 2023'."""
    parts = [int(p) for p in text.split("-")]
    return date(PartialDate(*parts))


def date_range(start: PartialDate, end: PartialDate | None) -> str:
    if end is None:
        return f"since {date(start)}"
    if start.year == end.year and start.day and end.day:
        if start.month == end.month:
            return f"{start.day}–{date(end)}"
        return f"{start.day} {MONTHS[(start.month or 1) - 1]} – {date(end)}"
    return f"{date(start)} – {date(end)}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"

"""Numbers, vague amounts and dates as stated in English news text.

Used to verify that a quoted passage states the figure a fact claims, so every rule
below errs towards *not* reading a number rather than reading a wrong one.  Values are
:class:`~decimal.Decimal` and compared exactly: "8,000" is 8000 and never 9000.

Numbers (:func:`find_numbers`)
    * Digits: plain integers ("8000"), thousands separators in groups of three
      ("67,000", "1,400,000"; also no-break or thin spaces, but not plain spaces:
      "67 000" reads as 67), decimals ("1.4").  Signs are not read: "-5" is 5, and
      "100+" is an exact 100.  Not read: ".5", runs with a leading zero ("000", "007"),
      runs of more than 24 digits.
    * Scale words and news abbreviations multiply: thousand, million, billion, trillion
      (any case, optionally attached: "1.4million"); "mln", "mn", "bn", "tn", "trn"
      (attached or after one space: "1.4 mln", "3 bn", "2bn"); attached "k", "m", "M"
      ("5k", "1.4m" = 1,400,000, never metres).  Attached "K", "b", "B" and "T" count
      only after a currency symbol ("$5K", "$2B"), so "4K" (a screen) is not 4,000.
    * A currency prefix ("$", "£", "€", "¥", "₹", "US$", "HK$") is part of ``text`` but
      not of the value: "$2.5bn" is 2,500,000,000.
    * Percentages ("40%", "40 percent", "40 per cent", "40 pct", "forty percent") have
      ``unit="percent"``; every other number has ``unit=None``.
    * Number words: zero..nineteen, twenty..ninety, hundred/thousand/million/billion/
      trillion compounds ("two hundred and fifty", "twenty-five thousand",
      "fifteen hundred"), "a hundred"/"a million", "half a million" (500,000),
      "a dozen"/"two dozen"/"half a dozen", "one and a half million", and spoken
      decimals ("one point four million" = 1,400,000).  A bare scale word
      ("thousand" in "several thousand") is never a number.  "one" is not read in
      "no one" and "one another".
    * Hyphenated adjectival forms are the number, and ``text`` keeps the first hyphenated
      word: "two-month" and "10-year" are 2 and 10 ("10-year" as text).  Ordinals and
      fractions are not numbers: "1st", "twenty-first", "two-thirds".
    * Digits glued to letters are not numbers: "A34", "5G", "mp3", "10km", "3pm",
      "1990s", "COVID-19".  Nor are digits inside larger numeric tokens: times
      ("10:30", "3 p.m.", "3 pm"), versions ("1.2.3"), fractions and slashed dates
      ("1/2"), malformed separators ("1,4").
    * Labels are not numbers: a plain integer (no separator, decimal, scale, unit or
      currency) right after a capitalised, mixed-case word that does not begin a
      sentence ("Nothing Phone 1", "iQoo Neo 7", "the Gadgets 360 podcast",
      "Boeing 737"), or after "No." / "#".  All-caps words ("US 10-year") and month
      and weekday names are not treated as labels.  (Known cost: figures in Title Case
      headlines such as "Police Arrest 12 People" are missed.)
    * Years: a plain 4-digit integer from 1900 to 2099 is a year (a date, returned by
      :func:`find_dates`, never by :func:`find_numbers`) unless it is clearly a count:
      it is preceded by a qualifier ("more than 2000"), or it is followed by a
      lower-case plural-looking noun ("2021 accounts", "2000 people"; not "was",
      "has", "is", ...) *and* neither begins a sentence (news style spells such counts
      out) nor follows a date or determiner word ("in", "since", "the", "its", "of",
      "mid", ...).  So "since 2021", "in 2023", "© Thomson Reuters 2023",
      "the 2022 elections", "2021 was hard" are years; "closed 2021 accounts" is a
      count.  With a
      separator ("2,021"), decimal, scale, unit or currency it is always a count.
      Years outside 1900-2099 are read as numbers unless part of a composite date.
    * Day numbers and years inside dates ("March 10", "10 March", "March 10-12",
      "May 2023", "2023-05-28") belong to the date and are not numbers; so do those of
      impossible dates ("February 30").
    * Vague amounts ("hundreds of thousands", "billions", "dozens", "several
      thousand") are never numbers; see :func:`find_vague_amounts`.

Qualifiers
    The qualifier words immediately before a number (only spaces between them, no line
    break; a currency symbol belongs to the number: "about $5m"),
    matched case-insensitively against :data:`QUALIFIER_FAMILIES`, longest phrase
    first ("no more than" is up-to, not more-than; "just under" is nearly, not
    fewer-than).  Anything else ("Another 45,000", "Of the 67,000", "Furthermore,
    25,000") leaves the number ``"exact"`` with ``qualifier_text=""``.  "exactly" and
    "precisely" are qualifier text of the ``"exact"`` family.

Ranges
    "between 10 and 20", "10 to 20", "10-20", "10–20" give one number with
    ``value`` = lower and ``upper`` = upper, only when upper > lower (so a score "3-2"
    is two numbers).  "from 10 to 20" is a change, not a range: two numbers.  Dash
    ranges need digits on both sides.  A scale or percent on the upper bound carries
    to a lower bound written without its own ("10 to 20 million" is 10,000,000 to
    20,000,000; "10-20%" is percent), but only if the lower bound has no thousands
    separator and is below the upper bound's stated figure ("500 to 2 million" stays
    500 to 2,000,000).

Dates (:func:`find_dates`)
    ISO dates ("2023-05-28"), month + day ("March 10", "Mar. 10th", "March 10, 2023"),
    day + month ("10 March", "10th of March 2023"), day ranges ("March 10-12",
    "10-12 March": ``day`` is the first day), month + year ("May 2023"),
    seasons ("2022-23"), weekday names ("Friday"; a weekday directly before a
    month/day date joins it: "Friday, March 10"), and years as described above.
    Month and weekday names must be capitalised (or all capitals), so "may" and
    "march" as verbs are not dates; a month alone ("in May") is not a date.  ``text``
    is the date expression itself, without prepositions ("Friday" in "on Friday",
    "2023" in "© Thomson Reuters 2023").  Impossible dates ("February 30") are
    rejected.

All regular expressions are compiled at import; scanning is linear in the text, and the
last few hundred texts scanned are cached.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from generator.text.vocabulary import MONTHS

__all__ = [
    "QUALIFIER_FAMILIES",
    "StatedDate",
    "StatedNumber",
    "VagueAmount",
    "adjective_of",
    "find_dates",
    "find_numbers",
    "find_vague_amounts",
    "might_state",
    "qualifier_family",
    "stated_in",
    "states_number",
]

#: Canonical qualifier family -> the lower-case words/phrases that express it.
QUALIFIER_FAMILIES: dict[str, tuple[str, ...]] = {
    "exact": ("exactly", "precisely"),
    "about": (
        "about",
        "around",
        "approximately",
        "roughly",
        "some",
        "an estimated",
        "estimated",
        "circa",
        "ca.",
        "an approximate",
    ),
    "nearly": ("nearly", "almost", "close to", "just under", "just shy of", "just below"),
    "more-than": (
        "more than",
        "over",
        "above",
        "upwards of",
        "in excess of",
        "exceeding",
        "just over",
        "just above",
        "well over",
        "well above",
        "greater than",
    ),
    "at-least": (
        "at least",
        "no fewer than",
        "no less than",
        "not fewer than",
        "not less than",
        "a minimum of",
    ),
    "up-to": (
        "up to",
        "as many as",
        "as much as",
        "a maximum of",
        "no more than",
        "not more than",
        "at most",
    ),
    "fewer-than": ("fewer than", "less than", "under", "below", "well under", "well below"),
}


@dataclass(frozen=True, slots=True)
class StatedNumber:
    """A number stated in text.

    ``value`` is scaled ("1.4 million" -> 1400000); for a range it is the lower bound
    and ``upper`` the upper bound.  ``text`` is the whole span as written, qualifier
    (and "between") included; ``start``/``end`` are its offsets in the input.
    ``unit`` is ``"percent"`` for percentages, else ``None``.
    """

    value: Decimal
    qualifier: str
    qualifier_text: str
    text: str
    start: int
    end: int
    upper: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class VagueAmount:
    """An amount stated without a figure ("hundreds of thousands", "billions")."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A concrete date expression; the fields not stated are ``None``."""

    text: str
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    weekday: str | None


# --------------------------------------------------------------------------- vocabulary

_UNITS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS: dict[str, int] = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_SCALES: dict[str, int] = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_ABBREVIATIONS: dict[str, int] = {
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
_NEEDS_CURRENCY = frozenset({"K", "b", "B", "T"})
_ORDINALS_AND_FRACTIONS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "thirds",
        "quarter",
        "quarters",
        "fourths",
        "fifths",
        "sixths",
        "sevenths",
        "eighths",
        "ninths",
        "tenths",
        "half",
        "halves",
    ]
)
_MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
_MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(MONTHS, 1)} | {
    a.lower(): MONTHS.index(next(n for n in MONTHS if n.startswith(a[:3]))) + 1
    for a in _MONTH_ABBREVIATIONS
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_QUALIFIER_LOOKUP: dict[str, str] = {
    phrase: family for family, phrases in QUALIFIER_FAMILIES.items() for phrase in phrases
}

# ------------------------------------------------------------------------------ regexes

_SP = r"[\x20\t\u00a0\u202f]"  # horizontal space: never joins across lines
_SCALE_HEADS = frozenset({"hundred", *_SCALES, "dozen"})


def _trie(words: Sequence[str]) -> str:
    """Regex alternation of ``words`` factored by shared prefixes; a space matches any run
    of horizontal space.

    ``re`` tries the branches of an alternation one by one at every position; a factored
    alternation fails after one or two character tests.
    """
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [
            (f"{_SP}+" if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(tree)


_NUMW = _trie([*_UNITS, *_TENS, *_SCALE_HEADS])


def _cased(names: Sequence[str]) -> str:
    """Alternation of names in Title Case and UPPER CASE, longest first."""
    forms = {f for n in names for f in (n.title(), n.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_MONTH_FULL = _cased(MONTHS)
_MONTH_ABBR = _cased(_MONTH_ABBREVIATIONS)
_MONTH = rf"(?:(?:{_MONTH_FULL})\b|(?:{_MONTH_ABBR})\b\.?)"
_WEEKDAY = _cased(_WEEKDAYS)
_NUM_END = r"(?![\w\u00b2\u00b3]|[.,:/]\d)"  # a numeric token ends here
_YEAR = rf"[12][0-9]{{3}}{_NUM_END}"

# Scans run case-sensitively: word patterns see a lower-cased copy of the text (same
# offsets), date patterns the original (month and weekday names must be capitalised).
# Case-insensitive alternations are an order of magnitude slower in ``re``.
_DIGITS_RE = re.compile(
    rf"""
    (?P<num>[0-9]  # a leading character class lets ``re`` skip ahead quickly
        (?:[0-9]{{0,2}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?
          |[0-9]{{0,2}}(?:[\u00a0\u202f][0-9]{{3}})+(?![0-9])
          |[0-9]*(?:\.[0-9]+)?))
    (?:
        {_SP}?(?P<scw>(?i:thousand|million|billion|trillion|mln|mn|bn|tn|trn))(?!\w)
      | (?P<abbr>[kKmMbBT])(?!\w)
    )?
    (?P<pct>{_SP}?%|{_SP}?(?i:per{_SP}?cent|pct)\b)?
    """,
    re.VERBOSE,
)
_WORDS_RE = re.compile(  # lower-cased text; "a"/"half a" before is added after
    rf"""
    {_NUMW}\b  # no leading \b: a word glued to letters before is dropped after
    (?:
        (?:{_SP}+|-)
        (?:and{_SP}+a{_SP}+half\b|(?:(?:and|point){_SP}+)?{_NUMW}\b)
    )*
    """,
    re.VERBOSE,
)
_ARTICLE_BEFORE_RE = re.compile(rf"\b(?:half(?:{_SP}+|-))?a{_SP}+\Z")  # lower-cased text
_CURRENCY_NEAR = frozenset("$£€¥₹")
_CURRENCY_BEFORE_RE = re.compile(rf"(?<![\w$£€¥₹])(?:[A-Z]{{1,3}})?[$£€¥₹]{_SP}?\Z")
_WORD_TOKEN_RE = re.compile(r"[a-z]+")
_PERCENT_AFTER_RE = re.compile(rf"{_SP}?(?:%|per{_SP}?cent\b|pct\b)")  # lower-cased text
_ADJECTIVAL_RE = re.compile(r"-([A-Za-z]+)")
_TIME_AFTER_RE = re.compile(rf"{_SP}?(?:[ap]\.m\.|[ap]m\b)")  # lower-cased text
_HYPHEN_PREFIX_RE = re.compile(r"([a-z]+)-\Z")  # lower-cased text

_QUALIFIER_RE = re.compile(  # lower-cased text; the leftmost (longest) phrase wins
    rf"(?<![\w.])(?P<q>{_trie(list(_QUALIFIER_LOOKUP))}){_SP}+\Z"
)
# Context patterns below run on the lower-cased text.
_BETWEEN_RE = re.compile(rf"\bbetween{_SP}+\Z")
_FROM_RE = re.compile(rf"\bfrom{_SP}+\Z")
_NO_ONE_RE = re.compile(rf"\bno{_SP}+\Z")
_ONE_ANOTHER_RE = re.compile(rf"{_SP}+another\b")
_AND_GAP_RE = re.compile(rf"{_SP}+and{_SP}+")
_TO_GAP_RE = re.compile(rf"{_SP}+to{_SP}+")
_DASH_GAP_RE = re.compile(rf"{_SP}?[-–—]{_SP}?")
_YEAR_CONTEXT_RE = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|during|before|after|through|throughout|of|to|"
    r"between|and|early|mid|late|fiscal|year|end|the|a|an|its|his|her|their|our|your|this|"
    rf"that|these|those|whose){_SP}+|['’]s{_SP}+|©{_SP}*)\Z"
)
# These run on the original text.
_COUNT_NOUN_RE = re.compile(
    rf"{_SP}+(?!(?:was|has|is|as|this|its|his|us|thus|plus|always|perhaps|across|unless|"
    r"whereas|less)\b)(?:[a-z]+s|people|men|women|children)\b"
)
_LABEL_WORD_RE = re.compile(rf"(?<![\w'’\-.])([A-Za-z]*[A-Z][A-Za-z]*){_SP}\Z")
_LABEL_MARK_RE = re.compile(rf"(?:\b[Nn]os?\.|#){_SP}?\Z")
_SENTENCE_START_RE = re.compile(r"(?:\A|[.!?:;\"“”‘’'(\[—–\n])\s*\Z")

# Vague amounts: candidate head words (a factored alternation with no leading assertion,
# which ``re`` scans for quickly), then one anchored match.
_VAGUE_HEAD_RE = re.compile(  # lower-cased text
    _trie(
        [
            "tens",
            "scores",
            "hundreds",
            "thousands",
            "millions",
            "billions",
            "trillions",
            "dozens",
            "several",
            "many",
            "few",
            "couple",
        ]
    )
)
_VAGUE_RE = re.compile(  # lower-cased text, anchored at a head (or at "a" before few/couple)
    rf"""
      (?:tens|scores)(?={_SP}+of\b)
      (?:{_SP}+of{_SP}+(?:hundreds|thousands|millions|billions|trillions)\b)*
    | (?:hundreds|thousands|millions|billions|trillions|dozens)
      (?:{_SP}+of{_SP}+(?:hundreds|thousands|millions|billions|trillions)\b)*
      (?!\w)
    | (?:several|a{_SP}+few|a{_SP}+couple{_SP}+of|many|few)
      (?:{_SP}+(?:hundred|thousand|million|billion|trillion|dozen)\b)+
    """,
    re.VERBOSE,
)

# Dates: cheap candidate starts (a digit, a month or weekday name), then one anchored match.
_DATE_DASHES = frozenset("-–/")
_DAY_NEXT = frozenset("\x20\t\u00a0\u202fsnrt-–")  # a space, ordinal suffix or day range
_DATE_START_RE = re.compile(  # a digit run, or a month or weekday name; flat literal-first
    "|".join(  # branches let ``re`` skip quickly to the next candidate
        [
            *(f"{d}[0-9]*" for d in "0123456789"),
            *(f for n in (*_WEEKDAYS, *MONTHS, *_MONTH_ABBREVIATIONS) for f in (n, n.upper())),
        ]
    )
)
_DATE_RE = re.compile(
    rf"""
      (?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{2}})-(?P<id>[0-9]{{2}})(?![\w-]|[.,:/][0-9])
    | (?P<sy>(?:19|20)[0-9]{{2}})[-–/](?P<se>[0-9]{{2}}){_NUM_END}(?!-[0-9])
    | (?:(?P<wd1>{_WEEKDAY}),?{_SP}+)?(?P<m1>{_MONTH}){_SP}+
        (?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:[-–][0-9]{{1,2}}(?:st|nd|rd|th)?)?{_NUM_END}
        (?:,?{_SP}+(?P<y1>{_YEAR}))?
    | (?:(?P<wd2>{_WEEKDAY}),?{_SP}+)?(?<![\w.,])
        (?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:[-–][0-9]{{1,2}}(?:st|nd|rd|th)?)?
        {_SP}+(?:of{_SP}+)?(?P<m2>{_MONTH})
        (?:,?{_SP}+(?P<y2>{_YEAR}))?
    | (?P<m3>{_MONTH}),?{_SP}+(?P<y3>{_YEAR})
    | (?P<wd>{_WEEKDAY})\b
    """,
    re.VERBOSE,
)


# ------------------------------------------------------------------------- word numbers


@dataclass(frozen=True, slots=True)
class _WordParse:
    value: Decimal
    consumed: int  # tokens used
    mantissa: Decimal  # value before the single trailing scale, or value
    scale: int | None  # the trailing scale when value == mantissa * scale


def _parse_words(toks: Sequence[str], first: int = 0) -> _WordParse | None:
    """Longest valid number-word run of lower-case ``toks`` from ``toks[first]``, or None.

    Phases: "" empty group, "a" article/"half a" (needs hundred/scale/dozen), "u" unit or
    teen, "t" tens, "tu" tens+unit, "h" hundred, "s" after a scale, "and" after a joining
    "and", "frac" after a decimal or "and a half" (only a scale may follow), "end".
    """
    n = len(toks)
    i = first
    total = Decimal(0)
    group = Decimal(0)
    phase = ""
    has_hundred = False
    last_scale: int | None = None
    scales_used = 0
    best: _WordParse | None = None
    if i < n and toks[i] == "a":
        group, phase, i = Decimal(1), "a", i + 1
    elif i + 1 < n and toks[i] == "half" and toks[i + 1] == "a":
        group, phase, i = Decimal("0.5"), "a", i + 2
    while i < n:
        t = toks[i]
        step = 1
        if t in _UNITS:
            v = _UNITS[t]
            if phase in ("", "h", "s", "and"):
                group += v
                phase = "u"
            elif phase == "t" and 1 <= v <= 9:
                group += v
                phase = "tu"
            else:
                break
        elif t in _TENS:
            if phase not in ("", "h", "s", "and"):
                break
            group += _TENS[t]
            phase = "t"
        elif t == "hundred":
            if phase not in ("u", "tu", "a") or has_hundred or not 0 < group < 100:
                break
            group *= 100
            has_hundred = True
            phase = "h"
        elif t in _SCALES:
            s = _SCALES[t]
            if (
                phase not in ("u", "t", "tu", "h", "a", "frac")
                or group <= 0
                or (last_scale is not None and s >= last_scale)
            ):
                break
            total += group * s
            group = Decimal(0)
            has_hundred = False
            last_scale = s
            scales_used += 1
            phase = "end" if phase == "frac" else "s"
        elif t == "dozen":
            if phase not in ("u", "t", "tu", "a") or has_hundred or total:
                break
            group *= 12
            phase = "end"
        elif t == "and":
            if (
                i + 2 < n
                and toks[i + 1] == "a"
                and toks[i + 2] == "half"
                and phase in ("u", "t", "tu")
                and not total
            ):
                group += Decimal("0.5")
                phase = "frac"
                step = 3
            elif phase in ("h", "s") and i + 1 < n and toks[i + 1] in _UNITS.keys() | _TENS:
                phase = "and"
            else:
                break
        elif t == "point":
            if phase not in ("u", "t", "tu"):
                break
            digits = ""
            j = i + 1
            while j < n and toks[j] in _UNITS and _UNITS[toks[j]] <= 9:
                digits += str(_UNITS[toks[j]])
                j += 1
            if not digits:
                break
            group += Decimal("0." + digits)
            phase = "frac"
            step = j - i
        else:
            break
        i += step
        if phase in ("u", "t", "tu", "h", "s", "frac", "end"):
            value = total + group
            if scales_used == 1 and not group and last_scale is not None:
                best = _WordParse(value, i - first, value / last_scale, last_scale)
            else:
                best = _WordParse(value, i - first, value, None)
    return best


# -------------------------------------------------------------------------------- atoms


class _Atom(NamedTuple):
    start: int
    end: int
    value: Decimal
    mantissa: Decimal  # the figure before its scale word ("1.4" in "1.4 million")
    scale: int | None
    has_separator: bool
    unit: str | None
    digits: bool
    adjectival: bool
    bare: bool  # plain digits: no separator, decimal, scale, unit, currency


_MAX_DIGITS = 24  # longer digit runs are identifiers, not figures


def _clean(d: Decimal) -> Decimal:
    """Drop trailing zeros and exponents: 1400000.0 -> 1400000, 2.50 -> 2.5."""
    if d == d.to_integral_value():
        return d.to_integral_value().quantize(Decimal(1))
    return d.normalize()


def _lower(text: str) -> str:
    """Lower-cased copy of ``text`` with the same offsets."""
    low = text.lower()
    if len(low) == len(text):  # lower() never shortens; equal length means 1:1
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _adjectival_end(text: str, end: int) -> int | None:
    """End of a "-month"/"-year" suffix at ``end``; -1 if it is an ordinal/fraction."""
    m = _ADJECTIVAL_RE.match(text, end)
    if m is None:
        return None
    if m.group(1).lower() in _ORDINALS_AND_FRACTIONS:
        return -1
    return m.end()


def _digit_atom(text: str, low: str, m: re.Match[str]) -> _Atom | str | None:
    """An atom from a digit match; "year" for "mid-2021" and the like; None if no number."""
    s, e = m.start(), m.end()
    num = m.group("num")
    scw = m.group("scw")
    abbr = m.group("abbr")
    pct = m.group("pct")
    cur = None
    if s > 0 and (text[s - 1] in _CURRENCY_NEAR or (s > 1 and text[s - 2] in _CURRENCY_NEAR)):
        cur = _CURRENCY_BEFORE_RE.search(text, max(0, s - 6), s)
    if cur is not None:
        s = cur.start()
    elif s > 0:
        c = text[s - 1]
        if c.isalnum() or c == "_":
            return None
        if c == ".":  # ".5", or the tail of "1.2.3"
            return None
        if s >= 2:
            p = text[s - 2]
            if c in ",:/" and p.isdigit():
                return None
            if c == "-" and p.isalpha():
                pre = _HYPHEN_PREFIX_RE.search(low, max(0, s - 12), s)
                if (
                    pre is not None
                    and pre.group(1) in ("mid", "pre", "post", "early", "late")
                    and len(num) == 4
                    and 1900 <= int(num) <= 2099
                ):
                    return "year"
                return None
    if e < len(text):
        c = text[e]
        if c.isalnum() or c == "_":
            return None
        if c in ".,:/" and e + 1 < len(text) and text[e + 1].isdigit():
            return None
    if abbr is not None and abbr in _NEEDS_CURRENCY and cur is None:
        return None
    if len(num) > 1 and num[0] == "0" and num[1] != ".":  # "000", "007": a fragment or code
        return None
    if len(num) > _MAX_DIGITS:
        return None
    if not (scw or abbr or pct) and e < len(text) and _TIME_AFTER_RE.match(low, e):
        return None
    mantissa = _clean(Decimal(num.replace(",", "").replace("\u00a0", "").replace("\u202f", "")))
    scale: int | None = None
    if scw:
        scale = _SCALES.get(scw.lower()) or _ABBREVIATIONS[scw.lower()]
    elif abbr:
        scale = _ABBREVIATIONS[abbr.lower()]
    adjectival = False
    if e < len(text) and text[e] == "-":
        adj_end = _adjectival_end(text, e)
        if adj_end == -1:
            return None
        if adj_end is not None:
            e = adj_end
            adjectival = True
    has_sep = not num.replace(".", "").isdigit()
    return _Atom(
        start=s,
        end=e,
        value=_clean(mantissa * scale) if scale else mantissa,
        mantissa=mantissa,
        scale=scale,
        has_separator=has_sep,
        unit="percent" if pct else None,
        digits=True,
        adjectival=adjectival,
        bare=not (has_sep or "." in num or scale or pct or cur is not None),
    )


def _word_atoms(text: str, low: str, m: re.Match[str]) -> list[_Atom]:
    """Atoms from a run of number words (a run may hold several numbers)."""
    start = m.start()
    toks = list(_WORD_TOKEN_RE.finditer(low, start, m.end()))
    if _glued(low, start):  # "one" in "someone two"
        toks = toks[1:]
        if not toks:
            return []
    elif toks[0].group() in _SCALE_HEADS:  # "a million", "half a dozen"
        article = _ARTICLE_BEFORE_RE.search(low, max(0, start - 12), start)
        if article is not None:
            toks = list(_WORD_TOKEN_RE.finditer(low, article.start(), m.end()))
    words = [t.group() for t in toks]
    atoms: list[_Atom] = []
    i = 0
    while i < len(toks):
        parsed = _parse_words(words, i)
        if parsed is None:
            i += 1
            continue
        j = i + parsed.consumed
        s, e = toks[i].start(), toks[j - 1].end()
        i = j
        if (
            parsed.consumed == 1
            and words[j - 1] == "one"
            and (_NO_ONE_RE.search(low, max(0, s - 10), s) or _ONE_ANOTHER_RE.match(low, e))
        ):
            continue
        unit: str | None = None
        adjectival = False
        if j == len(toks):
            pm = _PERCENT_AFTER_RE.match(low, e)
            if pm is not None:
                e = pm.end()
                unit = "percent"
            else:
                adj_end = _adjectival_end(text, e)
                if adj_end == -1:
                    continue
                if adj_end is not None:
                    e = adj_end
                    adjectival = True
        atoms.append(
            _Atom(
                start=s,
                end=e,
                value=_clean(parsed.value),
                mantissa=_clean(parsed.mantissa),
                scale=parsed.scale,
                has_separator=False,
                unit=unit,
                digits=False,
                adjectival=adjectival,
                bare=False,
            )
        )
    return atoms


def _qualifier(text: str, low: str, start: int) -> tuple[str, str, int]:
    """(family, qualifier as written, its start) for a number starting at ``start``."""
    m = _QUALIFIER_RE.search(low, max(0, start - 40), start)
    if m is None:
        return "exact", "", start
    family = _QUALIFIER_LOOKUP[" ".join(m.group("q").split())]
    return family, text[m.start("q") : m.end("q")], m.start()


def _year_is_count(text: str, low: str, atom: _Atom) -> bool:
    """Whether a plain 1900-2099 integer is a count rather than a year (see module doc)."""
    if _QUALIFIER_RE.search(low, max(0, atom.start - 40), atom.start):
        return True
    if _YEAR_CONTEXT_RE.search(low, max(0, atom.start - 12), atom.start):
        return False
    if atom.adjectival or _SENTENCE_START_RE.search(text, max(0, atom.start - 5), atom.start):
        return False  # news style spells out a count that starts a sentence
    return _COUNT_NOUN_RE.match(text, atom.end) is not None


def _is_label(text: str, low: str, atom: _Atom) -> bool:
    """Whether a plain integer is a model number or label ("Phone 1", "No. 10")."""
    if _LABEL_MARK_RE.search(text, max(0, atom.start - 5), atom.start):
        return True
    m = _LABEL_WORD_RE.search(text, max(0, atom.start - 40), atom.start)
    if m is None:
        return False
    word = m.group(1)
    lowered = low[m.start(1) : m.end(1)]
    if word == word.upper() or lowered in _MONTHS or word.title() in _WEEKDAYS:
        return False
    if lowered in _QUALIFIER_LOOKUP:
        return False
    return not _SENTENCE_START_RE.search(text, max(0, m.start() - 5), m.start())


# --------------------------------------------------------------------------------- scan


def _date_from_match(m: re.Match[str]) -> StatedDate | None:
    """The date a _DATE_RE match states, or None if impossible ("February 30")."""
    g = m.groupdict()
    year: int | None
    month: int | None
    day: int | None
    weekday: str | None = None
    if g["iy"] is not None:
        year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["sy"] is not None:
        year = int(g["sy"])
        if int(g["se"]) != (year + 1) % 100:
            return None
        month = day = None
    elif g["m1"] is not None:
        month, day = _MONTHS[g["m1"].rstrip(".").lower()], int(g["d1"])
        year = int(g["y1"]) if g["y1"] else None
        weekday = g["wd1"]
    elif g["m2"] is not None:
        month, day = _MONTHS[g["m2"].rstrip(".").lower()], int(g["d2"])
        year = int(g["y2"]) if g["y2"] else None
        weekday = g["wd2"]
    elif g["m3"] is not None:
        month, day, year = _MONTHS[g["m3"].rstrip(".").lower()], None, int(g["y3"])
    else:
        return StatedDate(m.group(), m.start(), m.end(), None, None, None, g["wd"].title())
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and month is not None:
        last = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= last:
            return None
    weekday = weekday.title() if weekday else None
    return StatedDate(m.group(), m.start(), m.end(), year, month, day, weekday)


class _Blocked:
    """Sorted spans that no number may overlap; lookups by bisection."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self._starts, e) - 1  # last span starting before e
        return i >= 0 and self._ends[i] > s


@dataclass(frozen=True, slots=True)
class _Scan:
    numbers: tuple[StatedNumber, ...]
    vague: tuple[VagueAmount, ...]
    dates: tuple[StatedDate, ...]


def _make_number(
    text: str,
    low: str,
    span: tuple[int, int],
    lower: Decimal,
    upper: Decimal | None,
    unit: str | None,
) -> StatedNumber:
    """A StatedNumber over ``span`` extended back over any qualifier before it."""
    family, qtext, qstart = _qualifier(text, low, span[0])
    return StatedNumber(
        value=lower,
        qualifier=family,
        qualifier_text=qtext,
        text=text[qstart : span[1]],
        start=qstart,
        end=span[1],
        upper=upper,
        unit=unit,
    )


def _merge(text: str, low: str, atoms: Sequence[_Atom]) -> list[StatedNumber]:
    """Join adjacent atoms into ranges (see module doc) and attach qualifiers."""
    out: list[StatedNumber] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            between = _BETWEEN_RE.search(low, max(0, a.start - 12), a.start)
            if between is not None:
                joined = _AND_GAP_RE.fullmatch(low, a.end, b.start) is not None
            else:
                joined = (
                    a.digits
                    and b.digits
                    and not a.adjectival
                    and _DASH_GAP_RE.fullmatch(low, a.end, b.start) is not None
                ) or (
                    _TO_GAP_RE.fullmatch(low, a.end, b.start) is not None
                    and _FROM_RE.search(low, max(0, a.start - 8), a.start) is None
                )
            if joined:
                low_value = a.value
                if (
                    a.scale is None
                    and b.scale is not None
                    and not a.has_separator
                    and a.mantissa < b.mantissa
                ):
                    low_value = _clean(a.mantissa * b.scale)
                if b.value > low_value:
                    start = between.start() if between is not None else a.start
                    unit = a.unit or b.unit
                    out.append(_make_number(text, low, (start, b.end), low_value, b.value, unit))
                    i += 2
                    continue
        out.append(_make_number(text, low, (a.start, a.end), a.value, None, a.unit))
        i += 1
    return out


def _glued(text: str, start: int) -> bool:
    """Whether ``start`` continues a word or number (no token may begin there)."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")


def _scan_dates(text: str) -> tuple[list[StatedDate], list[tuple[int, int]]]:
    """Composite dates, and the spans no number may overlap."""
    dates: list[StatedDate] = []
    blocked: list[tuple[int, int]] = []
    done = 0
    for c in _DATE_START_RE.finditer(text):
        start = c.start()
        if start < done or _glued(text, start):
            continue
        run = c.group()
        if run.isdigit():  # only "2023-05-28", "2022-23", "10 March", "10th March"
            nxt = text[start + len(run) : start + len(run) + 1]
            iso_or_season = len(run) == 4 and nxt in _DATE_DASHES
            if not (iso_or_season or (len(run) <= 2 and nxt in _DAY_NEXT)):
                continue
        m = _DATE_RE.match(text, start)
        if m is None:
            continue
        done = m.end()
        d = _date_from_match(m)
        if d is not None:
            dates.append(d)
        if m.group("wd") is None:  # an impossible "February 30" still is no number
            blocked.append(m.span())
    return dates, blocked


def _scan_vague(text: str, low: str) -> list[VagueAmount]:
    found: list[VagueAmount] = []
    done = 0
    for c in _VAGUE_HEAD_RE.finditer(low):
        start = c.start()
        if start < done or _glued(low, start):
            continue
        if c.group() in ("few", "couple"):  # "a few thousand", "a couple of million"
            article = _ARTICLE_BEFORE_RE.search(low, max(0, start - 4), start)
            if article is not None and not article.group().startswith("half"):
                start = article.start()
        m = _VAGUE_RE.match(low, start)
        if m is None:
            continue
        done = m.end()
        found.append(VagueAmount(text[m.start() : m.end()], m.start(), m.end()))
    return found


@lru_cache(maxsize=1 << 18)
def _scan(text: str) -> _Scan:
    """What :func:`_scan_text` finds, remembered: every quote is read by the checks, the
    views and the downloads. Room for every quote of 100,000 facts and more (at 65,536,
    a base that size scanned each quote once per stage); text read only once, such as
    each sentence of an archived text, goes to :func:`stated_in` instead."""
    return _scan_text(text)


def _scan_text(text: str) -> _Scan:
    low = _lower(text)
    dates, date_spans = _scan_dates(text)
    vague = _scan_vague(text, low)
    blocked = _Blocked([*date_spans, *((v.start, v.end) for v in vague)])

    atoms: list[_Atom] = []
    for m in _DIGITS_RE.finditer(text):
        if blocked.overlaps(m.start(), m.end()):
            continue
        atom = _digit_atom(text, low, m)
        if atom is None:
            continue
        s, e = m.span("num")
        if isinstance(atom, str):  # "mid-2021"
            dates.append(StatedDate(text[s:e], s, e, int(text[s:e]), None, None, None))
            continue
        if atom.bare and e - s == 4 and 1900 <= int(text[s:e]) <= 2099:
            if not _year_is_count(text, low, atom):
                dates.append(StatedDate(text[s:e], s, e, int(text[s:e]), None, None, None))
                continue
        elif atom.bare and not atom.adjectival and _is_label(text, low, atom):
            continue
        atoms.append(atom)
    for m in _WORDS_RE.finditer(low):
        atoms.extend(a for a in _word_atoms(text, low, m) if not blocked.overlaps(a.start, a.end))
    atoms.sort(key=lambda a: a.start)
    kept: list[_Atom] = []
    for a in atoms:
        if not kept or a.start >= kept[-1].end:
            kept.append(a)
    dates.sort(key=lambda d: d.start)
    return _Scan(tuple(_merge(text, low, kept)), tuple(vague), tuple(dates))


# ---------------------------------------------------------------------------------- API


def find_numbers(text: str) -> list[StatedNumber]:
    """The numbers stated in ``text``, in order, non-overlapping (rules: module doc)."""
    return list(_scan(text).numbers)


_MAYBE_RE = re.compile(  # lower-cased text: every number, vague amount and date needs one
    r"[0-9]|\b"  # a number word or name glued to a letter before it is never read
    + _trie(
        [
            *_UNITS,
            *_TENS,
            *_SCALE_HEADS,
            "tens",
            "scores",
            "several",
            "many",
            "few",
            "couple",
            *(w.lower() for w in (*MONTHS, *_MONTH_ABBREVIATIONS, *_WEEKDAYS)),
        ]
    )
)


def might_state(text: str) -> bool:
    """False when ``text`` surely states no number, vague amount or date (a quick test
    before :func:`stated_in`: no digit, number word, month or weekday name in it)."""
    return _MAYBE_RE.search(text.lower()) is not None


def stated_in(text: str) -> tuple[list[StatedNumber], list[VagueAmount], list[StatedDate]]:
    """The numbers, vague amounts and dates stated in ``text``, not remembered (for text
    read once, which would push the quotes out of the memory the other functions share)."""
    found = _scan_text(text)
    return list(found.numbers), list(found.vague), list(found.dates)


def find_vague_amounts(text: str) -> list[VagueAmount]:
    """Amounts stated without a figure: "hundreds of thousands", "billions", "dozens",
    "tens of millions", "scores of", "several thousand", "a few hundred"."""
    return list(_scan(text).vague)


def find_dates(text: str) -> list[StatedDate]:
    """The concrete dates stated in ``text``, in order (rules: module doc)."""
    return list(_scan(text).dates)


def adjective_of(number: StatedNumber) -> str | None:
    """The word a hyphenated adjectival number is joined to, lower-cased: "month" for
    "two-month", "year" for "10-year"; None for any other number ("twenty-five")."""
    if number.upper is not None:
        return None
    head, sep, tail = number.text.rpartition("-")
    if not sep or not head or not tail.isalpha():
        return None
    word = tail.lower()
    if word in _UNITS or word in _TENS or word in _SCALE_HEADS or word == "and":
        return None
    return word


def qualifier_family(words: str) -> str | None:
    """Canonical family of qualifier ``words`` ("Around" -> "about"), case- and
    whitespace-insensitive.  A family name maps to itself; blank means "exact";
    unknown words give None."""
    key = " ".join(words.lower().split())
    if not key:
        return "exact"
    if key in QUALIFIER_FAMILIES:
        return key
    return _QUALIFIER_LOOKUP.get(key)


def states_number(text: str, value: Decimal | int, qualifier: str | None = None) -> bool:
    """Whether ``text`` states exactly ``value`` (a range states its bounds), and, when
    ``qualifier`` (a family name or qualifier words) is given, with that family.

    The unit is not compared ("40%" states 40).  Raises ValueError for an unknown
    qualifier and TypeError for a float.
    """
    if isinstance(value, float):
        raise TypeError("pass a Decimal or int: a float is not an exact figure")
    want = Decimal(value)
    family: str | None = None
    if qualifier is not None:
        family = qualifier_family(qualifier)
        if family is None:
            raise ValueError(f"unknown qualifier: {qualifier!r}")
    return any(
        (n.value == want or n.upper == want) and (family is None or n.qualifier == family)
        for n in _scan(text).numbers
    )

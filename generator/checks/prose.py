"""No unchecked number in prose: every number and date that a sheet's readers see in the
editor's own words is one of the record's, or marked as the editor's calculation.

Prose is a sheet's title, description, summary, topic titles and introductions, scope
titles and descriptions and key-figure ``meaning`` lines, and a fact's statement, label,
note, date note, retraction reason and citation notes.  The numbers in it are read by
:mod:`generator.text.numbers` (number words included: "two-month" is 2), and each must be

* a figure of a fact of the same sheet (its value, or what one of its citations
  ``states``) with a qualifier of the same family: "nearly 13,000" for a fact of nearly
  13,000, "approximately 13,000" too when one source states about 13,000, never a bare
  "13,000".  A range gives both its bounds; a hyphenated adjectival number
  ("two-month") must also agree with the fact's unit (months).  A retracted fact's
  figure counts only in that fact's own prose;
* or a figure its record marks as derived (``derived`` on the sheet for the sheet's
  prose, on the fact for the fact's), naming the facts it is worked out from;
* or inside a quotation (“…” or "…") that occurs in the archived text of a source the
  prose rests on (a fact's cited sources; for the sheet's prose, every source its facts
  cite): a quotation of the record checks itself.

A vague amount ("hundreds of thousands") must be the words of a vague amount of a fact
of the sheet.  A date must be a date of the record: a fact's date, period start or end
or retraction date, the sheet's ``as_of`` or period, or the publication date of a
source the sheet cites.  A date given less precisely ("May 2023", "2023") or without its
year ("10 March") matches such a date at its precision, or lies (in part) within the
sheet's or a fact's period ("March–May 2023"); a weekday must be the weekday of the date
it comes with ("Monday 22 May") or, alone, of a full date of the record.

The word "one" standing alone is not read as a number (it is mostly a pronoun: "one of
them", "one leaves out"); "one million" and "one-month" are.

Problems point at the number inside the text: the value's position comes from the
model, the number's from the content file, read again only when there is a problem.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from generator.checks.quotes import QuoteIndex
from generator.content import wording
from generator.content.fields import Located, PartialDate
from generator.content.model import Content, Derivation, Fact, Sheet, Source
from generator.problems import Loc, Problem
from generator.text.numbers import (
    StatedDate,
    StatedNumber,
    VagueAmount,
    adjective_of,
    find_numbers,
    might_state,
    stated_in,
)
from generator.text.textmatch import normalize


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of the record: a fact's value, or what one of its sources states."""

    value: Decimal
    upper: Decimal | None
    family: str
    """The qualifier family ("exact", "about", ..., "range")."""
    fact: str
    unit: str
    source: str | None
    """The citation's source when this is what that source states, else None."""
    retracted: bool


FIGURE, NO_FIGURE, RETRACTED = "figure", "no figure", "retracted"


@dataclass
class Record:
    """What one sheet's prose may state: its facts' figures and vague words, its dates."""

    figures: dict[Decimal, tuple[Figure, ...]]
    vague: frozenset[str]
    dates: frozenset[PartialDate]
    spans: frozenset[tuple[PartialDate, PartialDate]]
    facts: dict[str, str]
    """Fact id -> FIGURE, NO_FIGURE or RETRACTED (for the facts a derivation names)."""


def check(
    content: Content,
    quotes: QuoteIndex,
    *,
    skip_unknown_sources: bool = False,
    incomplete_sheets: frozenset[str] | set[str] = frozenset(),
    each_sheet: Callable[..., list[Problem]] | None = None,
    each_fact: Callable[..., list[Problem]] | None = None,
) -> list[Problem]:
    """Check the prose of every sheet and its facts (``quotes`` gives the archived texts),
    with ``each_sheet`` and ``each_fact`` (by default :func:`check_sheet`, :func:`check_fact`).

    A sheet whose record is incomplete because some file failed to load (one of its facts
    files, or a source it cites when ``skip_unknown_sources``) is not checked: its prose
    would be held to a part of the record, and the load problem is reported already.
    """
    sheet_step = each_sheet or check_sheet
    fact_step = each_fact or check_fact
    problems: list[Problem] = []
    locator = _Locator()
    sources = content.sources
    for sheet in content.sheets.values():
        if sheet.id in incomplete_sheets:
            continue
        facts = content.facts_of(sheet.id)
        if skip_unknown_sources and any(
            c.source not in sources for fact in facts for c in fact.citations
        ):
            continue
        record = build_record(content, sheet, facts)
        cited: dict[str, Source] = {}
        for fact in facts:
            for citation in fact.citations:
                source = sources.get(citation.source)
                if source is not None:
                    cited.setdefault(source.id, source)
        problems.extend(
            sheet_step(sheet, record, tuple(cited.values()), quotes=quotes, locator=locator)
        )
        for fact in facts:
            own = tuple(sources.get(c.source) for c in fact.citations)
            problems.extend(fact_step(fact, record, own, quotes=quotes, locator=locator))
    return problems


def check_sheet(
    sheet: Sheet,
    record: Record,
    cited: tuple[Source, ...],
    *,
    quotes: QuoteIndex,
    locator: _Locator,
) -> list[Problem]:
    """The problems of a sheet's own prose, held to its ``record``; ``cited`` are the
    sources its facts cite (``quotes`` and ``locator`` answer from their texts)."""
    return _Prose(record, sheet.id, None, sheet.derived, quotes, locator).run(
        _stated(sheet_prose(sheet)), f"sheet '{sheet.id}'", list(cited)
    )


def check_fact(
    fact: Fact,
    record: Record,
    own: tuple[Source | None, ...],
    *,
    quotes: QuoteIndex,
    locator: _Locator,
) -> list[Problem]:
    """The problems of one fact's prose (most facts' prose states nothing to look up);
    ``own`` are its citations' sources (None: unknown)."""
    stated = _stated(fact_prose(fact))
    if not stated and not fact.derived:
        return []
    cited = {c.source: source for c, source in zip(fact.citations, own, strict=True)}
    return _Prose(record, fact.sheet, fact, fact.derived, quotes, locator).run(
        stated, f"fact '{fact.id}'", [s for s in cited.values() if s is not None]
    )


ReadPiece = tuple[str, str, "Located | None", str, "Stated"]
"""A piece of prose as read: what it is, its text as read, its record and key, and what
it states."""


def _stated(pieces: Iterator[Piece]) -> list[ReadPiece]:
    """The pieces that state a number, vague amount or date (the others need no check)."""
    out: list[ReadPiece] = []
    for what, text, where, key in pieces:
        text, found = _read(text)
        if found[0] or found[1] or found[2]:
            out.append((what, text, where, key, found))
    return out


def build_record(content: Content, sheet: Sheet, facts: list[Fact]) -> Record:
    """The figures, vague words and dates that ``sheet``'s prose may state."""
    figures: dict[Decimal, list[Figure]] = {}
    vague: set[str] = set()
    dates: set[PartialDate] = {sheet.as_of}
    spans: set[tuple[PartialDate, PartialDate]] = set()
    states: dict[str, str] = {}

    def add_period(start: PartialDate, end: PartialDate | None) -> None:
        dates.add(start)
        if end is not None:
            dates.add(end)
            spans.add((start, end))

    if sheet.period is not None:
        add_period(sheet.period.start, sheet.period.end)
    for fact in facts:
        retracted = fact.retracted is not None
        value = fact.value
        states[fact.id] = RETRACTED if retracted else (FIGURE if value is not None else NO_FIGURE)
        if fact.date is not None:
            dates.add(fact.date)
        if fact.period is not None:
            add_period(fact.period.start, fact.period.end)
        if fact.retracted is not None:
            dates.add(fact.retracted.date)
        for citation in fact.citations:
            source = content.sources.get(citation.source)
            if source is not None and source.published is not None:
                dates.add(source.published)
        if value is None:
            continue
        if value.qualifier == "vague":
            if value.words:
                vague.add(_fold(value.words))
            continue
        if value.amount is None:
            continue
        upper = value.upper if value.qualifier == "range" else None
        shown = Figure(value.amount, upper, value.qualifier, fact.id, value.unit, None, retracted)
        figures.setdefault(value.amount, []).append(shown)
        for citation in fact.citations:
            said = citation.states
            if said is None or (said.amount is None and said.qualifier is None and not said.upper):
                continue
            amount = said.amount if said.amount is not None else value.amount
            family = said.qualifier or value.qualifier
            own_upper = said.upper if said.upper is not None else upper
            if said.upper is not None:
                family = "range"
            if family != "range":
                own_upper = None
            figures.setdefault(amount, []).append(
                Figure(amount, own_upper, family, fact.id, value.unit, citation.source, retracted)
            )
    return Record(
        {k: tuple(v) for k, v in figures.items()},
        frozenset(vague),
        frozenset(dates),
        frozenset(spans),
        states,
    )


# --------------------------------------------------------------------------- the prose


def _at(where: Located | None, key: str) -> Loc:
    return where.of(key) if where is not None else Loc("")


Piece = tuple[str, str, "Located | None", str]
"""A piece of prose: what it is, its text, and the record and key it is the value of."""


def sheet_prose(sheet: Sheet) -> Iterator[Piece]:
    """Every piece of a sheet's own prose: (what it is, its text, its record and key)."""
    w = sheet.where
    yield "title", sheet.title, w, "title"
    if sheet.description:
        yield "description", sheet.description, w, "description"
    yield "summary", sheet.summary, w, "summary"
    for topic in sheet.topics:
        yield f"topic '{topic.id}' title", topic.title, topic.where, "title"
        if topic.intro:
            yield f"topic '{topic.id}' intro", topic.intro, topic.where, "intro"
    for scope in sheet.scopes:
        yield f"scope '{scope.id}' title", scope.title, scope.where, "title"
        if scope.description:
            yield f"scope '{scope.id}' description", scope.description, scope.where, "description"
    for key in sheet.key_figures:
        yield f"key figure '{key.fact}' meaning", key.meaning, key.where, "meaning"


def fact_prose(fact: Fact) -> Iterator[Piece]:
    """Every piece of a fact's prose: (what it is, its text, its record and key)."""
    w = fact.where
    yield "statement", fact.statement, w, "statement"
    if fact.label:
        yield "label", fact.label, w, "label"
    if fact.note:
        yield "note", fact.note, w, "note"
    if fact.date_note:
        yield "date_note", fact.date_note, w, "date_note"
    if fact.retracted is not None:
        yield "retraction reason", fact.retracted.reason, fact.retracted.where, "reason"
    for number, citation in enumerate(fact.citations, start=1):
        if citation.note:
            yield f"citation {number} note", citation.note, citation.where, "note"


_LINE_BREAK = re.compile(r"(?<!\n)\n(?![ \t]*\n)")
_QUOTATION = re.compile(r"“([^“”]*)”|\"([^\"]*)\"")


def _fold(words: str) -> str:
    return " ".join(words.casefold().split())


def _family(number: StatedNumber) -> str:
    return "range" if number.upper is not None else number.qualifier


def _amount(figure: Figure) -> str:
    return wording.amount_words(figure.value, figure.family, figure.upper)


def _is_pronoun(number: StatedNumber) -> bool:
    """The word "one" on its own: "one of them", "one leaves out"."""
    return number.text.lower() == "one"


Stated = tuple[list[StatedNumber], list[VagueAmount], list[StatedDate]]


def read(text: str) -> Stated:
    """The numbers, vague amounts and dates this check holds to the record in ``text``."""
    return _read(text)[1]


def _read(text: str) -> tuple[str, Stated]:
    """``read``, with the text as read (offsets are the same as in ``text``)."""
    # A line break inside a paragraph is a space to readers ("about" at the end of a
    # line still qualifies the number on the next line).
    if "\n" in text:
        text = _LINE_BREAK.sub(" ", text)
    if not might_state(text):
        return text, ([], [], [])
    numbers, vague, dates = stated_in(text)
    return text, ([n for n in numbers if not _is_pronoun(n)], vague, dates)


def _unit_agrees(unit: str, word: str) -> bool:
    """Whether the adjective of "two-month" (``word``) names the fact's unit ("months")."""
    head = unit.split()[0].casefold() if unit.split() else ""
    return not head or head in (word, word + "s", word + "es") or head.rstrip("s") == word


class _Prose:
    """The check of one record's prose: a sheet's own, or one fact's."""

    def __init__(
        self,
        record: Record,
        sheet_id: str,
        owner: Fact | None,
        derived: list[Derivation],
        quotes: QuoteIndex,
        locator: _Locator,
    ) -> None:
        self.record = record
        self.sheet_id = sheet_id
        self.owner = owner
        self.sources: list[Source] = []
        self.quotes = quotes
        self.locator = locator
        self.problems: list[Problem] = []
        self.derived: list[tuple[Derivation, StatedNumber | None]] = []
        self.used: set[int] = set()
        for derivation in derived:
            self.derived.append((derivation, self._derivation(derivation)))

    # -- derivations -------------------------------------------------------------------

    def _derivation(self, derivation: Derivation) -> StatedNumber | None:
        where = derivation.where
        for fact_id in derivation.facts:
            state = self.record.facts.get(fact_id)
            if state == FIGURE:
                continue
            if state is None:
                close = difflib.get_close_matches(fact_id, list(self.record.facts), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                why = f"'{fact_id}' is not a fact of sheet '{self.sheet_id}'{hint}"
            elif state == NO_FIGURE:
                why = f"fact '{fact_id}' has no figure ('value') to work it out from"
            else:
                why = f"fact '{fact_id}' is retracted; work it out from standing facts"
            self.problems.append(
                Problem(_at(where, "from"), f"derived figure '{derivation.figure}': {why}")
            )
        numbers = find_numbers(derivation.figure)
        if len(numbers) != 1:
            self.problems.append(
                Problem(
                    _at(where, "figure"),
                    f"derived figure '{derivation.figure}' must be one number, written as "
                    "the prose writes it (like '59,000' or 'about 59,000')",
                )
            )
            return None
        return numbers[0]

    def _derived_match(self, number: StatedNumber) -> bool:
        matched = False
        for index, (_, figure) in enumerate(self.derived):
            if (
                figure is not None
                and figure.value == number.value
                and figure.upper == number.upper
                and _family(figure) == _family(number)
            ):
                self.used.add(index)
                matched = True
        return matched

    # -- the run -----------------------------------------------------------------------

    def run(self, pieces: list[ReadPiece], owner: str, sources: list[Source]) -> list[Problem]:
        """Check the ``pieces`` of the prose of ``owner``, whose quotations may come from
        ``sources``; then the derivations no piece used."""
        self.sources = sources
        for what, text, where, key, found in pieces:
            self._text(f"{owner}, {what}", text, where, key, found)
        for index, (derivation, figure) in enumerate(self.derived):
            if figure is not None and index not in self.used:
                self.problems.append(
                    Problem(
                        _at(derivation.where, "figure"),
                        f"unused derivation: the derived figure '{derivation.figure}' does "
                        f"not occur in the prose of {owner}; write it in the prose as given "
                        "here, or remove the derivation",
                    )
                )
        return self.problems

    def _text(self, label: str, text: str, where: Located | None, key: str, found: Stated) -> None:
        numbers, vague, dates = found
        quotations = _Quotations(text, self)
        for number in numbers:
            derived = self._derived_match(number)
            if derived or self._grounded(number) or quotations.found(number.start, number.end):
                continue
            message = self._number_problem(label, number) + quotations.hint(number.start)
            self._report(where, key, text, number.start, number.end, message)
        for amount in vague:
            if _fold(amount.text) in self.record.vague:
                continue
            if quotations.found(amount.start, amount.end):
                continue
            self._report(
                where,
                key,
                text,
                amount.start,
                amount.end,
                f"{label}: '{amount.text}' is not the words of a vague amount of any fact of "
                f"sheet '{self.sheet_id}'; write the words a fact gives for it, or a figure "
                "of a fact" + quotations.hint(amount.start),
            )
        for date in dates:
            wrong = self._date_problem(label, date)
            if wrong is None or quotations.found(date.start, date.end):
                continue
            wrong += quotations.hint(date.start)
            self._report(where, key, text, date.start, date.end, wrong)

    def _report(
        self, where: Located | None, key: str, text: str, start: int, end: int, message: str
    ) -> None:
        loc = self.locator.at(_at(where, key), text, start, end)
        self.problems.append(Problem(loc, message))

    # -- numbers -----------------------------------------------------------------------

    def _candidates(self, number: StatedNumber) -> list[Figure]:
        return [f for f in self.record.figures.get(number.value, ()) if f.upper == number.upper]

    def _live(self, figures: list[Figure]) -> list[Figure]:
        owner = self.owner.id if self.owner is not None else None
        return [f for f in figures if not f.retracted or f.fact == owner]

    def _grounded(self, number: StatedNumber) -> bool:
        adjective = adjective_of(number)
        family = _family(number)
        return any(
            f.family == family and (adjective is None or _unit_agrees(f.unit, adjective))
            for f in self._live(self._candidates(number))
        )

    def _number_problem(self, label: str, number: StatedNumber) -> str:
        shown = f"'{number.text}'"
        words = wording.amount_words(number.value, _family(number), number.upper)
        if _fold(number.text) != _fold(words):
            shown += f" ({words})"
        where_derived = "this fact's" if self.owner is not None else "the sheet's"
        own = (
            f"if it is your own calculation, record it under {where_derived} 'derived' "
            "(figure, from, how)"
        )
        candidates = self._candidates(number)
        adjective = adjective_of(number)
        if adjective is not None:
            fitting = [f for f in candidates if _unit_agrees(f.unit, adjective)]
            if candidates and not fitting:
                f = candidates[0]
                return (
                    f"{label}: {shown} is {wording.number(number.value)} {adjective}s, but "
                    f"fact '{f.fact}' gives {_amount(f)} {f.unit}; write what the facts "
                    f"of sheet '{self.sheet_id}' give, or, {own}"
                )
            candidates = fitting
        live = self._live(candidates)
        if live:
            wanted = list(dict.fromkeys(_amount(f) for f in live))
            fact = live[0].fact
            versions = " or ".join(f"'{w}'" for w in wanted)
            states = [f for f in live if f.source is not None]
            said = (
                " (" + "; ".join(f"source '{f.source}' states {_amount(f)}" for f in states) + ")"
                if states
                else ""
            )
            if _family(number) == "exact" and not number.qualifier_text:
                return (
                    f"{label}: {shown} drops the qualifier: fact '{fact}' gives "
                    f"{_amount(live[0])}{said}; write it with its qualifier: {versions}"
                )
            return (
                f"{label}: {shown} has another qualifier than fact '{fact}', which gives "
                f"{_amount(live[0])}{said}; write {versions}"
            )
        if candidates:
            return (
                f"{label}: {shown} is the figure of fact '{candidates[0].fact}', which is "
                f"retracted; give a standing fact's figure, or, {own}"
            )
        return (
            f"{label}: {shown} is not a figure of any fact of sheet '{self.sheet_id}'; every "
            "number in prose must be a figure of a cited fact of the sheet, with its "
            f"qualifier: add the fact that gives it, or, {own}"
        )

    # -- dates -------------------------------------------------------------------------

    def _date_problem(self, label: str, date: StatedDate) -> str | None:
        record = self.record
        if date.year is None and date.month is None and date.day is None:
            full = [r for r in record.dates if r.day is not None]
            if date.weekday is None or any(_weekday(r.year, r) == date.weekday for r in full):
                return None
            return (
                f"{label}: '{date.text}' is not the weekday of any date of the record; name "
                "the date it refers to"
            )
        wrong_day: str | None = None
        for r in record.dates:
            if _agrees(date, r):
                if _weekday_ok(date, r.year):
                    return None
                wrong_day = wrong_day or _weekday_words(date, r.year)
        for start, end in record.spans:
            years = [date.year] if date.year is not None else range(start.year, end.year + 1)
            for year in years:
                low, high = _bounds(year, date.month, date.day)
                if low is None or high is None:
                    continue
                if low <= _last_day(end) and high >= _first_day(start):
                    if _weekday_ok(date, year):
                        return None
                    wrong_day = wrong_day or _weekday_words(date, year)
        if wrong_day is not None:
            return f"{label}: '{date.text}' has the wrong weekday: {wrong_day}"
        return (
            f"{label}: '{date.text}' is not a date of the record; a date in prose must be a "
            "fact's date or period, the sheet's as_of or period, or the publication date of "
            "a source the sheet cites (or lie within the sheet's or a fact's period)"
        )


def _agrees(date: StatedDate, r: PartialDate) -> bool:
    return (
        (date.year is None or date.year == r.year)
        and (date.month is None or date.month == r.month)
        and (date.day is None or date.day == r.day)
    )


def _weekday(year: int, r: PartialDate) -> str | None:
    if r.month is None or r.day is None:
        return None
    return _WEEKDAYS[calendar.weekday(year, r.month, r.day)]


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday_ok(date: StatedDate, year: int | None) -> bool:
    if date.weekday is None or date.month is None or date.day is None or year is None:
        return True
    try:
        return _WEEKDAYS[calendar.weekday(year, date.month, date.day)] == date.weekday
    except ValueError:  # 29 February of a year that has none
        return False


def _weekday_words(date: StatedDate, year: int) -> str | None:
    if date.month is None or date.day is None:
        return None
    try:
        day = datetime.date(year, date.month, date.day)
    except ValueError:
        return None
    shown = wording.date(PartialDate(year, date.month, date.day))
    return f"{shown} was a {_WEEKDAYS[day.weekday()]}"


def _bounds(
    year: int, month: int | None, day: int | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """First and last day a date stated to the year, month or day can mean."""
    try:
        if month is None:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return datetime.date(year, month, 1), datetime.date(year, month, last)
        one = datetime.date(year, month, day)
    except ValueError:
        return None, None
    return one, one


def _first_day(d: PartialDate) -> datetime.date:
    return datetime.date(d.year, d.month or 1, d.day or 1)


def _last_day(d: PartialDate) -> datetime.date:
    month = d.month or 12
    return datetime.date(d.year, month, d.day or calendar.monthrange(d.year, month)[1])


# -------------------------------------------------------------------------- quotations


class _Quotations:
    """The quotations of one text, and whether each occurs in a source the prose rests on."""

    def __init__(self, text: str, prose: _Prose) -> None:
        self.prose = prose
        self.text = text
        self.known: dict[int, bool] = {}
        self._spans: list[tuple[int, int]] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Where each quotation's inside starts and ends (found when first asked)."""
        if self._spans is None:
            self._spans = [
                m.span(1) if m.group(1) is not None else m.span(2)
                for m in _QUOTATION.finditer(self.text)
            ]
        return self._spans

    def _index(self, start: int, end: int) -> int | None:
        for index, (s, e) in enumerate(self.spans):
            if s <= start and end <= e:
                return index
        return None

    def found(self, start: int, end: int) -> bool:
        index = self._index(start, end)
        if index is None:
            return False
        if index not in self.known:
            s, e = self.spans[index]
            wanted = normalize(self.text[s:e])
            quotes = self.prose.quotes
            self.known[index] = bool(wanted) and any(
                (archived := quotes.text_of(source)) is not None and archived.find_all(wanted)
                for source in self.prose.sources
            )
        return self.known[index]

    def hint(self, start: int) -> str:
        if self._index(start, start) is None:
            return ""
        return (
            " (the quotation around it is not in the archived text of "
            + (
                ", ".join(f"'{s.id}'" for s in self.prose.sources)
                if self.prose.sources
                else "any cited source"
            )
            + ", so it does not check itself)"
        )


# ---------------------------------------------------------------------------- locating


class _Locator:
    """Where a piece of a value is in its content file (read only when a problem needs it).

    The model keeps where each value starts; a number inside a folded or multi-line text
    is found by reading the file from there, for the same occurrence of the number's
    words that the value has before it.  When the file cannot be read or does not match,
    the problem points at the value.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[str, list[int]] | None] = {}

    def _file(self, path: str) -> tuple[str, list[int]] | None:
        if path not in self._files:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                self._files[path] = None
            else:
                starts = [0, *(m.end() for m in re.finditer("\n", text))]
                self._files[path] = (text, starts)
        return self._files[path]

    def at(self, loc: Loc, value: str, start: int, end: int) -> Loc:
        words = value[start:end].split()
        data = self._file(loc.path) if loc.path and words else None
        if data is None or not 1 <= loc.line <= len(data[1]):
            return loc
        text, starts = data
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        before = sum(1 for _ in pattern.finditer(value, 0, start))
        base = starts[loc.line - 1] + loc.col - 1
        for count, match in enumerate(pattern.finditer(text, base)):
            if count == before:
                line = bisect.bisect_right(starts, match.start())
                return Loc(loc.path, line, match.start() - starts[line - 1] + 1)
        return loc

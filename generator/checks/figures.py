"""Numbers, qualifiers, names and dates must be stated by the quotes that back them.

For a fact with a number, at least one citation's quote must state that number
with a qualifier of the same family ("nearly 8,000" backs 8000 *nearly*, never
*about* and never 9000).  A citation that records what its own source states
(``states:``) is held to its own quote in the same way, and a quote that
states the fact's number with another qualifier must say so in ``states``
instead of passing silently.  Vague amounts are never parsed into numbers:
their quote must contain the words the fact gives for them.  Who said it is
checked by :mod:`generator.checks.attributions`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from generator.content.fields import PartialDate
from generator.content.model import Citation, Content, Fact, Quantity
from generator.problems import Loc, Problem
from generator.text.numbers import StatedDate, StatedNumber, find_dates, find_numbers
from generator.text.textmatch import normalize
from generator.text.vocabulary import QUALIFIER_WORDS


def format_amount(amount: Decimal) -> str:
    """Digits with thousands separators, as editors and readers write them: 1,400,000."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,}"


def describe(amount: Decimal, qualifier: str, upper: Decimal | None = None) -> str:
    if qualifier == "range" and upper is not None:
        return f"between {format_amount(amount)} and {format_amount(upper)}"
    words = QUALIFIER_WORDS.get(qualifier, qualifier)
    return f"{words} {format_amount(amount)}".strip()


def check(
    content: Content, each_fact: Callable[[Fact], list[Problem]] | None = None
) -> list[Problem]:
    """Check every fact with ``each_fact`` (by default :func:`check_fact`)."""
    each = each_fact or check_fact
    return [problem for fact in content.facts.values() for problem in each(fact)]


def _loc(fact: Fact, citation: Citation | None, key: str) -> Loc:
    if citation is not None:
        if key.startswith("states.") and citation.states is not None and citation.states.where:
            return citation.states.where.of(key.split(".", 1)[1])
        if citation.where:
            return citation.where.of(key)
    if fact.where:
        return fact.where.of(key)
    return Loc("")


def _value_loc(fact: Fact, key: str) -> Loc:
    value = fact.value
    if value is not None and value.where is not None:
        return value.where.of(key)
    return _loc(fact, None, "value")


def _matches(number: StatedNumber, amount: Decimal, upper: Decimal | None) -> bool:
    if number.value != amount:
        return False
    return upper is None or number.upper == upper


def check_fact(fact: Fact) -> list[Problem]:
    """The figures of one fact against the words of its quotes."""
    problems: list[Problem] = []
    value = fact.value
    if value is not None and value.qualifier == "vague":
        problems.extend(_check_vague(fact, value))
    elif value is not None and value.amount is not None:
        problems.extend(_check_number(fact, value, value.amount))
    problems.extend(_check_words(fact))
    return problems


def _check_number(fact: Fact, value: Quantity, amount: Decimal) -> list[Problem]:
    problems: list[Problem] = []
    fact_upper = value.upper if value.qualifier == "range" else None
    stated_by_some = False
    for number, citation in enumerate(fact.citations, start=1):
        states = citation.states
        own_amount = states.amount if states and states.amount is not None else amount
        own_upper = states.upper if states and states.upper is not None else fact_upper
        own_qualifier = states.qualifier if states and states.qualifier else value.qualifier
        if own_upper is not None and own_qualifier != "range" and states and states.upper:
            own_qualifier = "range"
        overridden = states is not None and (
            states.amount is not None or states.qualifier is not None or states.upper is not None
        )
        found = [n for n in find_numbers(citation.quote) if _matches(n, own_amount, own_upper)]
        label = f"fact '{fact.id}', citation {number}"
        expected = describe(own_amount, own_qualifier, own_upper)
        if not found:
            if overridden:
                problems.append(
                    Problem(
                        _loc(fact, citation, "quote"),
                        f"{label}: 'states' gives {expected}, but the quote does not state "
                        f"{format_amount(own_amount)}; quote the passage with the number",
                    )
                )
            continue
        if any(_qualifier_agrees(n, own_qualifier) for n in found):
            if not overridden:
                stated_by_some = True
            continue
        said = found[0]
        said_family = "range" if said.upper is not None else said.qualifier
        hint = (
            f"if this source words it differently, record that under this citation as "
            f"'states: {{qualifier: {said_family}}}'"
            if not overridden
            else f"set 'states: {{qualifier: {said_family}}}' to what the quote says"
        )
        problems.append(
            Problem(
                _loc(fact, citation, "states.qualifier" if overridden else "quote"),
                f"{label}: the quote says '{said.text}' ({_family_words(said)}), but "
                f"{'this citation states' if overridden else 'the fact says'} "
                f"'{expected}'; {hint}",
            )
        )
    if not stated_by_some:
        problems.append(
            Problem(
                _value_loc(fact, "amount"),
                f"fact '{fact.id}': no citation's quote states "
                f"{describe(amount, value.qualifier, fact_upper)}; every number must be backed "
                'word for word: quote the passage that gives it ("1.4 million" states '
                '1400000, "nearly 8,000" states 8000 with qualifier nearly)',
            )
        )
    return problems


def _qualifier_agrees(number: StatedNumber, qualifier: str) -> bool:
    if qualifier == "range":
        return number.upper is not None
    return number.upper is None and number.qualifier == qualifier


def _family_words(number: StatedNumber) -> str:
    if number.upper is not None:
        return "a range"
    if number.qualifier == "exact":
        return "no qualifier"
    return f"qualifier {number.qualifier}"


def _check_vague(fact: Fact, value: Quantity) -> list[Problem]:
    words = normalize(value.words or "").casefold()
    if any(words in normalize(c.quote).casefold() for c in fact.citations):
        return []
    return [
        Problem(
            _value_loc(fact, "words"),
            f"fact '{fact.id}': no citation's quote contains the words '{value.words}'; "
            "quote the passage that gives the vague amount, in its own words",
        )
    ]


def _date_states(found: StatedDate, date: PartialDate) -> bool:
    """Whether a date written in a quote states ``date``, as precisely as ``date`` gives it.

    A quote that leaves out the year ("May 26") states a day of any year: the year of a
    source's date follows from when it was published, as for the fact's own date.
    """
    if found.year is not None and found.year != date.year:
        return False
    if date.month is None:
        return found.year == date.year
    if found.month != date.month:
        return False
    return date.day is None or found.day == date.day


def _check_words(fact: Fact) -> list[Problem]:
    """Names and dates recorded for a citation must be in its quote; fact names in one."""
    problems: list[Problem] = []
    for number, citation in enumerate(fact.citations, start=1):
        states = citation.states
        if states is None:
            continue
        quote = normalize(citation.quote)
        label = f"fact '{fact.id}', citation {number}"
        if states.date is not None and not any(
            _date_states(d, states.date) for d in find_dates(citation.quote)
        ):
            problems.append(
                Problem(
                    _loc(fact, citation, "states.date"),
                    f"{label}: 'states' gives the date {states.date.iso()}, but the quote does "
                    'not state it; quote the passage with the date ("May 26", "26 May '
                    '2023", "2023-05-26")',
                )
            )
        for name in states.names or []:
            if normalize(name) not in quote:
                problems.append(
                    Problem(
                        _loc(fact, citation, "states.names"),
                        f"{label}: the quote does not contain the name '{name}' as written; "
                        "copy names exactly from the quote",
                    )
                )
    if fact.names:
        plain = [c for c in fact.citations if c.states is None or c.states.names is None]
        for name in fact.names:
            wanted = normalize(name)
            if not any(wanted in normalize(c.quote) for c in plain):
                problems.append(
                    Problem(
                        _loc(fact, None, "names"),
                        f"fact '{fact.id}': no citation's quote contains the name '{name}' as "
                        "written; copy names exactly from a quote (or record a source's own "
                        "names under its citation's 'states: names')",
                    )
                )
    return problems

"""Tests for generator.text.numbers: every numeric and date form in the bundled sources,
the general forms of the rules, and the traps that general-purpose parsers fall into."""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from generator.text.numbers import (
    QUALIFIER_FAMILIES,
    StatedDate,
    StatedNumber,
    VagueAmount,
    find_dates,
    find_numbers,
    find_vague_amounts,
    qualifier_family,
    stated_in,
    states_number,
)

SOURCES = Path(__file__).resolve().parents[1] / "content" / "sources"
REUTERS = SOURCES / "reuters-2023-self-media.txt"
REWRITE = SOURCES / "rewrite-2023-05-28-self-media.txt"

FAMILIES = ("exact", "about", "nearly", "more-than", "at-least", "up-to", "fewer-than")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _vq(text: str) -> list[tuple[Decimal, str]]:
    return [(n.value, n.qualifier) for n in find_numbers(text)]


def _one(text: str) -> StatedNumber:
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


D = Decimal


# ----------------------------------------------------------------- whole bundled texts

REUTERS_NUMBERS = [
    (D(1400000), "exact", "1.4 million"),  # headline
    (D(1400000), "exact", "1.4 million"),
    (D(2), "exact", "two-month"),
    (D(67000), "exact", "67,000"),
    (D(67000), "exact", "67,000"),  # "Of the 67,000"
    (D(8000), "nearly", "nearly 8,000"),
    (D(930000), "about", "About 930,000"),
    (D(100000), "more-than", "more than 100,000"),
    (D(13000), "nearly", "nearly 13,000"),
    (D(25000), "about", "About 25,000"),
    (D(187000), "nearly", "Nearly 187,000"),
    (D(430000), "more-than", "more than 430,000"),
    (D(45000), "about", "About 45,000"),
]
REWRITE_NUMBERS = [
    (D(1400000), "exact", "1.4 million"),
    (D(2), "exact", "two-month"),
    (D(67000), "exact", "67,000"),
    (D(67000), "exact", "67,000"),  # "Out of the 67,000"
    (D(8000), "nearly", "nearly 8,000"),
    (D(930000), "about", "Around 930,000"),
    (D(100000), "more-than", "over 100,000"),
    (D(13000), "about", "approximately 13,000"),
    (D(25000), "exact", "25,000"),  # "Furthermore, 25,000"
    (D(430000), "more-than", "over 430,000"),
    (D(45000), "exact", "45,000"),  # "Another 45,000"
]
REUTERS_DATES = [
    ("Friday", None, None, None, "Friday"),
    ("March 10", None, 3, 10, None),
    ("May 22", None, 5, 22, None),
    ("2021", 2021, None, None, None),
    ("Friday", None, None, None, "Friday"),
    ("2023", 2023, None, None, None),  # "© Thomson Reuters 2023"
]
REWRITE_DATES = [
    ("2023-05-28", 2023, 5, 28, None),
    ("March 10", None, 3, 10, None),
    ("May 22", None, 5, 22, None),
    ("2021", 2021, None, None, None),
]


@pytest.mark.parametrize(
    ("path", "expected"),
    [(REUTERS, REUTERS_NUMBERS), (REWRITE, REWRITE_NUMBERS)],
    ids=["reuters", "rewrite"],
)
def test_whole_source_numbers_value_and_qualifier(
    path: Path, expected: list[tuple[Decimal, str, str]]
) -> None:
    assert _vq(_read(path)) == [(v, q) for v, q, _ in expected]


@pytest.mark.parametrize(
    ("path", "expected"),
    [(REUTERS, REUTERS_NUMBERS), (REWRITE, REWRITE_NUMBERS)],
    ids=["reuters", "rewrite"],
)
def test_whole_source_numbers_text_and_offsets(
    path: Path, expected: list[tuple[Decimal, str, str]]
) -> None:
    text = _read(path)
    found = find_numbers(text)
    assert [n.text for n in found] == [t for _, _, t in expected]
    for n in found:
        assert text[n.start : n.end] == n.text
        assert n.upper is None and n.unit is None
    assert [n.start for n in found] == sorted(n.start for n in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    ("path", "expected"),
    [(REUTERS, REUTERS_DATES), (REWRITE, REWRITE_DATES)],
    ids=["reuters", "rewrite"],
)
def test_whole_source_dates(
    path: Path, expected: list[tuple[str, int | None, int | None, int | None, str | None]]
) -> None:
    text = _read(path)
    found = find_dates(text)
    assert [(d.text, d.year, d.month, d.day, d.weekday) for d in found] == expected
    for d in found:
        assert text[d.start : d.end] == d.text


@pytest.mark.parametrize("path", [REUTERS, REWRITE], ids=["reuters", "rewrite"])
def test_whole_source_vague_amounts(path: Path) -> None:
    text = _read(path)
    found = find_vague_amounts(text)
    assert [v.text for v in found] == ["hundreds of thousands", "billions"]
    for v in found:
        assert text[v.start : v.end] == v.text


def test_sources_have_not_changed_under_the_tests() -> None:
    # The lists above were read off these texts; a changed source must fail loudly here.
    reuters, rewrite = _read(REUTERS), _read(REWRITE)
    for phrase in ("Galaxy A34 5G", "Nothing Phone 1", "iQoo Neo 7", "Gadgets 360 podcast"):
        assert phrase in reuters
    assert "© Thomson Reuters 2023" in reuters
    assert rewrite.lstrip().startswith("date 2023-05-28")


# --------------------------------------------------- each form in the sources, in isolation

SOURCE_FORMS = [
    # (snippet as written in a source, value, qualifier, qualifier_text, text)
    ("deleting 1.4 million social media posts", D(1400000), "exact", "", "1.4 million"),
    ("after a two-month investigation", D(2), "exact", "", "two-month"),
    ("it closed 67,000 social media accounts", D(67000), "exact", "", "67,000"),
    ("Of the 67,000 accounts permanently closed", D(67000), "exact", "", "67,000"),
    ("Out of the 67,000 permanently closed", D(67000), "exact", "", "67,000"),
    ("nearly 8,000 were deleted", D(8000), "nearly", "nearly", "nearly 8,000"),
    ("About 930,000 other accounts", D(930000), "about", "About", "About 930,000"),
    ("Around 930,000 other accounts", D(930000), "about", "Around", "Around 930,000"),
    ("shut down more than 100,000 accounts", D(100000), "more-than", "more than", None),
    ("closed over 100,000 accounts", D(100000), "more-than", "over", "over 100,000"),
    ("targeted nearly 13,000 fake military", D(13000), "nearly", "nearly", "nearly 13,000"),
    ("approximately 13,000 counterfeit", D(13000), "about", "approximately", None),
    ("About 25,000 other accounts", D(25000), "about", "About", "About 25,000"),
    ("Furthermore, 25,000 accounts were flagged", D(25000), "exact", "", "25,000"),
    ("Nearly 187,000 have been sanctioned", D(187000), "nearly", "Nearly", "Nearly 187,000"),
    ("while more than 430,000 are alleged", D(430000), "more-than", "more than", None),
    ("while over 430,000 accounts provided", D(430000), "more-than", "over", "over 430,000"),
    ("About 45,000 accounts have been closed", D(45000), "about", "About", "About 45,000"),
    ("Another 45,000 accounts were closed", D(45000), "exact", "", "45,000"),
]


@pytest.mark.parametrize(
    ("snippet", "value", "qualifier", "qualifier_text", "text"),
    SOURCE_FORMS,
    ids=[s for s, *_ in SOURCE_FORMS],
)
def test_source_forms(
    snippet: str, value: Decimal, qualifier: str, qualifier_text: str, text: str | None
) -> None:
    n = _one(snippet)
    assert (n.value, n.qualifier, n.qualifier_text) == (value, qualifier, qualifier_text)
    expected_text = text if text is not None else f"{qualifier_text} {n.text.split()[-1]}"
    assert n.text == expected_text
    assert snippet[n.start : n.end] == n.text


@pytest.mark.parametrize(
    "snippet",
    [
        "deleted hundreds of thousands of posts between March 10 and May 22",
        "China has targeted billions of social media accounts",
        "Since 2021, China has targeted",
        "The CAC said in a statement on Friday that",
        "The Counter-Terrorism Committee said Friday that",
        "© Thomson Reuters 2023",
        " date 2023-05-28 China’s Cyberspace Administration",
        "Samsung Galaxy A34 5G was recently launched",
        "along with the more expensive Galaxy A54 5G smartphone",
        "How does this phone deal with Nothing Phone 1 and iQoo Neo 7?",
        "We discuss this and more on Orbital, the Gadgets 360 podcast.",
        "the “China Counter-Terrorism Force,” and “Strategic Missile Force.”",
    ],
)
def test_source_phrases_that_state_no_number(snippet: str) -> None:
    assert find_numbers(snippet) == []


MARCH_10 = ("March 10", None, 3, 10, None)
MAY_22 = ("May 22", None, 5, 22, None)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("between March 10 and May 22", [MARCH_10, MAY_22]),
        ("Between March 10 and May 22, the probe", [MARCH_10, MAY_22]),
        ("Since 2021, China", [("2021", 2021, None, None, None)]),
        ("ongoing since 2021, aiming", [("2021", 2021, None, None, None)]),
        ("in a statement on Friday that", [("Friday", None, None, None, "Friday")]),
        ("© Thomson Reuters 2023", [("2023", 2023, None, None, None)]),
        (" date 2023-05-28 China", [("2023-05-28", 2023, 5, 28, None)]),
    ],
)  # fmt: skip
def test_source_dates(
    snippet: str, expected: list[tuple[str, int | None, int | None, int | None, str | None]]
) -> None:
    assert [(d.text, d.year, d.month, d.day, d.weekday) for d in find_dates(snippet)] == expected


# ------------------------------------------------------------------------ general forms

GENERAL_FORMS = [
    # digits and separators
    ("1,400,000", D(1400000), None, None),
    ("8000", D(8000), None, None),
    ("1.4", D("1.4"), None, None),
    ("1,234.5", D("1234.5"), None, None),
    ("0.5", D("0.5"), None, None),
    ("67\u00a0000 people", D(67000), None, None),
    # scale words and news abbreviations
    ("1.4 million", D(1400000), None, None),
    ("1.4 Million", D(1400000), None, None),
    ("1.4million", D(1400000), None, None),
    ("67 thousand", D(67000), None, None),
    ("1.4m users", D(1400000), None, None),
    ("1.4M users", D(1400000), None, None),
    ("1.4 mln", D(1400000), None, None),
    ("2 mn", D(2000000), None, None),
    ("2bn", D(2000000000), None, None),
    ("3 bn", D(3000000000), None, None),
    ("1.2 trillion", D(1200000000000), None, None),
    ("4tn", D(4000000000000), None, None),
    ("5k", D(5000), None, None),
    # currency is in text, not in the value
    ("$2.5bn", D(2500000000), None, None),
    ("US$3m", D(3000000), None, None),
    ("£5m", D(5000000), None, None),
    ("€3.2 billion", D(3200000000), None, None),
    ("$5K", D(5000), None, None),
    ("$2B", D(2000000000), None, None),
    # number words
    ("two hundred", D(200), None, None),
    ("two hundred and fifty", D(250), None, None),
    ("a hundred and fifty", D(150), None, None),
    ("twenty-five thousand", D(25000), None, None),
    ("Twenty-five thousand", D(25000), None, None),
    ("twenty five", D(25), None, None),
    ("fifteen hundred", D(1500), None, None),
    ("one point four million", D(1400000), None, None),
    ("two point five billion", D(2500000000), None, None),
    ("a million", D(1000000), None, None),
    ("a hundred thousand", D(100000), None, None),
    ("half a million", D(500000), None, None),
    ("one and a half million", D(1500000), None, None),
    ("two and a half years", D("2.5"), None, None),
    ("a dozen", D(12), None, None),
    ("two dozen", D(24), None, None),
    ("half a dozen", D(6), None, None),
    ("zero", D(0), None, None),
    ("ninety-nine", D(99), None, None),
    # hyphenated adjectival forms
    ("a two-month investigation", D(2), None, None),
    ("a 10-year plan", D(10), None, None),
    ("a 12-year-old", D(12), None, None),
    ("the 45,000-strong force", D(45000), None, None),
    # percentages
    ("40%", D(40), None, "percent"),
    ("40 %", D(40), None, "percent"),
    ("3.5%", D("3.5"), None, "percent"),
    ("40 percent", D(40), None, "percent"),
    ("40 per cent", D(40), None, "percent"),
    ("40 pct", D(40), None, "percent"),
    ("forty percent", D(40), None, "percent"),
    # ranges
    ("between 10 and 20", D(10), D(20), None),
    ("between ten and twenty", D(10), D(20), None),
    ("10 to 20", D(10), D(20), None),
    ("10-20", D(10), D(20), None),
    ("10–20", D(10), D(20), None),
    ("10 – 20", D(10), D(20), None),
    ("10 to 20 million", D(10000000), D(20000000), None),
    ("between 5 and 10 million", D(5000000), D(10000000), None),
    ("1.5-2 million", D(1500000), D(2000000), None),
    ("2 to 3 bn", D(2000000000), D(3000000000), None),
    ("$10-20 million", D(10000000), D(20000000), None),
    ("3,000-4,000", D(3000), D(4000), None),
    ("500 to 2 million", D(500), D(2000000), None),
    ("500,000 to 2 million", D(500000), D(2000000), None),
    ("10-20%", D(10), D(20), "percent"),
    ("10%-20%", D(10), D(20), "percent"),
]


@pytest.mark.parametrize(
    ("text", "value", "upper", "unit"), GENERAL_FORMS, ids=[t for t, *_ in GENERAL_FORMS]
)
def test_general_forms(text: str, value: Decimal, upper: Decimal | None, unit: str | None) -> None:
    n = _one(text)
    assert (n.value, n.upper, n.unit, n.qualifier) == (value, upper, unit, "exact")
    assert text[n.start : n.end] == n.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$2.5bn", "$2.5bn"),
        ("US$3m", "US$3m"),
        ("a two-month investigation", "two-month"),
        ("a 10-year plan", "10-year"),
        ("40 per cent of", "40 per cent"),
        ("about a dozen eggs", "about a dozen"),
        ("half a million people", "half a million"),
        ("some between 10 and 20 people", "some between 10 and 20"),
        ("about 10 to 20 million", "about 10 to 20 million"),
        ("in excess of $1bn", "in excess of $1bn"),
    ],
)
def test_matched_text(text: str, expected: str) -> None:
    assert _one(text).text == expected


def test_values_are_plain_integers_when_whole() -> None:
    # 1.4 * 10**6 computed in Decimal is 1400000.0; the API hands out 1400000.
    assert str(_one("1.4 million").value) == "1400000"
    assert str(_one("one point four million").value) == "1400000"
    assert str(_one("3.50%").value) == "3.5"


# ---------------------------------------------------------------------------- qualifiers

ALL_PHRASES = [(fam, p) for fam, phrases in QUALIFIER_FAMILIES.items() for p in phrases]


def test_qualifier_families_are_the_canonical_seven() -> None:
    assert set(QUALIFIER_FAMILIES) == set(FAMILIES)
    for phrases in QUALIFIER_FAMILIES.values():
        assert phrases and all(p == p.lower().strip() for p in phrases)
    assert QUALIFIER_FAMILIES["exact"] == ("exactly", "precisely")
    assert "close to" in QUALIFIER_FAMILIES["nearly"]
    assert "close to" not in QUALIFIER_FAMILIES["about"]


@pytest.mark.parametrize(("family", "phrase"), ALL_PHRASES, ids=[p for _, p in ALL_PHRASES])
def test_qualifier_family_of_every_phrase(family: str, phrase: str) -> None:
    assert qualifier_family(phrase) == family
    assert qualifier_family(phrase.upper()) == family
    assert qualifier_family(f"  {phrase.capitalize()} ") == family


@pytest.mark.parametrize(("family", "phrase"), ALL_PHRASES, ids=[p for _, p in ALL_PHRASES])
def test_every_qualifier_phrase_before_a_number(family: str, phrase: str) -> None:
    for written in (phrase, phrase.capitalize()):
        n = _one(f"Officials said {written} 5,000 accounts were closed.")
        assert (n.value, n.qualifier, n.qualifier_text) == (D(5000), family, written)
        assert n.text == f"{written} 5,000"


@pytest.mark.parametrize(
    ("words", "family"),
    [
        ("Around", "about"),
        ("more than", "more-than"),
        ("More  Than", "more-than"),
        ("close to", "nearly"),
        ("just under", "nearly"),
        ("under", "fewer-than"),
        ("no more than", "up-to"),
        ("no fewer than", "at-least"),
        ("more-than", "more-than"),  # a family name maps to itself
        ("", "exact"),
        ("exactly", "exact"),
        ("another", None),
        ("furthermore", None),
        ("of the", None),
        ("a total of", None),
    ],
)
def test_qualifier_family(words: str, family: str | None) -> None:
    assert qualifier_family(words) == family


@pytest.mark.parametrize(
    ("text", "family", "qualifier_text"),
    [
        ("no more than 10", "up-to", "no more than"),  # not "more than"
        ("not more than 10", "up-to", "not more than"),
        ("just under 10", "nearly", "just under"),  # not "under"
        ("just over 10", "more-than", "just over"),
        ("an estimated 12,000", "about", "an estimated"),
        ("ca. 300", "about", "ca."),
        ("NEARLY 8,000", "nearly", "NEARLY"),
        ("about $5m", "about", "about"),
        ("Another 45,000", "exact", ""),
        ("Of the 67,000", "exact", ""),
        ("Out of the 67,000", "exact", ""),
        ("Furthermore, 25,000", "exact", ""),
        ("moreover 10", "exact", ""),  # "over" inside a word is no qualifier
        ("roundabout 10", "exact", ""),
        ("about\n10", "exact", ""),  # never across a line break
        ("only 40", "exact", ""),
        ("just 40", "exact", ""),
    ],
)
def test_qualifier_edge_cases(text: str, family: str, qualifier_text: str) -> None:
    n = _one(text)
    assert (n.qualifier, n.qualifier_text) == (family, qualifier_text)


# --------------------------------------------------------------------------------- traps


def test_1_4m_is_one_point_four_million_not_metres() -> None:
    assert _vq("1.4m posts") == [(D(1400000), "exact")]
    assert not states_number("1.4m posts", D("1.4"))


def test_one_point_four_million_is_not_four_million() -> None:
    found = find_numbers("one point four million posts")
    assert [(n.value, n.text) for n in found] == [(D(1400000), "one point four million")]
    assert not states_number("one point four million posts", D(4000000))
    assert not states_number("one point four million posts", D(4))


def test_8000_never_equals_9000() -> None:
    assert states_number("nearly 8,000 were deleted", D(8000))
    assert not states_number("nearly 8,000 were deleted", D(9000))
    assert not states_number("nearly 8,000 were deleted", D(7999))
    assert not states_number("nearly 8,000 were deleted", D("8000.5"))


def test_another_45000_is_exact() -> None:
    n = _one("Another 45,000 accounts were closed")
    assert (n.value, n.qualifier, n.qualifier_text, n.text) == (D(45000), "exact", "", "45,000")


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("hundreds of thousands of posts", "hundreds of thousands"),
        ("Hundreds of thousands of posts", "Hundreds of thousands"),
        ("billions of social media accounts", "billions"),
        ("thousands of posts", "thousands"),
        ("millions of users", "millions"),
        ("dozens of accounts", "dozens"),
        ("tens of millions of users", "tens of millions"),
        ("hundreds of millions of dollars", "hundreds of millions"),
        ("scores of people", "scores"),
        ("several thousand accounts", "several thousand"),
        ("several hundred thousand accounts", "several hundred thousand"),
        ("a few hundred accounts", "a few hundred"),
        ("a couple of million users", "a couple of million"),
        ("many thousands of users", "thousands"),
    ],
)
def test_vague_amounts_are_never_numbers(text: str, vague: str) -> None:
    assert find_numbers(text) == []
    assert [v.text for v in find_vague_amounts(text)] == [vague]
    assert not states_number(text, D(100))
    assert not states_number(text, D(1000))


def test_vague_amount_next_to_a_number() -> None:
    text = "67,000 accounts and hundreds of thousands of posts"
    assert _vq(text) == [(D(67000), "exact")]
    assert find_vague_amounts(text) == [VagueAmount("hundreds of thousands", 20, 41)]


@pytest.mark.parametrize(
    "text",
    [
        "Samsung Galaxy A34 5G",  # no 34, no 5
        "an mp3 file",
        "a 4K TV",  # 4K is a screen, not 4,000
        "the 5G network",
        "a 10km queue",
        "at 3pm",
        "at 3 p.m.",
        "at 10:30",
        "the 1st time",
        "the twenty-first century",
        "two-thirds of voters",
        "2-thirds of voters",
        "COVID-19 cases",
        "version 1.2.3",
        "the 1990s",
        "a ratio of 1/2",
        "code 007",
        "a .5 rise",
        "1,4",
        "no one came",
        "they help one another",
        "someone said",
        "often",
        "No. 10 Downing Street",
        "ranked #1",
        "Nothing Phone 1",
        "iQoo Neo 7",
        "the Gadgets 360 podcast",
        "a Boeing 737",
        "several thousand",
        "thousands",
        "hundred",
        "2b",  # b needs a currency symbol
    ],
)
def test_no_number_read(text: str) -> None:
    assert find_numbers(text) == []


def test_ranges_are_not_read_from_changes_scores_or_descents() -> None:
    assert _vq("rose from 10 to 20") == [(D(10), "exact"), (D(20), "exact")]
    assert _vq("a 3-2 win") == [(D(3), "exact"), (D(2), "exact")]
    assert _vq("cut 20 to 2") == [(D(20), "exact"), (D(2), "exact")]
    assert all(n.upper is None for n in find_numbers("rose from 10 to 20"))


def test_range_with_qualifier() -> None:
    n = _one("up to 10-20%")
    assert (n.value, n.upper, n.qualifier, n.unit) == (D(10), D(20), "up-to", "percent")


# ----------------------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("since 2021", 2021),
        ("Since 2021, China", 2021),
        ("in 2023", 2023),
        ("© Thomson Reuters 2023", 2023),
        ("Reuters 2023", 2023),
        ("the 2022 elections", 2022),
        ("its 2023 results", 2023),
        ("mid-2021", 2021),
        ("between 2020 and 2022", 2020),
        ("2021 was hard", 2021),
        ("2021 marks a turn", 2021),  # a sentence-initial year, not a count
        ("In March, 2021 accounts", 2021),
    ],
)
def test_years_are_dates_not_numbers(text: str, year: int) -> None:
    assert find_numbers(text) == []
    assert find_dates(text)[0].year == year


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("closed 2021 accounts", D(2021), "exact"),
        ("with 2000 people marching", D(2000), "exact"),
        ("more than 2000 people", D(2000), "more-than"),
        ("about 1950", D(1950), "about"),
        ("2,021 accounts", D(2021), "exact"),
        ("$2021", D(2021), "exact"),
        ("2021.5", D("2021.5"), "exact"),
        ("2100 people", D(2100), "exact"),  # outside 1900-2099
        ("1850", D(1850), "exact"),
    ],
)
def test_four_digit_counts_are_numbers(text: str, value: Decimal, qualifier: str) -> None:
    assert _vq(text) == [(value, qualifier)]
    assert [d for d in find_dates(text) if d.year == value] == []


# ----------------------------------------------------------------------------- dates

DATE_FORMS = [
    ("March 10", ("March 10", None, 3, 10, None)),
    ("May 22", ("May 22", None, 5, 22, None)),
    ("10 March", ("10 March", None, 3, 10, None)),
    ("on 10 March, 45 people", ("10 March", None, 3, 10, None)),
    ("Mar. 10th", ("Mar. 10th", None, 3, 10, None)),
    ("10th of March 2023", ("10th of March 2023", 2023, 3, 10, None)),
    ("March 10, 2023", ("March 10, 2023", 2023, 3, 10, None)),
    ("10 March 2023", ("10 March 2023", 2023, 3, 10, None)),
    ("May 2023", ("May 2023", 2023, 5, None, None)),
    ("SEPT 2023", ("SEPT 2023", 2023, 9, None, None)),
    ("2023-05-28", ("2023-05-28", 2023, 5, 28, None)),
    ("the 2022-23 season", ("2022-23", 2022, None, None, None)),
    ("March 10-12", ("March 10-12", None, 3, 10, None)),
    ("10–12 March", ("10–12 March", None, 3, 10, None)),
    ("Friday", ("Friday", None, None, None, "Friday")),
    ("on Friday", ("Friday", None, None, None, "Friday")),
    ("FRIDAY", ("FRIDAY", None, None, None, "Friday")),
    ("Friday, March 10", ("Friday, March 10", None, 3, 10, "Friday")),
    ("Friday 10 March 2023", ("Friday 10 March 2023", 2023, 3, 10, "Friday")),
    ("29 February 2024", ("29 February 2024", 2024, 2, 29, None)),
]


@pytest.mark.parametrize(("text", "expected"), DATE_FORMS, ids=[t for t, _ in DATE_FORMS])
def test_date_forms(
    text: str, expected: tuple[str, int | None, int | None, int | None, str | None]
) -> None:
    found = find_dates(text)
    assert [(d.text, d.year, d.month, d.day, d.weekday) for d in found] == [expected]
    d = found[0]
    assert text[d.start : d.end] == d.text
    # the day and the year of a date are not numbers
    assert all(n.value not in (10, 12, 22, 28, 29, 2023, 2024) for n in find_numbers(text))


@pytest.mark.parametrize(
    "text",
    [
        "February 30",  # impossible
        "29 February 2023",  # not a leap year
        "2023-02-29",
        "2023-13-01",
        "March 32",
        "31 June",
        "in May",  # a month alone is no concrete date
        "you may 10",  # verbs are not months
        "they march 10 miles",
        "Fridays",
    ],
)
def test_not_dates(text: str) -> None:
    assert [d for d in find_dates(text) if d.month is not None or d.weekday] == []


def test_impossible_dates_yield_no_day_numbers() -> None:
    assert find_numbers("February 30") == []
    assert find_numbers("2023-13-01") == []


def test_dates_in_order_with_everything_else() -> None:
    text = "On Friday, 45,000 of 67,000 accounts (since 2021) closed between March 10 and May 22."
    assert [d.text for d in find_dates(text)] == ["Friday", "2021", "March 10", "May 22"]
    assert _vq(text) == [(D(45000), "exact"), (D(67000), "exact")]


# ---------------------------------------------------------------------- states_number


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "expected"),
    [
        ("Nearly 187,000 have been sanctioned", D(187000), None, True),
        ("Nearly 187,000 have been sanctioned", D(187000), "nearly", True),
        ("Nearly 187,000 have been sanctioned", D(187000), "Almost", True),
        ("Nearly 187,000 have been sanctioned", D(187000), "about", False),
        ("Nearly 187,000 have been sanctioned", D(187000), "exact", False),
        ("Another 45,000 accounts", D(45000), "exact", True),
        ("Another 45,000 accounts", 45000, None, True),
        ("Around 930,000 other accounts", D(930000), "about", True),
        ("Around 930,000 other accounts", D(930000), "Approximately", True),
        ("over 430,000 accounts", D(430000), "more than", True),
        ("over 430,000 accounts", D(430000), "at-least", False),
        ("between 10 and 20", D(20), None, True),
        ("between 10 and 20", D(15), None, False),
        ("40% of users", D(40), None, True),
        ("1.4 million", D("1.4E+6"), None, True),
        ("1.4 million", D(1400001), None, False),
        ("hundreds of thousands", D(100000), None, False),
        ("since 2021", D(2021), None, False),
    ],
)
def test_states_number(
    text: str, value: Decimal | int, qualifier: str | None, expected: bool
) -> None:
    assert states_number(text, value, qualifier) is expected


def test_states_number_rejects_unknown_qualifiers_and_floats() -> None:
    with pytest.raises(ValueError, match="unknown qualifier"):
        states_number("about 5", D(5), "approximately-ish")
    with pytest.raises(TypeError):
        states_number("1.4 million", 1.4e6)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [REUTERS, REWRITE], ids=["reuters", "rewrite"])
def test_states_every_figure_of_its_source(path: Path) -> None:
    text = _read(path)
    expected = REUTERS_NUMBERS if path == REUTERS else REWRITE_NUMBERS
    for value, qualifier, _ in expected:
        assert states_number(text, value, qualifier)
    assert not states_number(text, D(9000))
    assert not states_number(text, D(2021))  # a year, not a count
    assert not states_number(text, D(34))  # "A34"
    assert not states_number(text, D(4000000))


# ------------------------------------------------------------------ systematic round trips

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int, british: bool) -> str:
    """English words for n (independent of the parser under test)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS_WORDS[tens] + (f"-{_ONES[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        joiner = " and " if british else " "
        return f"{_ONES[hundreds]} hundred" + (joiner + _words(rest, british) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= size:
            head, rest = divmod(n, size)
            text = f"{_words(head, british)} {name}"
            if rest:
                text += (" and " if british and rest < 100 else " ") + _words(rest, british)
            return text
    raise AssertionError(n)


ROUND_TRIP = sorted(
    {*range(0, 120), *range(120, 1_000_000, 7919), 1000, 1005, 1100, 10_000, 100_000,
     999_999, 1_000_000, 1_000_001, 2_500_000, 999_999_999, 1_000_000_000, 7_000_000_021}
)  # fmt: skip


@pytest.mark.parametrize("british", [True, False], ids=["with-and", "without-and"])
def test_number_words_round_trip(british: bool) -> None:
    failures = []
    for n in ROUND_TRIP:
        text = f"officials counted {_words(n, british)} accounts"
        got = _vq(text)
        if got != [(D(n), "exact")]:
            failures.append((text, got))
    assert failures == []


def test_digit_forms_round_trip() -> None:
    failures = []
    for n in ROUND_TRIP:
        forms = [f"{n:,}"]
        if not 1900 <= n <= 2099:  # plain 1900-2099 are years
            forms.append(str(n))
        for form in forms:
            got = _vq(f"officials counted {form} accounts")
            if got != [(D(n), "exact")]:
                failures.append((form, got))
    assert failures == []


# ----------------------------------------------------------------------- API behaviour


def test_results_are_frozen_and_fresh_lists() -> None:
    text = _read(REUTERS)
    numbers = find_numbers(text)
    with pytest.raises(dataclasses.FrozenInstanceError):
        numbers[0].value = D(1)  # type: ignore[misc]
    numbers.clear()
    find_dates(text).clear()
    find_vague_amounts(text).clear()
    assert len(find_numbers(text)) == len(REUTERS_NUMBERS)
    assert len(find_dates(text)) == len(REUTERS_DATES)
    assert len(find_vague_amounts(text)) == 2


def test_dataclass_shapes() -> None:
    assert [f.name for f in dataclasses.fields(StatedNumber)] == [
        "value", "qualifier", "qualifier_text", "text", "start", "end", "upper", "unit",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(StatedDate)] == [
        "text", "start", "end", "year", "month", "day", "weekday",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(VagueAmount)] == ["text", "start", "end"]
    n = StatedNumber(D(1), "exact", "", "1", 0, 1)
    assert n.upper is None and n.unit is None


def test_empty_and_numberless_text() -> None:
    assert find_numbers("") == []
    assert find_dates("") == []
    assert find_vague_amounts("") == []
    assert find_numbers("No figures here at all.") == []


@pytest.mark.parametrize("path", [REUTERS, REWRITE], ids=["reuters", "rewrite"])
def test_stated_in_finds_what_the_remembering_functions_find(path: Path) -> None:
    from generator.text import numbers

    for paragraph in _read(path).split("\n\n"):
        before = numbers._scan.cache_info().currsize
        found = stated_in(paragraph)
        # text read once (each sentence of an archived text) does not push quotes out
        assert numbers._scan.cache_info().currsize == before
        assert found == (
            find_numbers(paragraph),
            find_vague_amounts(paragraph),
            find_dates(paragraph),
        )

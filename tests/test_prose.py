"""No unchecked number in prose: one test per rule of :mod:`generator.checks.prose`.

Most tests write a small content directory (one source, one sheet, a few facts) whose
prose each test changes; the last ones break the bundled sheet as an editor would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from generator.checks import PLAIN, CheckSteps, Findings, run_checks
from generator.checks.prose import read
from generator.content.loader import load_content
from generator.content.model import Content
from generator.generate import check
from generator.problems import Problem
from generator.speed.memo import memoised, next_run

from .conftest import SHEET_DIR, Run, edit, line_of

SOURCE_TEXT = """\
Regulator closes accounts

The agency said on Friday that it closed 67,000 accounts after a two-month inquiry, and
that nearly 8,000 of them had spread rumours. Another report put the rumour accounts at
about 8,000. Between 10 and 20 officials took part, and its 12 inspectors worked from
March 10 to May 22.

© Example News 2023
"""

SOURCE = """\
id: example-news
title: Regulator closes accounts
type: news-article
published: 2023-05-28
archive:
  file: example-news.txt
  sha256: {sha256}
"""

SHEET = """\
id: accounts
title: Accounts closed in 2023
description: Accounts closed, March–May 2023.
as_of: 2023-05-28
period:
  start: 2023-03-10
  end: 2023-05-22
summary: |
{summary}
topics:
  - id: main
    title: Accounts
{sheet_extra}"""

SUMMARY = """\
The agency closed 67,000 accounts after a two-month inquiry, nearly
8,000 of them for spreading rumours."""

FACTS = """\
facts:
  - id: closed
    topic: main
    label: Accounts closed
    statement: The agency closed 67,000 accounts.
    value: {{amount: 67000, unit: accounts, qualifier: exact}}
{closed}    citations:
      - source: example-news
        quote: it closed 67,000 accounts
  - id: rumours
    topic: main
    statement: Nearly 8,000 of the 67,000 accounts had spread rumours.
    value: {{amount: 8000, unit: accounts, qualifier: nearly}}
{rumours}    citations:
      - source: example-news
        quote: nearly 8,000 of them had spread rumours
      - source: example-news
        quote: put the rumour accounts at about 8,000
        states: {{qualifier: about}}
  - id: inquiry
    topic: main
    statement: The inquiry took two months.
    value: {{amount: 2, unit: months, qualifier: exact}}
    citations:
      - source: example-news
        quote: after a two-month inquiry
  - id: officials
    topic: main
    statement: Between 10 and 20 officials took part.
    value: {{amount: 10, upper: 20, unit: officials, qualifier: range}}
    citations:
      - source: example-news
        quote: Between 10 and 20 officials took part
  - id: period
    topic: main
    statement: The inspectors worked from 10 March to 22 May 2023.
    period: {{start: 2023-03-10, end: 2023-05-22}}
    citations:
      - source: example-news
        quote: worked from March 10 to May 22
  - id: announced
    topic: main
    statement: The agency announced the closures on Friday 26 May 2023.
    date: 2023-05-26
{announced}    citations:
      - source: example-news
        quote: The agency said on Friday
"""


def write_content(
    root: Path,
    *,
    summary: str = SUMMARY,
    sheet_extra: str = "",
    closed: str = "",
    rumours: str = "",
    announced: str = "",
) -> Path:
    """The small content directory; extra YAML lines go into the sheet or a fact."""
    content = root / "content"
    (content / "sources").mkdir(parents=True)
    data = SOURCE_TEXT.encode("utf-8")
    (content / "sources" / "example-news.txt").write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    (content / "sources" / "example-news.yaml").write_text(SOURCE.format(sha256=sha), "utf-8")
    sheet = content / "sheets" / "accounts"
    (sheet / "facts").mkdir(parents=True)
    (sheet / "sheet.yaml").write_text(
        SHEET.format(summary=textwrap.indent(summary, "  "), sheet_extra=sheet_extra), "utf-8"
    )
    (sheet / "facts" / "facts.yaml").write_text(
        FACTS.format(closed=closed, rumours=rumours, announced=announced), "utf-8"
    )
    return content


def problems_of(content: Path) -> list[Problem]:
    loaded, findings = check(content)
    return sorted([*loaded.problems, *findings.problems])


def only_problem(content: Path, *needles: str) -> Problem:
    found = problems_of(content)
    assert len(found) == 1, "\n".join(p.format() for p in found)
    for needle in needles:
        assert needle in found[0].message, found[0].message
    return found[0]


def position(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column where ``needle`` starts in a file (1-based)."""
    line = line_of(path, needle, occurrence)
    seen = sum(needle in text for text in path.read_text("utf-8").splitlines()[: line - 1])
    assert seen == occurrence - 1
    text = path.read_text("utf-8").splitlines()[line - 1]
    return line, text.index(needle) + 1


def at(problem: Problem, path: Path, needle: str) -> None:
    line, col = position(path, needle)
    assert (problem.loc.path, problem.loc.line, problem.loc.col) == (str(path), line, col), (
        problem.format()
    )


def sheet_file(content: Path) -> Path:
    return content / "sheets" / "accounts" / "sheet.yaml"


def facts_file(content: Path) -> Path:
    return content / "sheets" / "accounts" / "facts" / "facts.yaml"


# --- the record's figures ---------------------------------------------------------------


def test_prose_that_states_only_figures_of_the_record_is_clean(tmp_path: Path) -> None:
    # the statement of 'rumours' gives another fact's figure ("of the 67,000 accounts")
    assert problems_of(write_content(tmp_path)) == []


def test_number_of_no_fact_is_located_inside_the_text(tmp_path: Path) -> None:
    summary = SUMMARY.replace("spreading rumours.", "spreading rumours in 14\nprovinces.")
    content = write_content(tmp_path, summary=summary)
    problem = only_problem(
        content,
        "sheet 'accounts', summary: '14' is not a figure of any fact of sheet 'accounts'",
        "under the sheet's 'derived' (figure, from, how)",
    )
    at(problem, sheet_file(content), "14")


def test_number_in_a_fact_statement_names_the_fact(tmp_path: Path) -> None:
    content = write_content(tmp_path, closed="    note: They were run by 300 people.\n")
    problem = only_problem(
        content, "fact 'closed', note: '300' is not a figure", "under this fact's 'derived'"
    )
    at(problem, facts_file(content), "300")


def test_bare_number_of_a_qualified_fact_must_take_its_qualifier(tmp_path: Path) -> None:
    content = write_content(tmp_path, summary=SUMMARY.replace("nearly\n8,000", "\n8,000"))
    problem = only_problem(
        content,
        "summary: '8,000' drops the qualifier: fact 'rumours' gives nearly 8,000 "
        "(source 'example-news' states about 8,000)",
        "write it with its qualifier: 'nearly 8,000' or 'about 8,000'",
    )
    at(problem, sheet_file(content), "8,000")


@pytest.mark.parametrize(
    "written", ["nearly 8,000", "almost 8,000", "close to 8,000", "about 8,000", "roughly 8,000"]
)
def test_qualifiers_of_the_same_family_or_a_source_s_version_pass(
    tmp_path: Path, written: str
) -> None:
    summary = SUMMARY.replace("nearly\n8,000", written)
    assert problems_of(write_content(tmp_path, summary=summary)) == []


@pytest.mark.parametrize("written", ["more than 8,000", "at least 8,000", "up to 8,000"])
def test_another_qualifier_family_is_an_error(tmp_path: Path, written: str) -> None:
    summary = SUMMARY.replace("nearly\n8,000", written)
    only_problem(
        write_content(tmp_path, summary=summary),
        f"'{written}' has another qualifier than fact 'rumours'",
        "write 'nearly 8,000' or 'about 8,000'",
    )


def test_an_exact_figure_takes_no_qualifier(tmp_path: Path) -> None:
    summary = SUMMARY.replace("closed 67,000", "closed about 67,000")
    only_problem(
        write_content(tmp_path, summary=summary),
        "'about 67,000' has another qualifier than fact 'closed', which gives 67,000; "
        "write '67,000'",
    )


def test_word_numbers_are_read(tmp_path: Path) -> None:
    assert read("a two-month inquiry")[0][0].value == 2
    assert [n.text for n in read("one of the two texts")[0]] == ["two"]  # "one" is a pronoun
    summary = SUMMARY.replace("two-month", "three-month")
    content = write_content(tmp_path, summary=summary)
    problem = only_problem(content, "summary: 'three-month' (3) is not a figure of any fact")
    at(problem, sheet_file(content), "three-month")


@pytest.mark.parametrize("written", ["two-month", "2-month", "Two-month"])
def test_adjectival_numbers_agree_with_the_unit(tmp_path: Path, written: str) -> None:
    summary = SUMMARY.replace("two-month", written)
    assert problems_of(write_content(tmp_path, summary=summary)) == []


def test_adjectival_number_of_another_unit_is_an_error(tmp_path: Path) -> None:
    summary = SUMMARY.replace("two-month", "two-week")
    only_problem(
        write_content(tmp_path, summary=summary),
        "'two-week' (2) is 2 weeks, but fact 'inquiry' gives 2 months",
    )


def test_a_range_gives_both_bounds(tmp_path: Path) -> None:
    ok = SUMMARY + " Between 10 and 20 officials took part."
    assert problems_of(write_content(tmp_path / "a", summary=ok)) == []
    half = SUMMARY + " At least 10 officials took part."
    only_problem(write_content(tmp_path / "b", summary=half), "'At least 10'", "not a figure")


def test_a_retracted_fact_s_figure_counts_only_in_its_own_prose(tmp_path: Path) -> None:
    retracted = (
        "    retracted:\n      date: 2023-05-28\n"
        "      reason: The agency withdrew the figure of 67,000.\n"
    )
    content = write_content(tmp_path, closed=retracted)
    found = problems_of(content)
    assert len(found) == 2, "\n".join(p.format() for p in found)  # the summary, and 'rumours'
    assert all("is the figure of fact 'closed', which is retracted" in p.message for p in found)
    assert {p.loc.path for p in found} == {str(sheet_file(content)), str(facts_file(content))}


def test_vague_amounts_must_be_a_fact_s_words(tmp_path: Path) -> None:
    summary = SUMMARY + " Thousands of posts went too."
    only_problem(
        write_content(tmp_path, summary=summary),
        "'Thousands' is not the words of a vague amount of any fact of sheet 'accounts'",
    )


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "on 26 May 2023",  # the fact's date
        "on Friday 26 May",  # with its weekday, without its year
        "on Friday",  # the weekday of a date of the record
        "on 28 May",  # the source's publication date
        "in April 2023",  # within the sheet's period
        "in March–May 2023",
        "in 2023",
        "from 10 March to 22 May",  # the period's ends
    ],
)
def test_dates_of_the_record_pass(tmp_path: Path, said: str) -> None:
    summary = SUMMARY + f" The figures came {said}."
    assert problems_of(write_content(tmp_path, summary=summary)) == []


@pytest.mark.parametrize(
    ("said", "message"),
    [
        ("on 27 May 2023", "'27 May 2023' is not a date of the record"),
        ("in June 2023", "'June 2023' is not a date of the record"),
        ("since 2021", "'2021' is not a date of the record"),
        ("on Thursday 26 May", "'Thursday 26 May' has the wrong weekday: 26 May 2023 was a Friday"),
        ("on Tuesday", "'Tuesday' is not the weekday of any date of the record"),
    ],
)
def test_dates_not_of_the_record_are_errors(tmp_path: Path, said: str, message: str) -> None:
    summary = SUMMARY + f" The figures came {said}."
    content = write_content(tmp_path, summary=summary)
    problem = only_problem(content, f"sheet 'accounts', summary: {message}")
    at(problem, sheet_file(content), said.split(" ", 1)[1])


# --- quotations -------------------------------------------------------------------------


def test_numbers_quoted_from_a_cited_source_check_themselves(tmp_path: Path) -> None:
    note = "    note: The report adds that “its 12 inspectors worked from March 10”.\n"
    assert problems_of(write_content(tmp_path, closed=note)) == []


def test_a_quotation_not_in_the_sources_does_not_check_its_numbers(tmp_path: Path) -> None:
    note = "    note: The report adds that “its 13 inspectors worked”.\n"
    content = write_content(tmp_path, closed=note)
    problem = only_problem(
        content,
        "fact 'closed', note: '13' is not a figure",
        "(the quotation around it is not in the archived text of 'example-news'",
    )
    at(problem, facts_file(content), "13")


def test_the_same_number_outside_a_quotation_is_an_error(tmp_path: Path) -> None:
    note = "    note: The report says the agency had 12 inspectors.\n"
    only_problem(write_content(tmp_path, closed=note), "fact 'closed', note: '12'")


# --- derivations ------------------------------------------------------------------------

LEFT = SUMMARY + " The other 59,000 were closed for other reasons."
DERIVED = """\
derived:
  - figure: "59,000"
    from: [closed, {second}]
    how: 67,000 closed minus nearly 8,000 closed for rumours
"""


def test_a_derivation_grounds_the_editor_s_own_figure(tmp_path: Path) -> None:
    content = write_content(tmp_path, summary=LEFT, sheet_extra=DERIVED.format(second="rumours"))
    assert problems_of(content) == []
    loaded = load_content(content)
    (derivation,) = loaded.content.sheets["accounts"].derived
    assert (derivation.figure, derivation.facts) == ("59,000", ["closed", "rumours"])


def test_without_its_derivation_the_figure_is_an_error(tmp_path: Path) -> None:
    only_problem(write_content(tmp_path, summary=LEFT), "'59,000' is not a figure")


def test_a_derivation_from_an_unknown_fact(tmp_path: Path) -> None:
    content = write_content(tmp_path, summary=LEFT, sheet_extra=DERIVED.format(second="rumors"))
    problem = only_problem(
        content,
        "derived figure '59,000': 'rumors' is not a fact of sheet 'accounts'; "
        "did you mean 'rumours'?",
    )
    at(problem, sheet_file(content), "[closed, rumors]")


def test_a_derivation_from_a_fact_without_a_figure(tmp_path: Path) -> None:
    content = write_content(tmp_path, summary=LEFT, sheet_extra=DERIVED.format(second="period"))
    only_problem(content, "derived figure '59,000': fact 'period' has no figure ('value')")


def test_an_unused_derivation_is_an_error(tmp_path: Path) -> None:
    content = write_content(tmp_path, sheet_extra=DERIVED.format(second="rumours"))
    problem = only_problem(
        content,
        "unused derivation: the derived figure '59,000' does not occur in the prose of "
        "sheet 'accounts'",
    )
    at(problem, sheet_file(content), '"59,000"')


@pytest.mark.parametrize("figure", ["59,000 and 8,000", "many"])
def test_a_derivation_figure_must_be_one_number(tmp_path: Path, figure: str) -> None:
    extra = DERIVED.format(second="rumours").replace('"59,000"', figure)
    found = problems_of(write_content(tmp_path, summary=LEFT, sheet_extra=extra))
    messages = [p.message for p in found]
    assert f"derived figure '{figure}' must be one number, written as the prose writes it" in (
        " | ".join(messages)
    )
    assert any("'59,000' is not a figure" in m for m in messages)  # so it grounds nothing


def test_a_derivation_figure_may_be_written_in_words(tmp_path: Path) -> None:
    extra = DERIVED.format(second="rumours").replace('"59,000"', "fifty-nine thousand")
    assert problems_of(write_content(tmp_path, summary=LEFT, sheet_extra=extra)) == []


def test_a_fact_s_derivation_covers_that_fact_s_prose_only(tmp_path: Path) -> None:
    derived = (
        "    note: That leaves 59,000 closed for other reasons.\n"
        "    derived:\n"
        '      - {figure: "59,000", from: [closed, rumours], how: "67,000 minus nearly 8,000"}\n'
    )
    assert problems_of(write_content(tmp_path / "a", rumours=derived)) == []
    # the sheet's prose is not the fact's: the same figure in the summary needs its own
    only_problem(
        write_content(tmp_path / "b", summary=LEFT, rumours=derived),
        "sheet 'accounts', summary: '59,000' is not a figure",
    )


# --- the preview's memo -----------------------------------------------------------------


def run_memoised(content: Content, steps: CheckSteps) -> Findings:
    """One run of the preview's checks (memoised steps, as ``generate.Memo`` keeps them)."""
    next_run(steps)
    return run_checks(content, steps=steps)


def test_the_memo_sees_changed_prose_and_a_changed_record(tmp_path: Path) -> None:
    content = load_content(write_content(tmp_path)).content
    memo = memoised(PLAIN)
    assert run_memoised(content, memo).problems == []
    sheet = content.sheets["accounts"]
    content.sheets["accounts"] = dataclasses.replace(
        sheet, summary=sheet.summary + " In 14 places."
    )
    assert ["'14'" in p.message for p in run_memoised(content, memo).problems] == [True]
    content.sheets["accounts"] = sheet
    assert run_memoised(content, memo).problems == []
    # another fact's figure changes under an unchanged statement that gives it (a new
    # run of the loader: the objects of unchanged files are the same)
    rumours = content.facts["rumours"]
    closed = content.facts["closed"]
    assert closed.value is not None
    changed = dataclasses.replace(
        closed, value=dataclasses.replace(closed.value, amount=Decimal(68000))
    )
    content = Content(content.root, content.sources, content.sheets, {**content.facts})
    content.facts["closed"] = changed
    found = [p.message for p in run_memoised(content, memo).problems]
    assert any("fact 'rumours', statement: '67,000' is not a figure" in m for m in found), found
    assert content.facts["rumours"] is rumours


# --- the bundled sheet ------------------------------------------------------------------


def test_an_unchecked_number_in_the_bundled_summary_fails_with_file_and_line(
    cli: Callable[..., Run], project: Path
) -> None:
    sheet = project / SHEET_DIR / "sheet.yaml"
    edit(sheet, "ran a two-month", "ran a three-month")
    run = cli("check", cwd=project)
    assert run.code == 1
    line, col = position(sheet, "three-month")
    errors = [x for x in run.err.splitlines() if ": error: " in x]
    assert errors == [
        f"{SHEET_DIR}/sheet.yaml:{line}:{col}: error: sheet 'china-self-media-2023', summary: "
        "'three-month' (3) is not a figure of any fact of sheet 'china-self-media-2023'; every "
        "number in prose must be a figure of a cited fact of the sheet, with its qualifier: add "
        "the fact that gives it, or, if it is your own calculation, record it under the "
        "sheet's 'derived' (figure, from, how)"
    ], run.err


def test_a_bare_figure_in_the_bundled_summary_must_take_its_qualifier(
    cli: Callable[..., Run], project: Path
) -> None:
    sheet = project / SHEET_DIR / "sheet.yaml"
    edit(sheet, "leaves out the nearly 187,000", "leaves out the 187,000")
    run = cli("check", cwd=project)
    assert run.code == 1
    line, col = position(sheet, "187,000")
    assert (
        f"{SHEET_DIR}/sheet.yaml:{line}:{col}: error: sheet 'china-self-media-2023', summary: "
        "'187,000' drops the qualifier: fact 'news-media-impersonation' gives nearly 187,000; "
        "write it with its qualifier: 'nearly 187,000'"
    ) in run.err


# --- the quick test before reading ------------------------------------------------------


def test_might_state_never_skips_a_text_that_states_something() -> None:
    """Every string of the number finder's own tests, and every line of the bundled
    archived texts: where the finder reads anything, the quick test lets it through."""
    import ast

    from generator.text.numbers import might_state, stated_in

    from .conftest import ROOT

    tree = ast.parse((ROOT / "tests" / "test_numbers.py").read_text(encoding="utf-8"))
    texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    texts = [t for t in texts if isinstance(t, str)]
    for archived in (ROOT / "content" / "sources").glob("*.txt"):
        texts.extend(archived.read_text(encoding="utf-8").splitlines())
    stating = [t for t in texts if any(stated_in(t))]
    assert len(stating) > 300
    assert [t for t in stating if not might_state(t)] == []
    assert not might_state("Officials said the platforms did not respond.")

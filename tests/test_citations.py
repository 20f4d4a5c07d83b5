"""Citation integrity: quotes, numbers, qualifiers and archived texts are proved, not trusted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.text.textmatch import ArchivedText, normalize

from .conftest import REUTERS, REWRITE, SHEET_DIR, Run, edit, key_line, line_of
from .test_validation import assert_error, error_lines

ACCOUNTS = f"{SHEET_DIR}/facts/3-accounts.yaml"
IMPERSONATION = f"{SHEET_DIR}/facts/4-impersonation.yaml"


# -- the "done when" edits ---------------------------------------------------------


def test_changed_digit_in_a_quote(cli: Callable[..., Run], project: Path) -> None:
    edit(project / ACCOUNTS, "nearly 8,000 were deleted", "nearly 9,000 were deleted")
    run = cli("check", cwd=project)
    line = key_line(project / ACCOUNTS, "Of the 67,000 accounts permanently closed")
    message = assert_error(
        run,
        ACCOUNTS,
        line,
        "fact 'fake-news-closures', citation 1",
        "quote not found in source 'reuters-2023-self-media'",
    )
    assert message
    # the closest passage and a word diff show the mistyped figure
    assert f"closest passage in {REUTERS}.txt:16:" in run.err
    assert "[-9,000-] {+8,000+}" in run.err


def test_number_that_no_quote_states(cli: Callable[..., Run], project: Path) -> None:
    # the statement says the new figure too (prose may only give figures of the record)
    edit(project / IMPERSONATION, "amount: 430000", "amount: 440000")
    edit(project / IMPERSONATION, "More than 430,000 accounts", "More than 440,000 accounts")
    run = cli("check", cwd=project)
    line = line_of(project / IMPERSONATION, "amount: 440000")
    assert_error(run, IMPERSONATION, line, "no citation's quote states more than 440,000")


def test_qualifier_that_disagrees_with_its_quote(cli: Callable[..., Run], project: Path) -> None:
    # "about" where the quotes say "nearly"
    edit(
        project / ACCOUNTS,
        "amount: 8000\n      unit: accounts\n      qualifier: nearly",
        "amount: 8000\n      unit: accounts\n      qualifier: about",
    )
    run = cli("check", cwd=project)
    assert run.code == 1
    first = key_line(project / ACCOUNTS, "Of the 67,000 accounts permanently closed")
    assert (
        f"{ACCOUNTS}:{first}:16: error: fact 'fake-news-closures', citation 1: the quote "
        "says 'nearly 8,000' (qualifier nearly), but the fact says 'about 8,000'"
    ) in run.err
    assert "no citation's quote states about 8,000" in run.err


def test_quote_copied_from_the_wrong_source(cli: Callable[..., Run], project: Path) -> None:
    # the rewrite's wording, cited as if it were the Reuters text
    edit(
        project / ACCOUNTS,
        "quote: it closed 67,000 social media accounts",
        "quote: led to the closure of 67,000 social media accounts\n"
        "      - source: reuters-2023-self-media\n        quote: it closed 67,000 social media "
        "accounts",
    )
    edit(
        project / ACCOUNTS,
        "      - source: reuters-2023-self-media\n        quote: led to",
        "      - source: reuters-2023-self-media\n        quote: led to",
    )
    text = (project / ACCOUNTS).read_text(encoding="utf-8")
    text = text.replace(
        "      - source: rewrite-2023-05-28-self-media\n        quote: led to the closure of "
        "67,000 social media accounts\n",
        "",
        1,
    )
    (project / ACCOUNTS).write_text(text, encoding="utf-8")
    run = cli("check", cwd=project)
    line = line_of(project / ACCOUNTS, "quote: led to the closure")
    assert_error(
        run,
        ACCOUNTS,
        line,
        "quote not found in source 'reuters-2023-self-media'",
        "it is in source 'rewrite-2023-05-28-self-media'",
    )


def test_edited_archived_text(cli: Callable[..., Run], project: Path) -> None:
    archive = project / f"{REWRITE}.txt"
    archive.write_bytes(archive.read_bytes() + b"\n")
    run = cli("check", cwd=project)
    line = line_of(project / f"{REWRITE}.yaml", "sha256:")
    assert_error(
        run,
        f"{REWRITE}.yaml",
        line,
        "has changed since its quotes were confirmed",
        "factsheet confirm rewrite-2023-05-28-self-media",
    )


# -- quote matching rules -------------------------------------------------------------------


def test_normalisation_is_documented_and_exact() -> None:
    assert normalize("China\u2019s \u201cself-media\u201d") == 'China\'s "self-media"'
    assert normalize("two\u2013month") == "two-month"
    assert normalize("a\u00a0 \n\tb") == "a b"
    assert normalize("cyber\u00adspace") == "cyberspace"
    assert normalize("Cafe\u0301") == "Caf\u00e9"
    assert normalize("8,000") != normalize("9,000")


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("67,000 accounts", True),
        ("7,000 accounts", False),  # inside "67,000 accounts"
        ("1,400", False),  # inside "1,400,000"
        ("400,000", False),  # inside "1,400,000"
        ("closed 67,000", True),
        ("losed 67,000", False),  # starts inside a word
        ("CLOSED 67,000", False),  # case is kept
    ],
)
def test_quotes_match_on_word_boundaries(quote: str, found: bool) -> None:
    text = ArchivedText("It closed 67,000 accounts and removed 1,400,000 posts.")
    assert bool(text.find_all(normalize(quote))) is found


def test_found_passages_map_back_to_the_original_text() -> None:
    original = "He said \u201cnearly\u00a0 8,000\u201d were\n deleted."
    text = ArchivedText(original)
    (start,) = text.find_all(normalize('"nearly 8,000" were deleted'))
    span = text.span(start, start + len(normalize('"nearly 8,000" were deleted')))
    assert original[span.start : span.end] == "\u201cnearly\u00a0 8,000\u201d were\n deleted"
    assert span.line == 1


def test_ambiguous_quote_needs_prefix_or_suffix(cli: Callable[..., Run], project: Path) -> None:
    # "67,000" alone occurs twice in the Reuters text
    edit(project / ACCOUNTS, "quote: it closed 67,000 social media accounts", 'quote: "67,000"')
    run = cli("check", cwd=project)
    line = line_of(project / ACCOUNTS, 'quote: "67,000"')
    assert_error(run, ACCOUNTS, line, "the quote occurs 2 times", "lines 8, 16", "add 'prefix'")


def test_prefix_tells_repeated_quotes_apart(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / ACCOUNTS,
        "quote: it closed 67,000 social media accounts",
        'quote: "67,000"\n        prefix: it closed',
    )
    run = cli("check", cwd=project)
    assert run.code == 0, run.err


def test_prefix_that_fits_no_occurrence(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / ACCOUNTS,
        "quote: it closed 67,000 social media accounts",
        'quote: "67,000"\n        prefix: it opened',
    )
    run = cli("check", cwd=project)
    line = line_of(project / ACCOUNTS, "prefix: it opened")
    assert_error(run, ACCOUNTS, line, "never with this prefix/suffix")


# -- numbers against quotes -------------------------------------------------------------------


def test_states_records_what_a_source_says(cli: Callable[..., Run], project: Path) -> None:
    # The rewrite says "approximately 13,000": without `states` that is an error.
    edit(
        project / IMPERSONATION,
        "          qualifier: about\n",
        "",
    )
    run = cli("check", cwd=project)
    line = key_line(project / IMPERSONATION, "The recent campaign by the Cyberspace")
    assert_error(
        run,
        IMPERSONATION,
        line,
        "the quote says 'approximately 13,000' "
        "(qualifier about), but the fact says 'nearly 13,000'",
        "'states: {qualifier: about}'",
    )


def test_states_is_checked_against_its_own_quote(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / IMPERSONATION, "          qualifier: about\n", "          qualifier: more-than\n"
    )
    run = cli("check", cwd=project)
    line = line_of(project / IMPERSONATION, "qualifier: more-than")
    assert_error(
        run,
        IMPERSONATION,
        line,
        "citation 2: the quote says 'approximately 13,000'",
        "this citation states 'more than 13,000'",
    )


def test_states_amount_must_be_in_the_quote(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / IMPERSONATION,
        "          qualifier: about\n",
        "          qualifier: about\n          amount: 14000\n",
    )
    run = cli("check", cwd=project)
    line = key_line(project / IMPERSONATION, "The recent campaign by the Cyberspace")
    assert_error(run, IMPERSONATION, line, "'states' gives about 14,000", "does not state 14,000")


def test_states_attribution_must_be_in_the_quote(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / IMPERSONATION,
        "attributed_to: Cyberspace Administration of China\n\n  - id: military-account-names",
        "attributed_to: Ministry of Defence\n\n  - id: military-account-names",
    )
    run = cli("check", cwd=project)
    line = line_of(project / IMPERSONATION, "attributed_to: Ministry of Defence")
    assert_error(
        run, IMPERSONATION, line, "no quote or attribution passage names 'Ministry of Defence'"
    )


def test_names_must_be_written_as_in_the_quote(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / IMPERSONATION,
        "            - Chinese Anti-terrorist Force",
        "            - Chinese Anti-Terrorist Force",
    )
    run = cli("check", cwd=project)
    assert run.code == 1
    assert "does not contain the name 'Chinese Anti-Terrorist Force' as written" in run.err


def test_vague_amount_needs_its_words_in_a_quote(cli: Callable[..., Run], project: Path) -> None:
    posts = f"{SHEET_DIR}/facts/2-posts.yaml"
    edit(project / posts, "words: hundreds of thousands", "words: tens of thousands")
    run = cli("check", cwd=project)
    line = line_of(project / posts, "words: tens of thousands")
    assert_error(run, posts, line, "no citation's quote contains the words 'tens of thousands'")


def test_errors_never_come_alone_as_tracebacks(cli: Callable[..., Run], project: Path) -> None:
    edit(project / ACCOUNTS, "nearly 8,000 were deleted", "nearly 9,000 were deleted")
    edit(project / ACCOUNTS, "amount: 67000", "amount: 68000")
    (project / f"{REWRITE}.txt").write_bytes(b"changed")
    run = cli("check", cwd=project)
    assert run.code == 1
    assert "Traceback" not in run.err
    assert len(error_lines(run)) >= 3


# -- confirm and coverage -------------------------------------------------------------------


def test_confirm_records_the_new_hash(cli: Callable[..., Run], project: Path) -> None:
    archive = project / f"{REWRITE}.txt"
    archive.write_bytes(archive.read_bytes() + b"\n\nA line added by the editor.")
    yaml_file = project / f"{REWRITE}.yaml"
    before = yaml_file.read_text(encoding="utf-8")
    assert cli("check", cwd=project).code == 1
    run = cli("confirm", "rewrite-2023-05-28-self-media", cwd=project)
    assert run.code == 0, run.err
    assert "confirmed: 21 quotes" in run.out
    import hashlib

    after = yaml_file.read_text(encoding="utf-8")
    new_hash = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert new_hash in after
    # only the hash changed: comments and layout stay
    assert [a for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b] == [
        line for line in before.splitlines() if "sha256:" in line
    ]
    assert cli("check", cwd=project).code == 0


def test_confirm_refuses_when_quotes_break(cli: Callable[..., Run], project: Path) -> None:
    archive = project / f"{REWRITE}.txt"
    archive.write_bytes(archive.read_bytes().replace(b"67,000", b"76,000"))
    before = (project / f"{REWRITE}.yaml").read_bytes()
    run = cli("confirm", "rewrite-2023-05-28-self-media", cwd=project)
    assert run.code == 1
    assert "quote not found in source 'rewrite-2023-05-28-self-media'" in run.err
    assert "not confirmed" in run.err
    assert (project / f"{REWRITE}.yaml").read_bytes() == before


def test_bundled_sources_are_fully_covered(cli: Callable[..., Run], project: Path) -> None:
    run = cli("coverage", "--fail-under", "100", cwd=project)
    assert run.code == 0, run.out + run.err
    assert "reuters-2023-self-media: 11 of 11 sentences" in run.out
    assert "rewrite-2023-05-28-self-media: 9 of 9 sentences" in run.out


def test_coverage_lists_uncited_sentences(cli: Callable[..., Run], project: Path) -> None:
    # drop the fact citing the 187,000 / 430,000 sentence from Reuters ...
    impersonation = project / IMPERSONATION
    text = impersonation.read_text(encoding="utf-8")
    start = text.index("  - id: news-media-impersonation")
    end = text.index("  - id: unqualified-advice")
    impersonation.write_text(text[:start] + text[end:], encoding="utf-8")
    # (and its figure from the summary, which may only give figures of the record)
    edit(
        project / f"{SHEET_DIR}/sheet.yaml",
        ", and the rewrite leaves out the nearly 187,000\n  accounts sanctioned for "
        "impersonating news media.",
        ".",
    )
    # ... and the Reuters citation of the 430,000 (the rewrite still backs that figure)
    text = impersonation.read_text(encoding="utf-8")
    start = text.index(
        "      - source: reuters-2023-self-media\n        quote: >-\n          more than"
    )
    end = text.index("      - source: rewrite-2023-05-28-self-media", start)
    impersonation.write_text(text[:start] + text[end:], encoding="utf-8")
    run = cli("coverage", "--fail-under", "100", cwd=project)
    assert run.code == 1
    assert (
        f"{REUTERS}.txt:26:1: not cited (Nearly 187,000, more than 430,000): Nearly 187,000 "
        "have been sanctioned"
    ) in run.out
    assert "reuters-2023-self-media: 10 of 11 sentences" in run.out


@pytest.mark.parametrize("size", [10, 255, 256, 5000])
def test_typographic_marks_fold_alike_in_quotes_and_long_texts(size: int) -> None:
    # long texts take another path than quotes (replacing each mark that occurs)
    from generator.text.textmatch import _TABLE, _fold_marks

    marks = "".join(chr(code) for code in _TABLE)
    text = ("He said “nearly 13,000” — it’s `about' ‐ " + marks + " ")[:size]
    text = (text * (size // max(len(text), 1) + 1))[:size]
    assert len(text) == size
    assert _fold_marks(text) == text.translate(_TABLE)
    assert not set(_fold_marks(text)) & set(marks)

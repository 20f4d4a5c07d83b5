"""`factsheet check`: one test per kind of content error, asserting the file, line and message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REUTERS, SHEET_DIR, Run, edit, line_of, write

FACTS = f"{SHEET_DIR}/facts/3-accounts.yaml"


def error_lines(run: Run) -> list[str]:
    return [line for line in run.err.splitlines() if ": error: " in line]


def assert_error(run: Run, path: str, line: int, *needles: str) -> str:
    """Exactly one problem is reported, at ``path:line``, containing every needle."""
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    lines = error_lines(run)
    assert len(lines) == 1, run.err
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_bundled_content_is_clean(cli: Callable[..., Run], project: Path) -> None:
    run = cli("check", cwd=project)
    assert run.code == 0, run.err
    assert run.out.startswith("ok: 23 facts in 1 sheet, 2 sources, 45 quotes verified")


def test_unknown_source_id(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    edit(
        facts,
        "      - source: rewrite-2023-05-28-self-media\n        quote: led to",
        "      - source: rewrite-2023-05-28-self-medai\n        quote: led to",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "self-medai")
    assert_error(
        run,
        FACTS,
        line,
        "cites unknown source 'rewrite-2023-05-28-self-medai'",
        "did you mean 'rewrite-2023-05-28-self-media'",
    )


def test_duplicate_fact_id_anywhere(cli: Callable[..., Run], project: Path) -> None:
    other = f"{SHEET_DIR}/facts/7-context.yaml"
    edit(project / other, "  - id: since-2021", "  - id: accounts-closed")
    run = cli("check", cwd=project)
    line = line_of(project / other, "id: accounts-closed")
    message = assert_error(run, other, line, "duplicate fact id 'accounts-closed'")
    assert f"{FACTS}:{line_of(project / FACTS, 'id: accounts-closed')}" in message


def test_duplicate_source_id(cli: Callable[..., Run], project: Path) -> None:
    rewrite = "content/sources/rewrite-2023-05-28-self-media.yaml"
    edit(project / rewrite, "id: rewrite-2023-05-28-self-media", "id: reuters-2023-self-media")
    run = cli("check", cwd=project)
    assert run.code == 1
    assert f"{rewrite}:2:5: error: duplicate source id 'reuters-2023-self-media'" in run.err


def test_duplicate_topic_id(cli: Callable[..., Run], project: Path) -> None:
    sheet = f"{SHEET_DIR}/sheet.yaml"
    edit(project / sheet, "  - id: posts\n", "  - id: accounts\n")
    run = cli("check", cwd=project)
    assert run.code == 1
    line = line_of(project / sheet, "  - id: accounts", 2)
    assert f"{sheet}:{line}:9: error: topic id 'accounts' is already used" in run.err


def test_duplicate_key(cli: Callable[..., Run], project: Path) -> None:
    edit(project / FACTS, "    topic: accounts\n", "    topic: accounts\n    topic: posts\n")
    run = cli("check", cwd=project)
    line = line_of(project / FACTS, "topic: posts")
    assert_error(run, FACTS, line, "duplicate key 'topic'", "keep only the last one")


def test_fact_without_citation(cli: Callable[..., Run], project: Path) -> None:
    path = write(
        project / SHEET_DIR / "facts/8-extra.yaml",
        """
        facts:
          - id: extra
            topic: context
            statement: A fact nobody backs.
            citations: []
        """,
    )
    run = cli("check", cwd=project)
    assert_error(run, f"{SHEET_DIR}/facts/8-extra.yaml", 5, "'citations' needs at least one item")
    assert path.exists()


def test_fact_missing_citations_key(cli: Callable[..., Run], project: Path) -> None:
    write(
        project / SHEET_DIR / "facts/8-extra.yaml",
        """
        facts:
          - id: extra
            topic: context
            statement: A fact nobody backs.
        """,
    )
    run = cli("check", cwd=project)
    assert_error(
        run, f"{SHEET_DIR}/facts/8-extra.yaml", 2, "fact is missing required key 'citations'"
    )


def test_empty_quote(cli: Callable[..., Run], project: Path) -> None:
    edit(project / FACTS, "quote: it closed 67,000 social media accounts", 'quote: ""')
    run = cli("check", cwd=project)
    line = line_of(project / FACTS, 'quote: ""')
    assert_error(run, FACTS, line, "'quote' is empty")


def test_invalid_yaml(cli: Callable[..., Run], project: Path) -> None:
    edit(project / FACTS, "    topic: accounts\n", "    topic: [accounts\n", 1)
    run = cli("check", cwd=project)
    assert run.code == 1
    lines = error_lines(run)
    assert lines and lines[0].startswith(f"{FACTS}:"), run.err
    assert "invalid YAML" in lines[0]


def test_unknown_key_suggests_the_right_one(cli: Callable[..., Run], project: Path) -> None:
    edit(project / FACTS, "quote: it closed 67,000", "quoet: it closed 67,000")
    run = cli("check", cwd=project)
    assert run.code == 1
    line = line_of(project / FACTS, "quoet:")
    assert f"{FACTS}:{line}:9: error: unknown key 'quoet' in citation; did you mean 'quote'?" in (
        run.err
    )


def test_unknown_topic(cli: Callable[..., Run], project: Path) -> None:
    edit(project / FACTS, "    topic: accounts\n", "    topic: acounts\n")
    run = cli("check", cwd=project)
    line = line_of(project / FACTS, "topic: acounts")
    assert_error(run, FACTS, line, "topic 'acounts'", "did you mean 'accounts'")


def test_unknown_key_figure(cli: Callable[..., Run], project: Path) -> None:
    sheet = f"{SHEET_DIR}/sheet.yaml"
    edit(project / sheet, "  - fact: accounts-closed", "  - fact: accounts-close")
    run = cli("check", cwd=project)
    line = line_of(project / sheet, "fact: accounts-close")
    assert_error(
        run,
        sheet,
        line,
        "key figure 'accounts-close' is not a fact of this sheet",
        "did you mean 'accounts-closed'",
    )


def test_key_figure_without_number(cli: Callable[..., Run], project: Path) -> None:
    sheet = f"{SHEET_DIR}/sheet.yaml"
    edit(project / sheet, "  - fact: accounts-closed", "  - fact: platforms")
    run = cli("check", cwd=project)
    line = line_of(project / sheet, "fact: platforms")
    assert_error(run, sheet, line, "key figure 'platforms' has no number")


def test_unknown_derived_from(cli: Callable[..., Run], project: Path) -> None:
    rewrite = "content/sources/rewrite-2023-05-28-self-media.yaml"
    edit(project / rewrite, "  - reuters-2023-self-media", "  - reuters-2023")
    run = cli("check", cwd=project)
    line = line_of(project / rewrite, "derived_from:") + 1
    assert_error(run, rewrite, line, "derived from unknown source 'reuters-2023'")


def test_derived_from_loop(cli: Callable[..., Run], project: Path) -> None:
    reuters = f"{REUTERS}.yaml"
    edit(
        project / reuters,
        "language: en\n",
        "language: en\nderived_from:\n  - rewrite-2023-05-28-self-media\n",
    )
    run = cli("check", cwd=project)
    assert run.code == 1
    assert "derived_from makes a loop" in run.err


def test_missing_archived_text(cli: Callable[..., Run], project: Path) -> None:
    (project / f"{REUTERS}.txt").unlink()
    run = cli("check", cwd=project)
    assert run.code == 1
    line = line_of(project / f"{REUTERS}.yaml", "file: reuters-2023-self-media.txt")
    assert f"{REUTERS}.yaml:{line}:9: error: archived text '{REUTERS}.txt' cannot be read" in (
        run.err
    )


def test_wrong_type_list_for_text(cli: Callable[..., Run], project: Path) -> None:
    edit(
        project / FACTS,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: [67,000 accounts]",
    )
    run = cli("check", cwd=project)
    line = line_of(project / FACTS, "statement: [67,000")
    assert_error(run, FACTS, line, "'statement' must be text, not a list")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("012", "leading zero"),
        ("1_000", "without '_'"),
        ("1:30", "base 60"),
        ("67,000", "thousands separators"),
        ('"67000"', "not quoted text"),
        ("1.4 million", "plain digits"),
    ],
)
def test_numbers_must_be_plain_digits(
    cli: Callable[..., Run], project: Path, written: str, hint: str
) -> None:
    edit(project / FACTS, "amount: 67000", f"amount: {written}")
    run = cli("check", cwd=project)
    line = line_of(project / FACTS, f"amount: {written}")
    assert_error(run, FACTS, line, "'amount'", hint)


def test_bad_qualifier_suggests(cli: Callable[..., Run], project: Path) -> None:
    edit(project / FACTS, "qualifier: nearly", "qualifier: nearlly")
    run = cli("check", cwd=project)
    line = line_of(project / FACTS, "qualifier: nearlly")
    assert_error(run, FACTS, line, "did you mean 'nearly'")


def test_impossible_date(cli: Callable[..., Run], project: Path) -> None:
    sheet = f"{SHEET_DIR}/sheet.yaml"
    edit(project / sheet, "as_of: 2023-05-28", "as_of: 2023-02-30")
    run = cli("check", cwd=project)
    assert_error(run, sheet, line_of(project / sheet, "as_of:"), "that month has 28 days")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "ftp://example.org/x",
    ],
)
def test_only_web_urls(cli: Callable[..., Run], project: Path, url: str) -> None:
    import json

    reuters = f"{REUTERS}.yaml"
    edit(project / reuters, "language: en\n", f"language: en\nurl: {json.dumps(url)}\n")
    run = cli("check", cwd=project)
    line = line_of(project / reuters, "url: ")
    assert_error(run, reuters, line, "'url'", "only http://, https:// and mailto:")


def test_several_problems_at_once(cli: Callable[..., Run], project: Path) -> None:
    edit(project / f"{SHEET_DIR}/facts/2-posts.yaml", "    topic: posts\n", "    topic: nowhere\n")
    edit(project / FACTS, "amount: 67000", "amount: 012")
    edit(project / f"{SHEET_DIR}/facts/7-context.yaml", "qualifier: vague", "qualifier: vauge")
    run = cli("check", cwd=project)
    assert run.code == 1
    assert len(error_lines(run)) == 3, run.err
    assert run.err.rstrip().endswith("3 errors found.")


def test_yaml_file_outside_known_places(cli: Callable[..., Run], project: Path) -> None:
    write(project / "content/notes.yaml", "title: stray\n")
    run = cli("check", cwd=project)
    assert_error(run, "content/notes.yaml", 1, "not in a known place")

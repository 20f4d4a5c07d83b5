"""``factsheet cite``: the quote is found as ``check`` finds it, and the block it prints passes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.content.nodes import Mapping, Scalar, Sequence
from generator.content.yamlload import load_yaml
from generator.editor.cite import stated
from generator.text.textmatch import normalize

from .conftest import REUTERS, SHEET_DIR, Run, edit

ACCOUNTS = f"{SHEET_DIR}/facts/3-accounts.yaml"
REUTERS_ID = "reuters-2023-self-media"
REWRITE_ID = "rewrite-2023-05-28-self-media"
ACCOUNTS_CLOSED_CITATIONS = f"""\
      - source: {REUTERS_ID}
        quote: it closed 67,000 social media accounts
        attribution: >-
          The Cyberspace Administration of China (CAC) said in a statement on
          Friday
      - source: {REWRITE_ID}
        quote: led to the closure of 67,000 social media accounts
        states:
          speaker_unstated: true
"""


def parse_block(block: str) -> list[dict[str, str]]:
    """The citations of a printed block, read by the strict loader."""
    loaded = load_yaml(block.encode("utf-8"), "<cite>")
    assert not loaded.problems, loaded.problems
    assert isinstance(loaded.root, Sequence)
    out = []
    for item in loaded.root.items:
        assert isinstance(item, Mapping)
        out.append({k: v.value for k, (_, v) in item.entries.items() if isinstance(v, Scalar)})
    return out


SPEAKER_HINTS = (
    "        # Optional: the passage of this source that names the speaker, word for word,\n"
    '        # when the quote does not ("The X said on Monday that"):\n'
    "        # attribution: ...\n"
    "        # Or, when this source does not say who made the statement (other sources do):\n"
    "        # states:\n"
    "        #   speaker_unstated: true\n"
)
"""Under each block: the keys saying who made the statement, commented out."""


def test_a_quote_found_once(cli: Callable[..., Run], project: Path) -> None:
    run = cli("cite", REUTERS_ID, "nearly 8,000 were deleted", cwd=project)
    assert run.code == 0, run.err
    assert run.out == (
        "      # states: nearly 8,000 (qualifier nearly)\n"
        f"      - source: {REUTERS_ID}\n"
        "        quote: nearly 8,000 were deleted\n" + SPEAKER_HINTS
    )
    assert run.err == f"{REUTERS}.txt:16:44: found once\n"


def test_the_speaker_hints_uncommented_pass_check(cli: Callable[..., Run], project: Path) -> None:
    """The fact 'accounts-closed', its citations pasted from cite with the hints uncommented:
    Reuters names the CAC outside the quote (attribution), the rewrite names no one (states)."""
    reuters = cli("cite", REUTERS_ID, "it closed 67,000 social media accounts", cwd=project)
    rewrite = cli("cite", REWRITE_ID, "led to the closure of 67,000 social media", cwd=project)
    assert reuters.code == rewrite.code == 0, reuters.err + rewrite.err
    assert reuters.out.endswith(SPEAKER_HINTS) and rewrite.out.endswith(SPEAKER_HINTS)
    pasted = reuters.out + rewrite.out
    path = project / ACCOUNTS
    edit(path, ACCOUNTS_CLOSED_CITATIONS, pasted)
    # as printed (only comments added), the speaker is not grounded in either source
    problems = cli("check", cwd=project).err
    assert f"citation 1 (source '{REUTERS_ID}'): no quote or attribution passage names" in problems
    assert f"citation 2 (source '{REWRITE_ID}'): no quote or attribution passage names" in problems
    reuters_block = reuters.out.replace(
        "        # attribution: ...\n",
        "        attribution: The Cyberspace Administration of China (CAC) said in a statement "
        "on Friday\n",
    )
    rewrite_block = rewrite.out.replace(
        "        # states:\n        #   speaker_unstated: true\n",
        "        states:\n          speaker_unstated: true\n",
    )
    assert reuters_block != reuters.out and rewrite_block != rewrite.out
    edit(path, pasted, reuters_block + rewrite_block)
    check = cli("check", cwd=project)
    assert check.code == 0, check.err


def test_the_block_quotes_the_archived_text(cli: Callable[..., Run], project: Path) -> None:
    """Straight quotes and odd spacing in the argument; the block has the text as archived."""
    quote = 'deleted for  "spreading fake news, rumors, and harmful information," according'
    run = cli("cite", REUTERS_ID, quote, cwd=project)
    assert run.code == 0, run.err
    (citation,) = parse_block(run.out)
    assert citation["quote"] == (
        "deleted for “spreading fake news, rumors, and harmful information,” according"
    )
    assert normalize(citation["quote"]) == normalize(quote)


def test_a_long_quote_is_folded(cli: Callable[..., Run], project: Path) -> None:
    quote = (
        "The Cyberspace Administration of China (CAC) said in a statement on Friday that it "
        "closed 67,000 social media accounts and deleted hundreds of thousands of posts "
        "between March 10 and May 22"
    )
    run = cli("cite", REUTERS_ID, quote, "--indent", "2", cwd=project)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert "  # states: 67,000 (qualifier exact)" in lines
    assert any("hundreds of thousands (qualifier vague" in line for line in lines)
    assert "    quote: >-" in lines
    assert all(len(line) <= 88 for line in lines if not line.lstrip().startswith("#"))
    (citation,) = parse_block(run.out)
    assert " ".join(citation["quote"].split()) == quote


def test_a_repeated_passage_gets_a_prefix(cli: Callable[..., Run], project: Path) -> None:
    run = cli("cite", REUTERS_ID, "67,000", cwd=project)
    assert run.code == 0, run.err
    first, second = parse_block(run.out)
    assert first == {"source": REUTERS_ID, "quote": "67,000", "prefix": "that it closed"}
    assert second == {"source": REUTERS_ID, "quote": "67,000", "prefix": "Of the"}
    assert f"      # occurrence 1 of 2, {REUTERS}.txt:8:91 (paste only the one you mean)" in run.out
    assert "occurs 2 times (lines 8, 16)" in run.err
    # the block pasted in place of a citation passes check
    only = cli("cite", REUTERS_ID, "67,000", "--occurrence", "1", cwd=project)
    assert only.code == 0
    assert "occurrence" not in only.out
    assert parse_block(only.out) == [first]
    edit(
        project / ACCOUNTS,
        f"      - source: {REUTERS_ID}\n        quote: it closed 67,000 social media accounts\n",
        only.out,
    )
    check = cli("check", cwd=project)
    assert check.code == 0, check.err
    # and without its prefix the same quote is ambiguous
    edit(project / ACCOUNTS, "        prefix: that it closed\n", "")
    assert "the quote occurs 2 times" in cli("check", cwd=project).err


def test_a_repeat_at_the_start_of_the_text_gets_a_suffix(
    cli: Callable[..., Run], project: Path, tmp_path: Path
) -> None:
    text = tmp_path / "echo.txt"
    text.write_text("Officials said so. Then the minister spoke. Officials said so again.", "utf-8")
    assert cli("add-source", "--file", str(text), cwd=project).code == 0
    run = cli("cite", "echo", "Officials said so", cwd=project)
    assert run.code == 0, run.err
    first, second = parse_block(run.out)
    assert first["suffix"] == ". Then the"
    assert second["prefix"] == "the minister spoke."


def test_a_mistyped_quote(cli: Callable[..., Run], project: Path) -> None:
    run = cli(
        "cite", REUTERS_ID, "Of the 67,000 accounts permanently closed, nearly 9,000", cwd=project
    )
    assert run.code == 1
    assert run.out == ""
    assert run.err.splitlines() == [
        f"factsheet cite: error: quote not found in source '{REUTERS_ID}' ({REUTERS}.txt); "
        "copy the passage word for word from the archived text",
        f"    closest passage in {REUTERS}.txt:16:",
        "      Of the 67,000 accounts permanently closed, nearly 8,000",
        "    word diff, [-your quote-] {+the source+}:",
        "      Of the 67,000 accounts permanently closed, nearly [-9,000-] {+8,000+}",
    ]


def test_a_quote_from_another_source(cli: Callable[..., Run], project: Path) -> None:
    run = cli("cite", REUTERS_ID, "led to the closure of 67,000 social media accounts", cwd=project)
    assert run.code == 1
    assert "it is in source 'rewrite-2023-05-28-self-media': cite that source" in run.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("no-such-source", "x"), 1, "no source 'no-such-source' (sources: reuters-2023-self-"),
        ((REUTERS_ID, "  "), 1, "the quote is empty"),
        ((REUTERS_ID, "67,000", "--occurrence", "3"), 2, "but the quote occurs 2 times"),
        ((REUTERS_ID, "67,000", "--occurrence", "0"), 2, "not a positive whole number"),
        ((REUTERS_ID,), 2, "usage:"),
    ],
)
def test_errors(
    cli: Callable[..., Run], project: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    run = cli("cite", *args, cwd=project)
    assert run.code == code
    assert message in run.err
    assert run.out == ""


def test_a_broken_archive_is_reported(cli: Callable[..., Run], project: Path) -> None:
    (project / f"{REUTERS}.txt").write_bytes(b"caf\xe9")
    run = cli("cite", REUTERS_ID, "café", cwd=project)
    assert run.code == 1
    assert "the archived text of source 'reuters-2023-self-media' cannot be read" in run.err
    assert f"{REUTERS}.txt:1:4: error: file is not valid UTF-8" in run.err


@pytest.mark.parametrize(
    ("quote", "comments"),
    [
        (
            "deleting 1.4 million social media posts",
            ["1.4 million (qualifier exact, amount 1400000)"],
        ),
        ("About 930,000 other accounts", ["About 930,000 (qualifier about)"]),
        ("more than 100,000 accounts", ["more than 100,000 (qualifier more-than)"]),
        ("between 10 and 20 posts", ["between 10 and 20 (qualifier range, amount 10, upper 20)"]),
        ("40% of them", ["40% (qualifier exact, amount 40, unit percent)"]),
        ("a two-month investigation", ["two-month (qualifier exact, amount 2)"]),
        ("the posts", []),
    ],
)
def test_stated_numbers(quote: str, comments: list[str]) -> None:
    assert stated(quote) == comments

"""The strict YAML rules, end to end through ``factsheet check``: one test per rule.

Each test breaks one bundled content file the way an editor (or an attacker)
might, and asserts that ``factsheet check`` exits with status 1, prints no
traceback, and reports the problem as ``PATH:LINE:COL: error: MESSAGE`` at the
right place.  Values YAML 1.1 would silently retype stay the text written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.content.yamlload import MAX_DEPTH, MAX_FILE_BYTES
from generator.generate import check

from .conftest import REUTERS, SHEET_DIR, Run, edit, line_of

FACTS = f"{SHEET_DIR}/facts/3-accounts.yaml"
SOURCE = f"{REUTERS}.yaml"
ARCHIVE = f"{REUTERS}.txt"


def assert_located(run: Run, path: str, line: int, col: int | None, *needles: str) -> str:
    """Status 1, no traceback, and a problem at ``path:line:col`` containing every needle."""
    assert run.code == 1, run.err
    assert "Traceback" not in run.err and "Traceback" not in run.out
    prefix = f"{path}:{line}:" + (f"{col}:" if col is not None else "")
    lines = [x for x in run.err.splitlines() if x.startswith(prefix) and ": error: " in x]
    assert lines, f"nothing reported at {prefix}\n{run.err}"
    for needle in needles:
        assert any(needle in x for x in lines), f"{needle!r} not in {lines}"
    return lines[0]


def errors(run: Run) -> list[str]:
    return [x for x in run.err.splitlines() if ": error: " in x]


# --- keys ---------------------------------------------------------------------------------


def test_duplicate_keys_are_refused(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    edit(
        facts,
        "    statement: 67,000 social media accounts were closed permanently.\n",
        "    statement: 67,000 social media accounts were closed permanently.\n"
        "    statement: 76,000 social media accounts were closed permanently.\n",
    )
    first = line_of(facts, "statement: 67,000")
    second = line_of(facts, "statement: 76,000")
    run = cli("check", cwd=project)
    assert_located(
        run,
        FACTS,
        second,
        5,
        f"duplicate key 'statement' (first defined on line {first})",
        "YAML would silently keep only the last one",
    )
    assert len(errors(run)) == 1, run.err


# --- values stay the text written ---------------------------------------------------------


def test_no_stays_text_where_text_is_wanted(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    edit(facts, "    label: Accounts closed\n", "    label: NO\n")
    edit(facts, "      unit: accounts\n", "      unit: Off\n")
    run = cli("check", cwd=project)
    assert run.code == 0, run.err
    loaded, _ = check(project / "content")
    fact = loaded.content.facts["accounts-closed"]
    assert fact.label == "NO"
    assert fact.value is not None and fact.value.unit == "Off"


def test_a_date_where_text_is_wanted_stays_text(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    edit(facts, "    label: Accounts closed\n", "    label: 2023-05-26\n")
    edit(facts, "      unit: accounts\n", "      unit: 2023-05-26 12:00:00\n")
    run = cli("check", cwd=project)
    assert run.code == 0, run.err
    loaded, _ = check(project / "content")
    fact = loaded.content.facts["accounts-closed"]
    assert fact.label == "2023-05-26"
    assert fact.value is not None and fact.value.unit == "2023-05-26 12:00:00"


def test_yaml_11_booleans_numbers_and_nulls_stay_text(
    cli: Callable[..., Run], project: Path
) -> None:
    facts = project / FACTS
    edit(
        facts,
        "    label: Accounts closed\n",
        "    label: yes\n    note: 0x1F\n    date_note: .inf\n    tags:\n      - '012'\n",
    )
    run = cli("check", cwd=project)
    assert run.code == 0, run.err
    fact = check(project / "content")[0].content.facts["accounts-closed"]
    assert (fact.label, fact.note, fact.date_note, fact.tags) == ("yes", "0x1F", ".inf", ["012"])


# --- numbers in plain digits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("012", "a leading zero is ambiguous (YAML 1.1 reads 012 as an octal number); write 12"),
        ("1_000", "write the number without '_' separators: 1000"),
        ("1:30", "this is not a number (YAML 1.1 reads it as base 60)"),
        ("67,000", "write the number without thousands separators: 67000"),
        ("0x10", "write the number in plain digits"),
        ("1e3", "write the number in plain digits"),
        (".inf", "write a number in plain digits"),
        ('"67000"', "must be a number, not quoted text"),
    ],
)
def test_numbers_that_yaml_would_guess_are_refused(
    cli: Callable[..., Run], project: Path, written: str, message: str
) -> None:
    facts = project / FACTS
    edit(facts, "      amount: 67000\n", f"      amount: {written}\n")
    run = cli("check", cwd=project)
    assert_located(run, FACTS, line_of(facts, f"amount: {written}"), 15, "'amount'", message)
    assert len(errors(run)) == 1, run.err


# --- anchors, aliases and tags ------------------------------------------------------------------


def test_anchors_are_refused(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    edit(
        facts,
        "    attributed_to: Cyberspace Administration of China\n",
        "    attributed_to: &cac Cyberspace Administration of China\n",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "&cac")
    assert_located(run, FACTS, line, 20, "anchors (&cac) are not allowed; write each value out")


def test_aliases_are_refused(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    edit(
        facts,
        "    attributed_to: Cyberspace Administration of China\n",
        "    attributed_to: *cac\n",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "*cac")
    assert_located(run, FACTS, line, 20, "aliases (*cac) are not allowed; write the value out")


def test_a_billion_laughs_is_refused_at_the_first_anchor(
    cli: Callable[..., Run], project: Path
) -> None:
    laughs = ["a: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']"]
    for n, prev in zip("bcdefghi", "abcdefgh", strict=True):
        laughs.append(f"{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    bomb = project / SHEET_DIR / "facts" / "bomb.yaml"
    bomb.write_text("\n".join(laughs) + "\n", encoding="utf-8")
    started = time.perf_counter()
    run = cli("check", cwd=project)
    assert time.perf_counter() - started < 10
    assert_located(run, f"{SHEET_DIR}/facts/bomb.yaml", 1, 4, "anchors (&a) are not allowed")


@pytest.mark.parametrize(
    ("tag", "shown"),
    [
        ("!custom", "!custom"),
        ("!!str", "tag:yaml.org,2002:str"),
        ("!!python/object/apply:os.system", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("!<tag:example.org,2024:x>", "tag:example.org,2024:x"),
    ],
)
def test_tags_are_refused(cli: Callable[..., Run], project: Path, tag: str, shown: str) -> None:
    facts = project / FACTS
    edit(
        facts,
        "    attributed_to: Cyberspace Administration of China\n",
        f"    attributed_to: {tag} Cyberspace Administration of China\n",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, tag)
    assert_located(run, FACTS, line, 20, f"tags ({shown}) are not allowed")


def test_a_tagged_mapping_is_never_constructed(cli: Callable[..., Run], project: Path) -> None:
    marker = project / "constructed"
    facts = project / FACTS
    edit(
        facts,
        "    attributed_to: Cyberspace Administration of China\n",
        f"    attributed_to: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    run = cli("check", cwd=project)
    assert_located(run, FACTS, line_of(facts, "os.system"), 20, "are not allowed")
    assert not marker.exists()


# --- nesting depth ------------------------------------------------------------------------------

DEEP = 100_000


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ("flow sequences", "facts: " + "[" * DEEP + "]" * DEEP + "\n"),
        ("flow mappings", "facts: " + "{a: " * DEEP + "b" + "}" * DEEP + "\n"),
        ("block sequences", "facts:\n  " + "- " * DEEP + "x\n"),
        ("unclosed flow", "facts: " + "[" * DEEP + "\n"),
    ],
)
def test_deep_nesting_is_refused_quickly(
    cli: Callable[..., Run], project: Path, shape: str, text: str
) -> None:
    deep = project / SHEET_DIR / "facts" / "deep.yaml"
    deep.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    run = cli("check", cwd=project)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{shape}: {elapsed:.1f} s"
    line = assert_located(
        run, f"{SHEET_DIR}/facts/deep.yaml", 1 if "block" not in shape else 2, None
    )
    assert f"nesting is deeper than {MAX_DEPTH} levels" in line, line


# --- the file itself ---------------------------------------------------------------------------


def test_file_size_is_capped(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    data = facts.read_bytes()
    padding = b"#" * (MAX_FILE_BYTES + 1 - len(data) - 1) + b"\n"
    facts.write_bytes(data + padding)
    size = MAX_FILE_BYTES + 1
    run = cli("check", cwd=project)
    assert_located(
        run,
        FACTS,
        1,
        1,
        f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; split it",
    )


def test_a_file_at_the_size_cap_is_read(cli: Callable[..., Run], project: Path) -> None:
    facts = project / FACTS
    data = facts.read_bytes()
    facts.write_bytes(data + b"#" * (MAX_FILE_BYTES - len(data) - 1) + b"\n")
    assert facts.stat().st_size == MAX_FILE_BYTES
    run = cli("check", cwd=project)
    assert run.code == 0, run.err


@pytest.mark.parametrize(
    ("bad", "shown"), [(b"\xff", "0xff"), (b"\xe9", "0xe9"), (b"\xc3\x28", "0xc3")]
)
def test_non_utf8_is_refused(
    cli: Callable[..., Run], project: Path, bad: bytes, shown: str
) -> None:
    source = project / SOURCE
    data = source.read_bytes()
    needle = b"publisher: Thomson Reuters"
    assert needle in data
    source.write_bytes(data.replace(needle, b"publisher: Thomson " + bad + b"Reuters"))
    line = line_of_bytes(source, b"publisher: ")
    run = cli("check", cwd=project)
    assert_located(
        run, SOURCE, line, 20, f"file is not valid UTF-8 (byte {shown}); save it as UTF-8"
    )


def test_utf16_is_refused(cli: Callable[..., Run], project: Path) -> None:
    source = project / SOURCE
    source.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    run = cli("check", cwd=project)
    assert_located(run, SOURCE, 1, 1, "file is not valid UTF-8 (byte 0xff)")


def line_of_bytes(path: Path, needle: bytes) -> int:
    data = path.read_bytes()
    return data[: data.index(needle)].count(b"\n") + 1


# --- forbidden characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "control character"),
        ("\x07", "control character"),
        ("\x1b", "control character"),
        ("\x7f", "control character"),
        ("\x85", "control character"),
        ("\x9b", "control character"),
        ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
        ("\u202b", "RIGHT-TO-LEFT EMBEDDING"),
        ("\u202c", "POP DIRECTIONAL FORMATTING"),
        ("\u202d", "LEFT-TO-RIGHT OVERRIDE"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u2067", "RIGHT-TO-LEFT ISOLATE"),
        ("\u2068", "FIRST STRONG ISOLATE"),
        ("\u2069", "POP DIRECTIONAL ISOLATE"),
    ],
)
def test_control_and_bidi_characters_are_refused(
    cli: Callable[..., Run], project: Path, char: str, name: str
) -> None:
    facts = project / FACTS
    edit(facts, "closed permanently.", f"closed {char}permanently.")
    text = facts.read_text(encoding="utf-8")
    at = text.index(char)  # lines are counted at "\n" only, as the loader does
    line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    run = cli("check", cwd=project)
    assert_located(run, FACTS, line, col, f"forbidden character U+{ord(char):04X} ({name})")


def test_forbidden_characters_in_an_archived_text_are_refused(
    cli: Callable[..., Run], project: Path
) -> None:
    archive = project / ARCHIVE
    text = archive.read_text(encoding="utf-8")
    archive.write_text(text.replace("Social Navigation", "Social \u202eNavigation", 1), "utf-8")
    line = line_of(archive, "Social ")
    run = cli("check", cwd=project)
    assert_located(run, ARCHIVE, line, 8, "forbidden character U+202E (RIGHT-TO-LEFT OVERRIDE)")


@pytest.mark.parametrize("escape", ["\\0", "\\x07", "\\e", "\\u202E", "\\u2066", "\\x9b"])
def test_escaped_forbidden_characters_are_refused(
    cli: Callable[..., Run], project: Path, escape: str
) -> None:
    facts = project / FACTS
    edit(
        facts,
        "    statement: 67,000 social media accounts were closed permanently.\n",
        f'    statement: "67,000 social media accounts were closed {escape}permanently."\n',
    )
    run = cli("check", cwd=project)
    assert_located(run, FACTS, line_of(facts, escape), None, "forbidden character")

"""Fuzzing the check: mutated content files give a clean pass or located problems, nothing else.

Each example takes one bundled content file (YAML, or an archived text) and
mutates it: flipped bytes, deleted or duplicated lines, changed indentation,
a value replaced by one of YAML's traps or by random text, deep nesting, a
huge scalar, random Unicode (lone surrogates included, so the bytes are not
always UTF-8).  ``generator.generate.check`` must then return, within a time
limit, either no problem or problems that are each located in the format
``PATH:LINE:COL: error: MESSAGE`` at a real file and a line that exists; any
exception, hang or crash fails the test.

The examples are derandomized (the same ones every run) and few enough to run
in a few seconds; ``FACTSHEET_FUZZ_EXAMPLES`` raises their number locally.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.content.yamlload import MAX_FILE_BYTES
from generator.generate import check
from generator.problems import Problem

from .conftest import ROOT

EXAMPLES = int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", "150"))
TIME_LIMIT = 20  # seconds for one check; a clean check of the bundled content takes 0.05
LOCATED = re.compile(r"(?P<path>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): error: \S")

CONTENT = ROOT / "content"
FILES = sorted(
    p.relative_to(CONTENT).as_posix()
    for p in CONTENT.rglob("*")
    if p.is_file() and p.suffix in (".yaml", ".yml", ".txt")
)
ORIGINAL = {name: (CONTENT / name).read_bytes() for name in FILES}

# Values YAML 1.1 would retype, YAML syntax out of place, and text the pages must escape.
TRAPS = [
    "NO", "yes", "off", "~", "null", "012", "0o17", "0x1F", "1_000", "1:30", "1e400", "-0",
    ".inf", ".NaN", "2023-02-30", "2023-13-01", "2023-05-26T12:00:00Z", "[]", "{}", "[a, b]",
    "{a: b}", "&a x", "*a", "!!binary aGk=", "!custom x", "!!python/object/apply:os.system [x]",
    "'", '"', "'unterminated", '"unterminated', "|", ">", "|-\n  x", "- x", "? x", ": x", "#",
    "% x", "@x", "`x`", "{{ 7*7 }}", "{% x %}", "---", "...", "<script>alert(1)</script>",
    "javascript:alert(1)", "\t", "x: y: z", "a\tb", "\u00a0", "\u2028", "\ufeff", "💥",
]  # fmt: skip


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (SIGALRM, where the platform has it)."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return

    def hang(signum: int, frame: Any) -> None:
        raise TimeoutError(f"check did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- mutations: each strategy turns the original bytes into a mutated copy -----------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def flip_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(out) - 1))
        out[at] = draw(st.integers(0, 255))
    return bytes(out)


@st.composite
def delete_or_duplicate_lines(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()) and len(lines) > 1:
            del lines[at]
        else:
            lines.insert(at, lines[at])
    return b"\n".join(lines)


@st.composite
def reindent(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from([b" ", b"  ", b"    ", b"\t", b"-", b""]))
        if change and draw(st.booleans()):
            lines[at] = change + lines[at]
        else:
            lines[at] = lines[at][draw(st.integers(1, 4)) :]
    return b"\n".join(lines)


@st.composite
def replace_scalar(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    candidates = [i for i, line in enumerate(lines) if b": " in line or line.strip() == b"-"]
    if not candidates:
        return data
    at = draw(st.sampled_from(candidates))
    key = lines[at].split(b": ", 1)[0] if b": " in lines[at] else lines[at]
    value = draw(st.one_of(st.sampled_from(TRAPS), st.text(max_size=40)))
    lines[at] = key + b": " + value.encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


@st.composite
def nest_deeply(draw: st.DrawFn, data: bytes) -> bytes:
    depth = draw(st.sampled_from([11, 12, 13, 50, 1000, 30_000]))
    shape = draw(st.sampled_from(["flow-seq", "flow-map", "block-seq", "unclosed"]))
    nested = {
        "flow-seq": b"[" * depth + b"]" * depth,
        "flow-map": b"{a: " * depth + b"b" + b"}" * depth,
        "block-seq": b"- " * depth + b"x",
        "unclosed": b"[" * depth,
    }[shape]
    lines = _lines(data)
    at = draw(st.integers(0, len(lines)))
    indent = draw(st.sampled_from([b"", b"  ", b"    "]))
    lines.insert(at, indent + draw(st.sampled_from([b"x: ", b"notes: ", b"- ", b""])) + nested)
    return b"\n".join(lines)


@st.composite
def huge_scalar(draw: st.DrawFn, data: bytes) -> bytes:
    size = draw(st.sampled_from([5_001, 100_000, MAX_FILE_BYTES + 1]))
    char = draw(st.sampled_from([b"x", b"\xc3\xa9", b" ", b"'"]))
    lines = _lines(data)
    candidates = [i for i, line in enumerate(lines) if b": " in line] or [0]
    at = draw(st.sampled_from(candidates))
    key = lines[at].split(b": ", 1)[0]
    lines[at] = key + b": " + char * (size // len(char))
    return b"\n".join(lines)


@st.composite
def random_unicode(draw: st.DrawFn, data: bytes) -> bytes:
    text = draw(st.text(alphabet=st.characters(exclude_categories=()), min_size=1, max_size=20))
    at = draw(st.integers(0, len(data)))
    return data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]


@st.composite
def random_document(draw: st.DrawFn, data: bytes) -> bytes:
    """Not a mutation at all: random bytes, or random text, in place of the file."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=200))
    return draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")


MUTATIONS = [
    flip_bytes,
    delete_or_duplicate_lines,
    reindent,
    replace_scalar,
    nest_deeply,
    huge_scalar,
    random_unicode,
    random_document,
]


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes, list[str]]:
    name = draw(st.sampled_from(FILES))
    data = ORIGINAL[name]
    applied = []
    for _ in range(draw(st.integers(1, 2))):
        mutation = draw(st.sampled_from(MUTATIONS))
        applied.append(mutation.__name__)
        data = draw(mutation(data))
    return name, data, applied


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(CONTENT, dest)
    return dest


def assert_located(problem: Problem, content: Path, files: dict[str, bytes]) -> None:
    text = problem.format()
    match = LOCATED.match(text.splitlines()[0])
    assert match, f"not located: {text!r}"
    path = Path(match["path"])
    assert path.exists(), f"located at a file that does not exist: {text!r}"
    assert content.resolve() in (path.resolve(), *path.resolve().parents), text
    if path.is_file():
        data = files.get(path.resolve().as_posix(), b"")
        lines = data.count(b"\n") + 2 if data else None
        if lines is not None:
            assert int(match["line"]) <= lines, f"line beyond the end of the file: {text!r}"
    assert "\n" not in problem.message, f"a problem's message is one line: {text!r}"


def _without_archive(name: str) -> bytes:
    data = ORIGINAL[name]
    return data[: data.index(b"archive:")]


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,  # the time limit below fails a hang; one slow example is not a failure
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_file())
# Found by this test: a source without 'archive' crashed the check with a TypeError.
@example(
    (
        "sources/reuters-2023-self-media.yaml",
        _without_archive("sources/reuters-2023-self-media.yaml"),
        ["delete_or_duplicate_lines"],
    )
)
def test_mutated_content_passes_or_is_located(
    content_copy: Path, case: tuple[str, bytes, list[str]]
) -> None:
    name, data, _applied = case
    target = content_copy / name
    target.write_bytes(data)
    try:
        with time_limit(TIME_LIMIT):
            loaded, findings = check(content_copy)
        problems = [*loaded.problems, *findings.problems]
        files = {target.resolve().as_posix(): data}
        for problem in problems:
            assert_located(problem, content_copy, files)
    finally:
        target.write_bytes(ORIGINAL[name])


def test_the_unmutated_copy_is_clean(content_copy: Path) -> None:
    loaded, findings = check(content_copy)
    assert not loaded.problems and not findings.problems

"""Corrections and history, read from the git history of the content.

Newsrooms publish corrections; this makes them automatic.  For every commit
that touched a sheet's fact files, the facts before and after are compared by
id, on what readers rely on: the figure (amount, range, bounds, unit), its
qualifier, the attribution, the citations (source, quote, prefix, suffix and
what each source states) and retraction.  Whitespace, key order, comments and
the order of citations do not count as changes.  The commit date is the date
of the change and the commit message is the editor's reason.  A fact that
first appears already retracted is listed as a retraction too.

"Last changed" is wider: a fact's date moves with any change to anything of it
that the site shows, worked out from the whole record the format converts it to
(:func:`_record`: every field of the fact and of its citations, quantities, dates
and retraction, recursively), so that a field added to the format counts without
being listed here.  Only positions in the file, whitespace within text, key order
and comments do not count.

Missing or partial history is never turned into dates:

- Outside a git repository (or without ``git``), there is no history: facts carry
  no "last changed" date, the sheet has no "updated" date and says that change
  dates are unknown, and the corrections page says that no history is available.
  Nothing is invented, so this needs no option.
- In a shallow clone (``git clone --depth``, the default of CI checkouts such as
  ``actions/checkout``), the oldest commit present looks as if it added every
  fact: reading it would date every fact to that commit and lose the
  corrections before it.  :func:`read_history` reads nothing and marks the
  history ``shallow``; the build then fails (:func:`shallow_problem`) unless it is
  told to go on without dates (``--allow-shallow-history``, plugin option
  ``history: allow-shallow``), in which case the pages say that change dates are
  unknown, as outside a repository.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from generator.analysis.changes import SHALLOW_REASON, Change, History
from generator.content import format as content_format
from generator.content import wording
from generator.content.fields import INVALID, Context, Located
from generator.content.model import Citation, Fact
from generator.content.yamlload import load_yaml
from generator.problems import Loc, Problem, display_path


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        input=data,
        capture_output=True,
        check=True,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        timeout=120,
    ).stdout


def history_key(content_dir: str | os.PathLike[str]) -> str | None:
    """What the history depends on: the repository, whether it is shallow, and its HEAD commit.

    The history is read from commits only, so while HEAD stays, so does the history; the
    preview reads it again only when this changes (one ``git rev-parse`` per rebuild).
    ``git fetch --unshallow`` keeps HEAD but makes the history whole, hence the middle
    line. None: no history.
    """
    try:
        out = _git(
            Path(content_dir).resolve(),
            "rev-parse",
            "--show-toplevel",
            "--is-shallow-repository",
            "--verify",
            "HEAD",
        )
    except (FileNotFoundError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    return out.decode(errors="replace")


def shallow_problem(content_dir: str | os.PathLike[str]) -> Problem:
    """The build's error for a shallow history, with how to fetch the whole of it."""
    return Problem(
        Loc(display_path(content_dir)),
        "the git history of the content is shallow (a clone made with --depth, as CI "
        "checkouts do by default), so change dates and corrections cannot be known; fetch "
        "the whole history with 'git fetch --unshallow' (GitHub Actions: 'fetch-depth: 0' "
        "in actions/checkout), or build without change dates with --allow-shallow-history "
        "(plugin option 'history: allow-shallow')",
    )


def read_history(content_dir: str | os.PathLike[str]) -> History:
    content = Path(content_dir).resolve()
    try:
        top = Path(_git(content, "rev-parse", "--show-toplevel").decode().strip())
        _git(top, "rev-parse", "--verify", "HEAD")
        shallow = _git(top, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except FileNotFoundError:
        return History(False, "git is not installed")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return History(False, "the content is not in a git repository with commits")
    if shallow:
        return History(False, SHALLOW_REASON, shallow=True)
    sheets = (content / "sheets").relative_to(top).as_posix()
    log = _log_of(top, sheets)
    commits = list(_parse_log(log))
    history = History(True, origin=commits[-1][0] if commits else "")
    per_commit: list[list[Change]] = []
    with _Blobs(top) as blobs:
        for commit, stamp, parent, message, paths in reversed(commits):  # oldest first
            when = datetime.fromtimestamp(stamp, timezone.utc)
            date = when.strftime("%Y-%m-%d")
            time = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            yaml_paths = [p for p in paths if p.endswith((".yaml", ".yml"))]
            for path in yaml_paths:
                history.sheet_updated[_sheet_dir(path, sheets)] = date
            fact_paths = [p for p in yaml_paths if not p.endswith("/sheet.yaml")]
            changes: list[Change] = []
            per_commit.append(changes)
            before = _facts(blobs, parent, fact_paths, sheets) if parent else {}
            after = _facts(blobs, commit, fact_paths, sheets)
            for fact_id, (sheet_dir, new) in after.items():
                old_entry = before.get(fact_id)
                if old_entry is None:
                    if fact_id not in history.fact_changed:
                        history.fact_changed[fact_id] = date
                    if new.retracted is not None:  # first seen retracted: still a retraction
                        what, was, now = "retraction", "not published before", _retraction(new)
                        changes.append(
                            Change(fact_id, sheet_dir, date, commit, message, what, was, now, time)
                        )
                    continue
                old = old_entry[1]
                if _record(old) != _record(new):
                    history.fact_changed[fact_id] = date
                for what, was, now in _differences(old, new):
                    changes.append(
                        Change(fact_id, sheet_dir, date, commit, message, what, was, now, time)
                    )
            for fact_id, (sheet_dir, old) in before.items():
                if fact_id not in after and not _moved(blobs, commit, fact_id, sheets):
                    changes.append(
                        Change(
                            fact_id,
                            sheet_dir,
                            date,
                            commit,
                            message,
                            "removed",
                            old.statement,
                            "",
                            time,
                        )
                    )
    # newest commit first; within a commit, in the order of the files and facts
    history.changes = [change for changes in reversed(per_commit) for change in changes]
    _source_dates(history, top, (content / "sources").relative_to(top).as_posix())
    return history


def _log_of(top: Path, folder: str) -> bytes:
    """Every commit that touched ``folder`` (newest first), with the files it touched
    (read by :func:`_parse_log`)."""
    return _git(
        top,
        "log",
        "--no-renames",
        "--format=%x1e%H%x1f%ct%x1f%P%x1f%s",
        "--name-only",
        "--",
        folder,
    )


def _source_dates(history: History, top: Path, sources: str) -> None:
    """Each source's last change: the newest commit that touched its YAML or its text."""
    log = _log_of(top, sources)
    for _, stamp, _, _, paths in _parse_log(log):  # newest first
        date = datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%d")
        for path in paths:
            name = path[len(sources) + 1 :]
            if "/" in name:
                continue
            stem, dot, ext = name.rpartition(".")
            if dot and ext in ("yaml", "yml", "txt"):
                history.source_updated.setdefault(stem, date)


def _parse_log(log: bytes) -> Iterator[tuple[str, int, str, str, list[str]]]:
    for record in log.decode("utf-8", "replace").split("\x1e"):
        if not record.strip():
            continue
        head, _, files = record.partition("\n")
        commit, stamp, parents, subject = head.split("\x1f", 3)
        parent = parents.split(" ")[0] if parents else ""
        yield commit, int(stamp), parent, subject, [f for f in files.splitlines() if f]


def _sheet_dir(path: str, sheets: str) -> str:
    return path[len(sheets) + 1 :].split("/", 1)[0]


class _Blobs:
    """File contents at given commits, through one ``git cat-file --batch`` process."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.proc: subprocess.Popen[bytes] | None = None
        self.parsed: dict[tuple[bytes, str], list[Fact]] = {}
        """The facts of each version of a facts file, by blob id and path: a version is
        read as one commit's "after" and as the next one's "before", and parsed once."""

    def __enter__(self) -> _Blobs:
        self.proc = subprocess.Popen(
            ["git", "-C", str(self.top), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)

    def _read(self, commit: str, path: str) -> tuple[bytes, bytes] | None:
        """The blob id and contents of ``path`` at ``commit`` (None: not a file there)."""
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{commit}:{path}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)  # the newline after the contents
        return header[0], data

    def facts(self, commit: str, path: str) -> list[Fact] | None:
        """The facts of the facts file ``path`` at ``commit`` (None: not a file there)."""
        found = self._read(commit, path)
        if found is None:
            return None
        key = (found[0], path)
        facts = self.parsed.get(key)
        if facts is None:
            facts = self.parsed[key] = _parse_facts(found[1], path)
        return facts

    def tree(self, commit: str, path: str) -> list[str]:
        out = _git(self.top, "ls-tree", "-r", "--name-only", commit, "--", path)
        return [line for line in out.decode().splitlines() if line]


def _facts(
    blobs: _Blobs, commit: str, paths: list[str], sheets: str
) -> dict[str, tuple[str, Fact]]:
    found: dict[str, tuple[str, Fact]] = {}
    for path in paths:
        for fact in blobs.facts(commit, path) or []:
            found[fact.id] = (_sheet_dir(path, sheets), fact)
    return found


def _parse_facts(data: bytes, path: str) -> list[Fact]:
    loaded = load_yaml(data, path)
    if loaded.root is None:
        return []
    facts = content_format.FACTS_FILE.convert(loaded.root, Context(path), "facts file")
    return [] if facts is INVALID else list(facts)


def _moved(blobs: _Blobs, commit: str, fact_id: str, sheets: str) -> bool:
    """A fact that left its file in this commit may live on in another file."""
    for path in blobs.tree(commit, sheets):
        is_facts = path.endswith((".yaml", ".yml")) and not path.endswith("/sheet.yaml")
        if is_facts and any(f.id == fact_id for f in blobs.facts(commit, path) or []):
            return True
    return False


# -- what counts as a change -------------------------------------------------------------------


def _text(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def _figure(fact: Fact) -> str:
    value = fact.value
    if value is None:
        return "no figure"
    return wording.figure(value)


def _citation(c: Citation) -> tuple[Any, ...]:
    states = c.states
    stated = None
    if states is not None:
        stated = (
            states.amount,
            states.upper,
            states.qualifier,
            _text(states.attributed_to),
            tuple(states.names or ()),
            states.speaker_unstated,
            states.date,
        )
    return (
        c.source,
        _text(c.quote),
        _text(c.prefix),
        _text(c.suffix),
        stated,
        _text(c.attribution),
    )


def _citation_words(c: Citation) -> str:
    return f"{c.source}: “{_text(c.quote)}”"


def _retraction(fact: Fact) -> str:
    r = fact.retracted
    return f"retracted on {r.date.iso()}: {_text(r.reason)}" if r else ""


def _record(value: object) -> object:
    """Everything of a fact (or of a part of it) that the site can show, as comparable values.

    Generic over the model: a record is the tuple of its fields' names and values, taken
    recursively through records and lists, so that a field added to the format counts
    as a change without being named here. Positions (``where``, :class:`Located`) do not
    count, nor whitespace within text (runs folded to one space, ends dropped); lists keep
    their order (a card numbers its citations).
    """
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (list, tuple)):
        return tuple(_record(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(
                (f.name, _record(getattr(value, f.name)))
                for f in fields(value)
                if f.name != "where" and not isinstance(getattr(value, f.name), Located)
            ),
        )
    return value


def _speaker_words(fact: Fact) -> str:
    if fact.speaker_unstated:
        return "speaker not stated in the sources"
    return _text(fact.attributed_to) or "not attributed"


def _differences(old: Fact, new: Fact) -> Iterator[tuple[str, str, str]]:
    ov, nv = old.value, new.value
    old_figure = (
        (ov.amount, ov.upper, ov.min, ov.max, _text(ov.unit), _text(ov.words)) if ov else None
    )
    new_figure = (
        (nv.amount, nv.upper, nv.min, nv.max, _text(nv.unit), _text(nv.words)) if nv else None
    )
    if old_figure != new_figure:
        yield "figure", _figure(old), _figure(new)
    elif ov and nv and ov.qualifier != nv.qualifier:
        yield "qualifier", _figure(old), _figure(new)
    if (_text(old.attributed_to).casefold(), old.speaker_unstated) != (
        _text(new.attributed_to).casefold(),
        new.speaker_unstated,
    ):
        yield "attribution", _speaker_words(old), _speaker_words(new)
    olds = sorted(map(repr, map(_citation, old.citations)))
    news = sorted(map(repr, map(_citation, new.citations)))
    if olds != news:
        gone = [c for c in old.citations if repr(_citation(c)) not in news]
        came = [c for c in new.citations if repr(_citation(c)) not in olds]
        yield (
            "citations",
            "; ".join(map(_citation_words, gone)) or "—",
            "; ".join(map(_citation_words, came)) or "—",
        )
    if _retraction(old) != _retraction(new):
        yield "retraction", _retraction(old) or "published", _retraction(new) or "published"

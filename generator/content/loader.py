"""Find the content files, load them strictly and build the model.

Layout of a content directory::

    content/
      sources/<anything>.yaml        one source each, next to its archived text
      sources/<anything>.txt         the archived text, byte for byte
      sheets/<dir>/sheet.yaml        one fact sheet
      sheets/<dir>/**/*.yaml         files of facts belonging to that sheet

Loading reports problems (never raises for bad content) and returns whatever
it could build, so that the checks can report more problems in the same run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content import format as content_format
from generator.content.fields import INVALID, Context, Located, Record
from generator.content.model import Content, Fact, Sheet, Source
from generator.content.yamlload import decode_text, load_yaml
from generator.problems import Loc, Problem, display_path

SOURCES_DIR = "sources"
SHEETS_DIR = "sheets"
SHEET_FILE = "sheet.yaml"


@dataclass
class LoadResult:
    content: Content
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Every file that was read (YAML and archived texts), for watching and caching."""
    broken_sources: bool = False
    """A source file could not be loaded, so citations of its id are not "unknown"."""
    broken_sheets: set[str] = field(default_factory=set)
    """Sheets with a facts file that could not be loaded (their key figures may be there)."""


def _yaml_files(directory: Path) -> list[Path]:
    """The YAML files under ``directory``, sorted as paths (``os.walk``: no ``stat`` per file)."""
    found = [
        os.path.join(top, name)
        for top, _, names in os.walk(directory)
        for name in names
        if name.endswith((".yaml", ".yml")) and name not in (".yaml", ".yml")
    ]
    found.sort(key=lambda p: p.split(os.sep))
    return [_path(p) for p in found]


@functools.lru_cache(maxsize=1 << 18)
def _path(text: str) -> Path:
    return Path(text)


def read_file(path: Path, record: Record[Any]) -> tuple[Any, list[Problem]]:
    """Read one YAML file and convert it with ``record``: the value (INVALID when anything
    is wrong) and the problems found."""
    problems: list[Problem] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(Loc(display_path(path)), f"cannot read file: {exc.strerror}"))
        return INVALID, problems
    return _convert(data, display_path(path), record, problems), problems


def read_archive(source: Source, text_path: Path) -> tuple[Source, list[Problem], bool]:
    """The source with its archived text (read from ``text_path``) as a new object; the
    problems found, and whether the text could be read."""
    source = dataclasses.replace(source)
    problems: list[Problem] = []
    source.text_path = display_path(text_path)
    where = source.archive.where
    loc = where.of("file") if where else Loc(source.path)
    try:
        data = text_path.read_bytes()
    except OSError as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        problems.append(
            Problem(
                loc,
                f"archived text '{source.text_path}' cannot be read ({reason}); "
                "archive the source's text there, byte for byte",
            )
        )
        return source, problems, False
    source.text_sha256 = hashlib.sha256(data).hexdigest()
    source.text_bytes = data
    source.text, decode_problems = decode_text(data, source.text_path)
    problems.extend(decode_problems)
    return source, problems, True


def as_loaded(fact_id: str, fact: Fact) -> Fact:
    """A fact as loaded. (Memoised, this gives the last load's object for an equal fact,
    so that an edit to one fact of a file re-does the work of one fact.)"""
    return fact


@dataclass(frozen=True)
class LoadSteps:
    """The per-item functions the loader maps over the content's files, one field each.

    Inputs are positional (see :mod:`generator.speed.memo`, which memoises them for the
    preview); a ``Path`` input stands for its file's bytes (``reads_files``: the memo
    tells an unchanged file from its ``stat``).
    """

    file: Callable[..., tuple[Any, list[Problem]]] = field(
        default=read_file, metadata={"reads_files": True}
    )
    archive: Callable[..., tuple[Source, list[Problem], bool]] = field(
        default=read_archive, metadata={"reads_files": True}
    )
    fact: Callable[..., Fact] = as_loaded


PLAIN = LoadSteps()


def _convert(data: bytes, shown: str, record: Record[Any], problems: list[Problem]) -> Any:
    loaded = load_yaml(data, shown)
    if loaded.problems:
        problems.extend(loaded.problems)
        return INVALID
    if loaded.root is None:
        problems.append(Problem(Loc(shown), f"file is empty; it should hold a {record.name}"))
        return INVALID
    ctx = Context(shown)
    value = record.convert(loaded.root, ctx, record.name)
    problems.extend(ctx.problems)
    return value


def load_content(root: str | os.PathLike[str], steps: LoadSteps = PLAIN) -> LoadResult:
    """Load every content file under ``root``, each with ``steps``."""
    base = Path(root)
    result = LoadResult(Content(root=str(base)))
    problems = result.problems
    if not base.is_dir():
        problems.append(
            Problem(
                Loc(display_path(base)),
                "content directory not found; run factsheet "
                "from the project directory, or pass --content",
            )
        )
        return result
    known: set[Path] = set()
    _load_sources(base / SOURCES_DIR, result, known, steps)
    _load_sheets(base / SHEETS_DIR, result, known, steps)
    for path in _yaml_files(base):
        if path not in known:
            problems.append(
                Problem(
                    Loc(display_path(path)),
                    f"this YAML file is not in a known place: put sources in "
                    f"{display_path(base / SOURCES_DIR)}/ and facts in a sheet's directory "
                    f"under {display_path(base / SHEETS_DIR)}/",
                )
            )
    return result


def _load(path: Path, record: Record[Any], result: LoadResult, steps: LoadSteps) -> Any:
    value, problems = steps.file(path, record)
    result.problems.extend(problems)
    return value


def _load_sources(directory: Path, result: LoadResult, known: set[Path], steps: LoadSteps) -> None:
    content, problems = result.content, result.problems
    first_seen: dict[str, Source] = {}
    for path in _yaml_files(directory):
        known.add(path)
        result.files.append(str(path))
        source = _load(path, content_format.SOURCE, result, steps)
        if source is INVALID:
            result.broken_sources = True
            continue
        assert isinstance(source, Source)
        source.path = display_path(path)
        first = first_seen.get(source.id)
        if first is not None:
            problems.append(
                Problem(
                    _id_loc(source.where, source.path),
                    f"duplicate source id '{source.id}' "
                    f"(first used at {_id_loc(first.where, first.path)})",
                )
            )
            continue
        first_seen[source.id] = source
        text_path = path.parent / source.archive.file
        source, found, read = steps.archive(source, text_path)
        if read:
            result.files.append(str(text_path))
        problems.extend(found)
        content.sources[source.id] = source


def _load_sheets(directory: Path, result: LoadResult, known: set[Path], steps: LoadSteps) -> None:
    if not directory.is_dir():
        return
    sheet_locs: dict[str, Loc] = {}
    fact_paths: dict[str, tuple[Fact, Path]] = {}
    for sheet_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        _load_sheet(sheet_dir, result, known, steps, sheet_locs, fact_paths)


def load_sheet(sheet_dir: str | os.PathLike[str], steps: LoadSteps = PLAIN) -> LoadResult:
    """Load one sheet's directory alone: its ``sheet.yaml`` and its facts, no sources.

    What :func:`load_content` does for each sheet; duplicates are found within the sheet
    only. The preview uses it to redo one sheet after an edit to its facts.
    """
    directory = Path(sheet_dir)
    result = LoadResult(Content(root=str(directory.parent.parent)))
    _load_sheet(directory, result, set(), steps, {}, {})
    return result


def _load_sheet(
    sheet_dir: Path,
    result: LoadResult,
    known: set[Path],
    steps: LoadSteps,
    sheet_locs: dict[str, Loc],
    fact_paths: dict[str, tuple[Fact, Path]],
) -> None:
    """Load a sheet's directory into ``result``; ``sheet_locs`` and ``fact_paths`` are the
    ids seen so far (duplicates are problems)."""
    content, problems = result.content, result.problems
    sheet_path = sheet_dir / SHEET_FILE
    files = _yaml_files(sheet_dir)
    if sheet_path not in files:
        if files:
            problems.append(
                Problem(
                    Loc(display_path(sheet_dir)),
                    f"sheet directory has no {SHEET_FILE}; "
                    "create it with the sheet's title, summary and topics "
                    "(`factsheet new sheet`)",
                )
            )
            known.update(files)
        return
    known.update(files)
    result.files.extend(str(p) for p in files)
    sheet = _load(sheet_path, content_format.SHEET, result, steps)
    sheet_id = None
    if sheet is not INVALID:
        assert isinstance(sheet, Sheet)
        sheet.dir = display_path(sheet_dir)
        loc = sheet.where.of("id") if sheet.where else Loc(display_path(sheet_path))
        if sheet.id in sheet_locs:
            problems.append(
                Problem(
                    loc,
                    f"duplicate sheet id '{sheet.id}' (first used at {sheet_locs[sheet.id]})",
                )
            )
        else:
            sheet_locs[sheet.id] = loc
            content.sheets[sheet.id] = sheet
            sheet_id = sheet.id
    for path in files:
        if path == sheet_path:
            continue
        before = len(problems)
        facts = _load(path, content_format.FACTS_FILE, result, steps)
        if len(problems) > before and sheet_id is not None:
            result.broken_sheets.add(sheet_id)
        if facts is INVALID:
            continue
        for fact in facts:
            assert isinstance(fact, Fact)
            if sheet_id is not None:
                fact.sheet = sheet_id
                fact = steps.fact(fact.id, fact)
            seen = fact_paths.get(fact.id)
            if seen is not None:
                first, first_path = seen
                problems.append(
                    Problem(
                        _id_loc(fact.where, display_path(path)),
                        f"duplicate fact id '{fact.id}' (first used at "
                        f"{_id_loc(first.where, display_path(first_path))}); fact ids "
                        "must be unique across all sheets, they are anchors and permalinks",
                    )
                )
                continue
            fact_paths[fact.id] = (fact, path)
            if sheet_id is not None:
                fact.sheet = sheet_id
                content.facts[fact.id] = fact


def _id_loc(where: Located | None, path: str) -> Loc:
    """Where a record's id was written (worked out only for a problem)."""
    return where.of("id") if where else Loc(path)

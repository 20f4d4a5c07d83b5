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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content import format as content_format
from generator.content.fields import INVALID, Context, Located, Record
from generator.content.model import Content, Fact, Sheet, Source
from generator.content.yamlload import decode_text, load_yaml
from generator.problems import Loc, Problem, display_path
from generator.speed.filestamps import Digest, FileStamps, digest_of

SOURCES_DIR = "sources"
SHEETS_DIR = "sheets"
SHEET_FILE = "sheet.yaml"


@dataclass
class LoadCache:
    """What an earlier load read, reused for files that have not changed since (``serve``).

    Unchanged files give back the *same* objects, which later stages use to tell
    what changed; a source whose archived text changed becomes a new object. In a changed
    facts file, a fact equal to the one of the last load (same id, same content, same
    lines) is that same object again, so an edit to one fact re-does the work of one fact.
    Which files changed is told by their ``stat`` (:class:`FileStamps`).
    """

    records: dict[tuple[Path, str], tuple[Digest, Any, list[Problem]]] = field(default_factory=dict)
    sources: dict[Path, tuple[Digest, Digest | None, Source, list[Problem]]] = field(
        default_factory=dict
    )
    facts: dict[str, Fact] = field(default_factory=dict)
    """The facts of the last load, by id."""
    stamps: FileStamps = field(default_factory=FileStamps)


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
    cache: LoadCache | None = None


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


def load_record(
    path: Path, record: Record[Any], problems: list[Problem], cache: LoadCache | None = None
) -> Any:
    """Read one YAML file and convert it with ``record``; INVALID when anything is wrong."""
    shown = display_path(path)
    key = (path, record.name)
    data: bytes | None = None
    if cache is not None:
        digest, data = cache.stamps.look(path)
        hit = cache.records.get(key)
        if digest is not None and hit is not None and hit[0] == digest:
            problems.extend(hit[2])
            return hit[1]
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(Loc(shown), f"cannot read file: {exc.strerror}"))
            return INVALID
    if cache is None:
        return _convert(data, shown, record, problems)
    found: list[Problem] = []
    value = _convert(data, shown, record, found)
    problems.extend(found)
    cache.records[key] = (digest_of(data), value, found)
    return value


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


def load_content(root: str | os.PathLike[str], cache: LoadCache | None = None) -> LoadResult:
    """Load every content file under ``root`` (reusing ``cache`` for unchanged files)."""
    base = Path(root)
    result = LoadResult(Content(root=str(base)), cache=cache)
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
    if cache is not None:
        cache.stamps.begin()
    _load_sources(base / SOURCES_DIR, result, known)
    _load_sheets(base / SHEETS_DIR, result, known)
    if cache is not None:
        cache.facts = dict(result.content.facts)
        cache.stamps.forget_except(set(result.files))
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


def _load_sources(directory: Path, result: LoadResult, known: set[Path]) -> None:
    content, problems = result.content, result.problems
    first_seen: dict[str, Source] = {}
    for path in _yaml_files(directory):
        known.add(path)
        result.files.append(str(path))
        source = load_record(path, content_format.SOURCE, problems, result.cache)
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
        content.sources[source.id] = _with_archive(path, source, result)


def _with_archive(path: Path, source: Source, result: LoadResult) -> Source:
    """The source with its archived text read (or reused when neither file changed)."""
    cache = result.cache
    if cache is None:
        _read_archive(path.parent, source, result)
        return source
    yaml_sig = cache.stamps.look(path)[0]
    text_sig = cache.stamps.look(path.parent / source.archive.file)[0]
    hit = cache.sources.get(path)
    if hit is not None and yaml_sig is not None and hit[:2] == (yaml_sig, text_sig):
        result.files.append(str(path.parent / source.archive.file))
        result.problems.extend(hit[3])
        return hit[2]
    fresh = dataclasses.replace(source)  # a changed archive makes a new object
    before = len(result.problems)
    _read_archive(path.parent, fresh, result)
    if yaml_sig is not None:
        cache.sources[path] = (yaml_sig, text_sig, fresh, result.problems[before:])
    return fresh


def _read_archive(directory: Path, source: Source, result: LoadResult) -> None:
    text_path = directory / source.archive.file
    source.text_path = display_path(text_path)
    where = source.archive.where
    loc = where.of("file") if where else Loc(source.path)
    try:
        data = text_path.read_bytes()
    except OSError as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        result.problems.append(
            Problem(
                loc,
                f"archived text '{source.text_path}' cannot be read ({reason}); "
                "archive the source's text there, byte for byte",
            )
        )
        return
    result.files.append(str(text_path))
    source.text_sha256 = hashlib.sha256(data).hexdigest()
    source.text_bytes = data
    text, problems = decode_text(data, source.text_path)
    result.problems.extend(problems)
    source.text = text


def _load_sheets(directory: Path, result: LoadResult, known: set[Path]) -> None:
    content, problems = result.content, result.problems
    if not directory.is_dir():
        return
    sheet_locs: dict[str, Loc] = {}
    fact_paths: dict[str, tuple[Fact, Path]] = {}
    for sheet_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
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
            continue
        known.update(files)
        result.files.extend(str(p) for p in files)
        sheet = load_record(sheet_path, content_format.SHEET, problems, result.cache)
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
            facts = load_record(path, content_format.FACTS_FILE, problems, result.cache)
            if len(problems) > before and sheet_id is not None:
                result.broken_sheets.add(sheet_id)
            if facts is INVALID:
                continue
            if result.cache is not None and sheet_id is not None:
                _reuse_equal(facts, sheet_id, result.cache.facts)
            for fact in facts:
                assert isinstance(fact, Fact)
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


def _reuse_equal(facts: list[Fact], sheet_id: str, last: dict[str, Fact]) -> None:
    """In a facts file read again, keep the last load's object for each fact that is equal."""
    for i, fact in enumerate(facts):
        old = last.get(fact.id)
        if old is not None and old is not fact and old.sheet == sheet_id:
            fact.sheet = sheet_id
            if old == fact:
                facts[i] = old

"""``factsheet new``: skeletons of a sheet and of a fact, for editors to fill in.

A skeleton is valid YAML whose empty required keys make ``factsheet check``
say exactly what is left to write ("'summary' is empty; it is required in
sheet", at its line), with a ``# TODO:`` comment beside each.

``new fact`` appends to an existing facts file by inserting text after its last
fact: everything already in the file (comments, key order, quoting, blank
lines) stays byte for byte, and the result is read back with the strict loader
before it replaces the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.content.fields import SLUG_PATTERN
from generator.content.loader import SHEET_FILE, SHEETS_DIR, load_content
from generator.content.nodes import Mapping, Node, Scalar, Sequence
from generator.content.yamlload import load_yaml
from generator.editor.addsource import project_schema_ref
from generator.editor.yamlwrite import (
    EditError,
    append_item,
    modeline,
    replace_file,
    scalar,
    sequence_layout,
    write_new,
)
from generator.problems import Loc, display_path
from generator.site.project import Project

FACTS_DIR = "facts"
DEFAULT_TOPIC = "overview"


class ScaffoldError(Exception):
    """The skeleton was not written; ``loc`` says where the obstacle is, when in a file."""

    def __init__(self, message: str, loc: Loc | None = None) -> None:
        super().__init__(message)
        self.loc = loc

    def format(self) -> str:
        return f"{self.loc}: error: {self}" if self.loc else f"factsheet new: error: {self}"


@dataclass(frozen=True)
class Written:
    path: Path
    line: int
    """Line where the new fact (or file) starts."""
    created: bool


def slug_problem(text: str) -> str | None:
    """Why ``text`` is not a valid id (of a sheet, topic, fact or source), or None."""
    if re.fullmatch(SLUG_PATTERN, text):
        return None
    return (
        f"'{text}' is not an id: use lower-case letters, digits and hyphens, starting and "
        "ending with a letter or digit, at most 80 characters"
    )


# -- skeletons ----------------------------------------------------------------------------


def fact_lines(topic: str, fact_id: str | None, *, dash: int = 2, key: int = 4) -> list[str]:
    """A fact skeleton as lines, its dash at column ``dash`` and its keys at ``key``."""
    pad = " " * key
    first = " " * dash + "- " + " " * max(key - dash - 2, 0)
    id_line = (
        f"id: {fact_id}"
        if fact_id
        else "id:  # TODO: a stable id: lower-case words and hyphens, unique in all sheets"
    )
    return [
        first + id_line,
        f"{pad}topic: {topic}",
        f"{pad}statement:  # TODO: the fact in your words, one or two sentences",
        f"{pad}# Optional: value (amount, unit, qualifier), scope, date, period, attributed_to",
        f"{pad}# (or speaker_unstated: true when the sources do not say who made the statement),",
        f"{pad}# names, note; `factsheet cite` prints the numbers a quote states",
        *_derived_hint(pad, "this fact's"),
        f"{pad}# A citation may add attribution (its source's words naming the speaker, when the",
        f"{pad}# quote does not) or states: {{speaker_unstated: true}} (its source does not say",
        f"{pad}# who made the statement); `factsheet cite` prints both, ready to uncomment",
        f'{pad}citations:  # TODO: paste the block printed by: factsheet cite SOURCE "quote"',
        f"{pad}  - source:  # TODO: the id of a source in content/sources/",
        f"{pad}    quote:  # TODO: the passage, word for word from its archived text",
    ]


def _derived_hint(pad: str, whose: str) -> list[str]:
    """Commented-out ``derived`` (figures of the editor's own calculation), to uncomment."""
    return [
        f"{pad}# Optional: figures in {whose} prose that are your own calculation from facts:",
        f"{pad}# derived:",
        f"{pad}#   - figure: FIGURE  # as the prose writes it, qualifier included",
        f"{pad}#     from: [FACT-ID, FACT-ID]  # facts of the sheet, with figures",
        f"{pad}#     how: HOW  # how it was worked out, for readers",
    ]


def sheet_yaml(ref: str, sheet_id: str, title: str, topics: list[str]) -> str:
    lines = [
        modeline(ref),
        f"id: {sheet_id}",
        f"title: {scalar(title)}",
        "summary:  # TODO: the story in a few sentences, shown at the top (use '|' for several "
        "paragraphs)",
        "as_of:  # TODO: the date the sheet's information is current as of (YYYY-MM-DD)",
        "# Optional: one line for search engines and link previews.",
        "# description: ...",
        "# Optional: the time span the figures cover.",
        "# period:",
        "#   start: YYYY-MM-DD",
        "#   end: YYYY-MM-DD",
        "topics:",
    ]
    for topic in topics:
        lines += [
            f"  - id: {topic}",
            "    title:  # TODO: the heading of this topic's section",
        ]
    lines += [
        "# Optional: the campaigns or populations the figures belong to; figures of",
        "# different scopes are never added up or charted together.",
        "# scopes:",
        "#   - id: SCOPE-ID",
        "#     title: Name readers see",
        "# Optional: facts with a number, shown as large figures at the top.",
        "# key_figures:",
        "#   - fact: FACT-ID",
        "#     meaning: one line saying what the figure means",
        *_derived_hint("", "the sheet's"),
    ]
    return "\n".join(lines) + "\n"


def facts_yaml(ref: str, topic: str, fact_id: str | None) -> str:
    lines = [modeline(ref), "facts:", *fact_lines(topic, fact_id)]
    return "\n".join(lines) + "\n"


# -- finding sheets and facts files ---------------------------------------------------------


@dataclass
class SheetInfo:
    id: str
    dir: Path
    topics: list[str]


def _entry(node: Node | None, key: str) -> Node | None:
    if isinstance(node, Mapping) and key in node.entries:
        return node.entries[key][1]
    return None


def _text(node: Node | None) -> str | None:
    return node.value if isinstance(node, Scalar) and node.value else None


def _load(path: Path) -> Node | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return load_yaml(data, display_path(path)).root


def find_sheets(content_dir: Path) -> list[SheetInfo]:
    """Every sheet with a readable ``sheet.yaml`` (read leniently: only id and topics)."""
    out = []
    base = content_dir / SHEETS_DIR
    if not base.is_dir():
        return []
    for sheet_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        root = _load(sheet_dir / SHEET_FILE)
        sheet_id = _text(_entry(root, "id"))
        if sheet_id is None:
            continue
        topics_node = _entry(root, "topics")
        topics = []
        if isinstance(topics_node, Sequence):
            topics = [t for t in (_text(_entry(i, "id")) for i in topics_node.items) if t]
        out.append(SheetInfo(sheet_id, sheet_dir, topics))
    return out


def facts_files(sheet_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in sheet_dir.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file() and p != sheet_dir / SHEET_FILE
    )


def topic_count(path: Path, topic: str) -> int:
    """How many facts of the file at ``path`` use ``topic``; ScaffoldError if it is unreadable."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScaffoldError(f"cannot read the file: {exc.strerror}", Loc(shown)) from None
    loaded = load_yaml(data, shown)
    if loaded.problems:
        first = loaded.problems[0]
        raise ScaffoldError(
            f"this facts file cannot be read ({first.message}); fix it first, so that the new "
            "fact goes to the right file",
            first.loc,
        )
    facts = _entry(loaded.root, "facts")
    if not isinstance(facts, Sequence):
        return 0
    return sum(1 for item in facts.items if _text(_entry(item, "topic")) == topic)


def target_file(sheet: SheetInfo, topic: str) -> Path:
    """The facts file whose facts use ``topic`` most, else ``facts/<topic>.yaml``."""
    best: tuple[int, Path] | None = None
    for path in facts_files(sheet.dir):
        count = topic_count(path, topic)
        if count and (best is None or count > best[0]):
            best = (count, path)
    return best[1] if best else sheet.dir / FACTS_DIR / f"{topic}.yaml"


# -- commands -------------------------------------------------------------------------------


def new_sheet(
    project: Project, sheet_id: str, title: str, topics: list[str] | None = None
) -> list[Written]:
    """Write ``sheets/<id>/sheet.yaml`` and a first facts file; ScaffoldError if any exists."""
    topics = list(dict.fromkeys(topics or [DEFAULT_TOPIC]))
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("the title is empty; give the sheet's title with --title")
    content = project.content_dir
    for sheet in find_sheets(content):
        if sheet.id == sheet_id:
            raise ScaffoldError(
                f"a sheet with id '{sheet_id}' already exists",
                Loc(display_path(sheet.dir / SHEET_FILE)),
            )
    sheet_dir = content / SHEETS_DIR / sheet_id
    sheet_path = sheet_dir / SHEET_FILE
    facts_path = sheet_dir / FACTS_DIR / f"{topics[0]}.yaml"
    for path in (sheet_path, facts_path):
        if path.exists():
            raise ScaffoldError(
                f"{display_path(path)} already exists; it was not overwritten",
                Loc(display_path(path)),
            )
    sheet_text = sheet_yaml(
        project_schema_ref(project, "sheet", sheet_path), sheet_id, title, topics
    )
    facts_text = facts_yaml(project_schema_ref(project, "facts", facts_path), topics[0], None)
    write_new(sheet_path, sheet_text.encode("utf-8"))
    try:
        write_new(facts_path, facts_text.encode("utf-8"))
    except BaseException:
        sheet_path.unlink(missing_ok=True)
        raise
    return [Written(sheet_path, 1, True), Written(facts_path, 3, True)]


def new_fact(project: Project, sheet_id: str, topic: str, fact_id: str | None = None) -> Written:
    """Append a fact skeleton to the facts file of ``sheet_id`` that uses ``topic``."""
    content = project.content_dir
    sheets = find_sheets(content)
    sheet = next((s for s in sheets if s.id == sheet_id), None)
    if sheet is None:
        known = ", ".join(s.id for s in sheets) or "none"
        raise ScaffoldError(
            f"no sheet '{sheet_id}' (sheets: {known}); create one with factsheet new sheet"
        )
    if topic not in sheet.topics:
        known = ", ".join(sheet.topics) or "none"
        raise ScaffoldError(
            f"sheet '{sheet_id}' has no topic '{topic}' (topics: {known}); add it under "
            "'topics:' first",
            Loc(display_path(sheet.dir / SHEET_FILE)),
        )
    if fact_id is not None:
        existing = load_content(content).content.facts.get(fact_id)
        if existing is not None:
            where = existing.where.of("id") if existing.where else None
            raise ScaffoldError(f"a fact with id '{fact_id}' already exists", where)
    path = target_file(sheet, topic)
    if not path.exists():
        text = facts_yaml(project_schema_ref(project, "facts", path), topic, fact_id)
        write_new(path, text.encode("utf-8"))
        return Written(path, 3, True)
    shown = display_path(path)
    try:
        original = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"cannot read the file: {exc}", Loc(shown)) from None
    try:
        layout = sequence_layout(original, shown, "facts")
    except EditError as exc:
        raise ScaffoldError(str(exc), Loc(shown, exc.line, exc.col)) from None
    lines = fact_lines(topic, fact_id, dash=layout.dash, key=layout.key)
    updated = append_item(original, layout, lines)
    _verify(updated, shown, layout.items + 1, topic)
    replace_file(path, updated.encode("utf-8"))
    start = updated.find(lines[0], layout.insert_at)
    line = updated.count("\n", 0, start) + 1
    return Written(path, line, False)


def _verify(text: str, shown: str, items: int, topic: str) -> None:
    """The edited file must read back with the new fact last (else nothing is written)."""
    loaded = load_yaml(text.encode("utf-8"), shown)
    facts = _entry(loaded.root, "facts")
    if (
        loaded.problems
        or not isinstance(facts, Sequence)
        or len(facts.items) != items
        or _text(_entry(facts.items[-1], "topic")) != topic
    ):
        raise ScaffoldError(
            "the fact could not be added without changing the file's structure; add it by "
            "hand (the file was left as it was)",
            Loc(shown),
        )

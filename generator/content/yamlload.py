"""A strict, safe YAML loader that keeps the position of every key and value.

PyYAML's stock loaders accept far more than fact sheets need, and some of it
changes meaning silently (YAML 1.1 turns ``NO`` into ``false`` and ``012`` into
10, keeps the last of two duplicate keys, expands aliases exponentially).  This
loader reads the *event stream* of LibYAML's C parser (about seven times
faster than ``yaml.load(..., Loader=yaml.CSafeLoader)``, whose slow part is
the Python-level composer and resolver) and composes its own small node tree:

* every scalar stays the text the editor wrote: no implicit typing at all.
  Whether ``012`` is a number is decided later by the schema
  (:mod:`generator.content.fields`), which knows what each field wants;
* duplicate keys, anchors, aliases, explicit tags, non-scalar keys and
  several documents in one file are errors;
* nesting is bounded while the events stream in: composition is iterative and
  stops at :data:`MAX_DEPTH`, so a hostile file never reaches a recursive
  composer (PyYAML's C composer crashes at about 30,000 levels) and LibYAML's
  scanner, which slows down quadratically with flow depth, stops early;
* files must be UTF-8 and at most :data:`MAX_FILE_BYTES`; NUL and other control
  characters, and bidirectional-override characters ("Trojan Source"), are
  rejected anywhere in the file.

Nothing here raises for bad content: problems are returned with their line and
column, and the caller decides what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from generator.content.nodes import Mapping, Node, Scalar, Sequence
from generator.problems import Loc, Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest content file accepted (4 MiB: about 8,000 facts in one file)."""

MAX_DEPTH = 12
"""Deepest nesting of mappings and sequences the schema can need, with room to spare."""

_Parser: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:
    _Parser = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without LibYAML
    _Parser = yaml.SafeLoader

# C0 controls except tab, LF and CR; DEL and C1 controls; bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORBIDDEN_NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


@dataclass
class LoadedYaml:
    """The result of loading one file: its root node (None if empty or broken) and problems."""

    path: str
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


def decode_text(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode content bytes as UTF-8 and reject forbidden characters, with positions.

    Shared by the YAML loader and the archived-text reader.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data[: exc.start].decode("utf-8", "replace"), None)
        bad = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                Loc(path, line, col),
                f"file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8",
            )
        ]
    problems = []
    for match in _FORBIDDEN.finditer(text):
        char = match.group()
        line, col = _position(text, match.start())
        name = _FORBIDDEN_NAMES.get(char, "control character")
        problems.append(
            Problem(
                Loc(path, line, col),
                f"forbidden character U+{ord(char):04X} ({name}); "
                "remove it (pasted text often carries invisible characters)",
            )
        )
        if len(problems) >= 20:
            break
    return (None, problems) if problems else (text, [])


def _position(text: str, index: int | None) -> tuple[int, int]:
    head = text if index is None else text[:index]
    line = head.count("\n") + 1
    col = len(head) - (head.rfind("\n") + 1) + 1
    return line, col


def load_yaml(data: bytes, path: str) -> LoadedYaml:
    """Compose one YAML file strictly. ``path`` is used in problem locations only."""
    if len(data) > MAX_FILE_BYTES:
        return LoadedYaml(
            path,
            None,
            [
                Problem(
                    Loc(path, 1, 1),
                    f"file is {len(data):,} bytes, over the limit of {MAX_FILE_BYTES:,}; "
                    "split it into several files",
                )
            ],
        )
    text, problems = decode_text(data, path)
    if text is None:
        return LoadedYaml(path, None, problems)
    return _Composer(text, path).compose()


class _Composer:
    """Builds :class:`Node` trees from parser events, iteratively."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.problems: list[Problem] = []

    def _problem(self, mark: Any, message: str) -> None:
        self.problems.append(Problem(Loc(self.path, mark.line + 1, mark.column + 1), message))

    def compose(self) -> LoadedYaml:
        parser = _Parser(self.text)
        try:
            root = self._run(parser)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = _syntax_message(exc)
            if mark is not None:
                self._problem(mark, message)
            else:  # pragma: no cover - LibYAML always marks its errors
                self.problems.append(Problem(Loc(self.path), message))
            root = None
        except yaml.YAMLError as exc:  # pragma: no cover - unmarked reader errors
            self.problems.append(Problem(Loc(self.path), f"invalid YAML: {exc}"))
            root = None
        finally:
            parser.dispose()
        return LoadedYaml(self.path, root if not self.problems else None, self.problems)

    def _run(self, parser: yaml.SafeLoader | yaml.CSafeLoader) -> Node | None:
        get_event = parser.get_event
        Scalar_, Mapping_, Sequence_ = Scalar, Mapping, Sequence
        ScalarEvent, MappingStart, SequenceStart = (
            ev.ScalarEvent,
            ev.MappingStartEvent,
            ev.SequenceStartEvent,
        )
        MappingEnd, SequenceEnd = ev.MappingEndEvent, ev.SequenceEndEvent
        # Stack of open collections; for mappings, the pending key (or None).
        stack: list[Mapping | Sequence] = []
        pending: list[Scalar | None] = []
        root: Node | None = None
        documents = 0
        while True:
            event: Any = get_event()
            etype = type(event)
            node: Node | None = None
            if etype is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    self._anchor_or_tag(event)
                mark = event.start_mark
                if event.style == '"':  # only double quotes have escapes ("\\u202E")
                    self._escaped_characters(event)
                node = Scalar_(event.value, mark.line + 1, mark.column + 1, not event.style)
            elif etype is MappingStart or etype is SequenceStart:
                if event.anchor is not None or event.tag is not None:
                    self._anchor_or_tag(event)
                if len(stack) >= MAX_DEPTH:
                    self._problem(event.start_mark, TOO_DEEP)
                    return None
                mark = event.start_mark
                coll: Mapping | Sequence = (
                    Mapping_(mark.line + 1, mark.column + 1)
                    if etype is MappingStart
                    else Sequence_(mark.line + 1, mark.column + 1)
                )
                stack.append(coll)
                pending.append(None)
                continue
            elif etype is MappingEnd or etype is SequenceEnd:
                node = stack.pop()
                pending.pop()
            elif etype is ev.AliasEvent:
                self._problem(
                    event.start_mark,
                    f"aliases (*{event.anchor}) are not allowed; write the value out in full",
                )
                return None
            elif etype is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._problem(
                        event.start_mark,
                        "a second YAML document ('---') in one file; "
                        "put each document in a file of its own",
                    )
                    return None
                continue
            elif etype is ev.StreamEndEvent:
                return root
            else:  # StreamStart, DocumentEnd
                continue

            if not stack:
                root = node
                continue
            parent = stack[-1]
            if type(parent) is Sequence_:
                parent.items.append(node)
                continue
            key = pending[-1]
            if key is None:
                if type(node) is not Scalar_:
                    self.problems.append(
                        Problem(
                            Loc(self.path, node.line, node.col),
                            "a mapping key must be plain text, not a list or mapping",
                        )
                    )
                    return None
                pending[-1] = node
                continue
            pending[-1] = None
            assert isinstance(parent, Mapping)
            first = parent.entries.get(key.value)
            if first is not None:
                self.problems.append(
                    Problem(
                        Loc(self.path, key.line, key.col),
                        f"duplicate key '{key.value}' (first defined on line "
                        f"{first[0].line}); YAML would silently keep only the last one",
                    )
                )
                continue
            parent.entries[key.value] = (key, node)

    def _escaped_characters(self, event: Any) -> None:
        """Double-quoted escapes ("\\u202E", "\\0") must not smuggle in forbidden characters."""
        match = _FORBIDDEN.search(event.value)
        if match is not None:
            char = match.group()
            name = _FORBIDDEN_NAMES.get(char, "control character")
            self._problem(
                event.start_mark,
                f"forbidden character U+{ord(char):04X} ({name}) written as an escape in a "
                "quoted string; remove it",
            )

    def _anchor_or_tag(self, event: Any) -> None:
        if event.anchor is not None:
            self._problem(
                event.start_mark,
                f"anchors (&{event.anchor}) are not allowed; write each value out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            self._problem(
                event.start_mark,
                f"tags ({tag}) are not allowed; values are typed by the schema, not by YAML",
            )


TOO_DEEP = (
    f"nesting is deeper than {MAX_DEPTH} levels; "
    "no fact sheet field needs this, check the indentation"
)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    if exc.problem and "exceeded maximum nesting depth" in exc.problem:
        # LibYAML 0.2.6 stops at 1,000 levels of brackets while it still looks ahead for
        # a key, before a single event reaches the depth check above: same advice
        return TOO_DEEP
    parts = [p for p in (exc.context, exc.problem) if p]
    text = "; ".join(parts) or "invalid YAML"
    hint = ""
    if "found character '\\t'" in text or "'\\t'" in text:
        hint = " (YAML indentation must use spaces, not tabs)"
    elif "mapping values are not allowed" in text:
        hint = " (a value containing ': ' must be quoted)"
    elif "could not find expected ':'" in text:
        hint = " (check the indentation, or quote a value that contains a colon or '#')"
    return f"invalid YAML: {text}{hint}"

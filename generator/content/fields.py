"""Declarative, typed fields for content files, in the manner of MkDocs' config options.

Each field knows how to turn a YAML node (see :mod:`generator.content.yamlload`, where
every scalar is still the text written) into a Python value, how to report a
wrong value with its exact position and a hint, and how to describe itself as
JSON Schema.  The record definitions in :mod:`generator.content.format` are the
single source of the content format: ``check`` validates with them, and the
published JSON Schema and the YAML reference page are generated from them.
"""

from __future__ import annotations

import calendar
import difflib
import html
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar, cast

from generator.content.nodes import Mapping, Node, Scalar, Sequence
from generator.problems import Loc, Problem

T = TypeVar("T")


class _Invalid:
    """Marker for a value that failed validation (its problem is already reported)."""

    _instance: _Invalid | None = None

    def __new__(cls) -> _Invalid:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID: Any = _Invalid()

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class Context:
    """Where problems go while one file is converted."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def loc(self, node: Node) -> Loc:
        return Loc(self.path, node.line, node.col)

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.loc(node), message))


def is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.value in _NULLS


def _describe(node: Node) -> str:
    if isinstance(node, Scalar):
        shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return f"'{shown}'"
    return f"a {node.kind}"


class Field(Generic[T]):
    """A typed field. ``label`` names the kind of value in messages and docs."""

    label = "value"

    def __init__(self, description: str, *, required: bool = False) -> None:
        self.description = description
        self.required = required

    def convert(self, node: Node, ctx: Context, name: str) -> T:
        raise NotImplementedError

    def fail(self, ctx: Context, node: Node, message: str) -> T:
        """Report a problem at ``node`` and return the INVALID marker."""
        ctx.error(node, message)
        return self.invalid()

    def invalid(self) -> T:
        return cast(T, INVALID)

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _scalar(self, node: Node, ctx: Context, name: str) -> str | None:
        if isinstance(node, Scalar):
            return node.value
        ctx.error(node, f"'{name}' must be {self.label}, not {_describe(node)}")
        return None


class Text(Field[str]):
    """Text as written. ``one_line`` folds line breaks and runs of spaces to single spaces."""

    label = "text"

    def __init__(
        self,
        description: str,
        *,
        required: bool = False,
        one_line: bool = True,
        max_length: int = 5000,
        min_length: int = 1,
    ) -> None:
        super().__init__(description, required=required)
        self.one_line = one_line
        self.max_length = max_length
        self.min_length = min_length

    def convert(self, node: Node, ctx: Context, name: str) -> str:
        value = self._scalar(node, ctx, name)
        if value is None:
            return self.invalid()
        value = " ".join(value.split()) if self.one_line else value.strip()
        if len(value) < self.min_length:
            return self.fail(ctx, node, f"'{name}' is empty; write the text or remove the key")
        if len(value) > self.max_length:
            return self.fail(
                ctx,
                node,
                f"'{name}' is {len(value):,} characters, over the limit of {self.max_length:,}",
            )
        return self.check(value, node, ctx, name)

    def check(self, value: str, node: Node, ctx: Context, name: str) -> str:
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": self.min_length, "maxLength": self.max_length}


class Pattern(Text):
    """Text that must match a regular expression (``hint`` says what it should look like)."""

    def __init__(
        self,
        description: str,
        pattern: str,
        hint: str,
        *,
        required: bool = False,
        max_length: int = 200,
    ) -> None:
        super().__init__(description, required=required, max_length=max_length)
        self.regex = re.compile(pattern)
        self.hint = hint

    def check(self, value: str, node: Node, ctx: Context, name: str) -> str:
        if not self.regex.fullmatch(value):
            return self.fail(ctx, node, f"'{name}' is {_describe(node)}; {self.hint}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {**super().json_schema(), "pattern": f"^(?:{self.regex.pattern})$"}


SLUG_PATTERN = r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?"


class Slug(Pattern):
    """A stable identifier usable in URLs and as an HTML anchor."""

    label = "an identifier"

    def __init__(self, description: str, *, required: bool = False) -> None:
        super().__init__(
            description,
            SLUG_PATTERN,
            "use lower-case letters, digits and hyphens (like 'posts-deleted'), "
            "starting and ending with a letter or digit, at most 80 characters",
            required=required,
            max_length=80,
        )


class Choice(Text):
    """One of a fixed set of words."""

    def __init__(
        self,
        description: str,
        choices: tuple[str, ...],
        *,
        required: bool = False,
    ) -> None:
        super().__init__(description, required=required, max_length=100)
        self.choices = choices
        self.label = "one of " + ", ".join(choices)

    def check(self, value: str, node: Node, ctx: Context, name: str) -> str:
        if value not in self.choices:
            close = difflib.get_close_matches(value, self.choices, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return self.fail(
                ctx,
                node,
                f"'{name}' is {_describe(node)}; {hint}choose one of: " + ", ".join(self.choices),
            )
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}


_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


class Number(Field[Decimal]):
    """A number written in plain digits (no YAML 1.1 octal, sexagesimal or underscores)."""

    label = "a number"

    def __init__(
        self, description: str, *, required: bool = False, minimum: Decimal | None = None
    ) -> None:
        super().__init__(description, required=required)
        self.minimum = minimum

    def convert(self, node: Node, ctx: Context, name: str) -> Decimal:
        text = self._scalar(node, ctx, name)
        if text is None:
            return self.invalid()
        assert isinstance(node, Scalar)
        if not node.plain:
            return self.fail(
                ctx,
                node,
                f"'{name}' must be a number, not quoted text: write {text} without quotes",
            )
        if not _NUMBER.fullmatch(text):
            return self.fail(ctx, node, f"'{name}' is {_describe(node)}; {_number_hint(text)}")
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return self.fail(ctx, node, f"'{name}' is not a number")
        if self.minimum is not None and value < self.minimum:
            return self.fail(ctx, node, f"'{name}' must be at least {self.minimum}")
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number"}
        if self.minimum is not None:
            schema["minimum"] = int(self.minimum)
        return schema


def _number_hint(text: str) -> str:
    if re.fullmatch(r"-?0[0-9]+", text):
        return (
            f"a leading zero is ambiguous (YAML 1.1 reads {text} as an octal number); "
            f"write {text.lstrip('0') or '0'}"
        )
    if "_" in text and re.fullmatch(r"[0-9_.]+", text):
        return f"write the number without '_' separators: {text.replace('_', '')}"
    if "," in text and re.fullmatch(r"[0-9,.]+", text):
        return f"write the number without thousands separators: {text.replace(',', '')}"
    if re.fullmatch(r"[0-9]+(?::[0-9]+)+", text):
        return "this is not a number (YAML 1.1 reads it as base 60); write the number in digits"
    if re.search(r"[0-9]", text) and re.search(r"[a-zA-Z]", text):
        return "write the number in plain digits (1400000 for '1.4 million'); words go in 'unit'"
    return "write a number in plain digits, like 67000 or 1.5"


class Bool(Field[bool]):
    """``true`` or ``false``, nothing else (YAML 1.1's yes/no/on/off are refused)."""

    label = "true or false"

    def convert(self, node: Node, ctx: Context, name: str) -> bool:
        text = self._scalar(node, ctx, name)
        if text is None:
            return self.invalid()
        assert isinstance(node, Scalar)
        if node.plain and text in ("true", "false"):
            return text == "true"
        return self.fail(ctx, node, f"'{name}' is {_describe(node)}; write true or false")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day (as CSL-JSON date-parts)."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return self.iso()


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class Date(Field[PartialDate]):
    """A date as YYYY-MM-DD, or YYYY-MM or YYYY when only that much is known."""

    label = "a date (YYYY-MM-DD, YYYY-MM or YYYY)"

    def convert(self, node: Node, ctx: Context, name: str) -> PartialDate:
        text = self._scalar(node, ctx, name)
        if text is None:
            return self.invalid()
        match = _DATE.fullmatch(text.strip())
        hint = "write the date as YYYY-MM-DD (or YYYY-MM, or YYYY when only that is known)"
        if not match:
            return self.fail(ctx, node, f"'{name}' is {_describe(node)}; {hint}")
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            return self.fail(ctx, node, f"'{name}' has month {month:02d}, which does not exist")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                return self.fail(
                    ctx, node, f"'{name}' is {text.strip()}, but that month has {last} days"
                )
        return PartialDate(year, month, day)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": ["string", "integer"],
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        }


_URL_SCHEMES = ("http", "https", "mailto")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see: after decoding entities and dropping whitespace/controls."""
    decoded = url
    for _ in range(3):  # entity-encoded entities ("&amp;#106;") are decoded too
        new = html.unescape(decoded)
        if new == decoded:
            break
        decoded = new
    decoded = _URL_JUNK.sub("", decoded)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", decoded)
    return match.group(1).lower() if match else None


class Url(Text):
    """A web address: only http, https and mailto are allowed."""

    label = "a URL"

    def __init__(self, description: str, *, required: bool = False) -> None:
        super().__init__(description, required=required, max_length=2000)

    def check(self, value: str, node: Node, ctx: Context, name: str) -> str:
        scheme = url_scheme(value)
        if scheme not in _URL_SCHEMES or value != value.strip() or _URL_JUNK.search(value):
            shown = f"'{scheme}:'" if scheme else "no scheme"
            return self.fail(
                ctx,
                node,
                f"'{name}' has {shown}; only http://, https:// and mailto: addresses are "
                "allowed, written without spaces",
            )
        if scheme in ("http", "https") and not re.match(r"https?://[^/?#]+", value, re.I):
            return self.fail(
                ctx,
                node,
                f"'{name}' has no host; write a full address like https://example.org/page",
            )
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^(https?://|mailto:)"}


class ListOf(Field[list[T]]):
    """A list of values of one field type."""

    label = "a list"

    def __init__(
        self,
        item: Field[T],
        description: str,
        *,
        required: bool = False,
        min_items: int = 0,
        max_items: int = 100_000,
        keep_valid: bool = False,
    ) -> None:
        super().__init__(description, required=required)
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.keep_valid = keep_valid
        """Keep the valid items when some are invalid (their problems are still reported)."""

    def convert(self, node: Node, ctx: Context, name: str) -> list[T]:
        if not isinstance(node, Sequence):
            hint = ""
            if isinstance(node, Scalar):
                hint = "; write each item on its own line starting with '- '"
            return self.fail(ctx, node, f"'{name}' must be a list, not {_describe(node)}{hint}")
        if len(node.items) < self.min_items:
            need = (
                "at least one item" if self.min_items == 1 else f"at least {self.min_items} items"
            )
            return self.fail(ctx, node, f"'{name}' needs {need}")
        if len(node.items) > self.max_items:
            return self.fail(ctx, node, f"'{name}' has more than {self.max_items:,} items")
        out: list[T] = []
        ok = True
        for index, child in enumerate(node.items):
            if is_null(child):
                ctx.error(child, f"item {index + 1} of '{name}' is empty")
                ok = False
                continue
            value = self.item.convert(child, ctx, f"{name}[{index + 1}]")
            if value is INVALID:
                ok = False
            else:
                out.append(value)
        return out if ok else INVALID

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


_KEY_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}
"""One tuple per distinct list of keys, shared by every record written with those keys."""


class Located:
    """Where a record and the value of each of its keys start (its file, lines, columns).

    Only positions are kept, not the YAML nodes they were read from: the node trees
    are large, and nothing reads them after loading (problems found
    while converting a file are located with its nodes, which are dropped after).
    Two are equal when they are of the same file and the record and each of its values
    start at the same places; the values themselves are the model's to compare.
    """

    __slots__ = ("keys", "path", "spots")

    def __init__(self, path: str, node: Mapping) -> None:
        self.path = path
        names = tuple(node.entries)
        self.keys = _KEY_NAMES.setdefault(names, names)
        """The record's keys, in the order written."""
        spots = array("I", (node.line, node.col))
        for _, value in node.entries.values():
            spots.append(value.line)
            spots.append(value.col)
        self.spots = spots
        """Line and column of the record, then of each key's value, in ``keys`` order."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Located):
            return NotImplemented
        return self.path == other.path and self.keys == other.keys and self.spots == other.spots

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Located({self.path!r}, {self.spots[0]}:{self.spots[1]}, keys={self.keys!r})"

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.spots[0], self.spots[1])

    def of(self, key: str) -> Loc:
        """Where the value of ``key`` starts, or the record itself when the key is absent."""
        try:
            i = 2 + 2 * self.keys.index(key)
        except ValueError:
            return self.loc
        return Loc(self.path, self.spots[i], self.spots[i + 1])


class Record(Field[T]):
    """A mapping with known keys, built into ``model(**values, where=Located)``."""

    label = "a mapping of keys to values"

    def __init__(
        self,
        name: str,
        model: Callable[..., T],
        fields: dict[str, Field[Any]],
        description: str,
        *,
        required: bool = False,
        check: Callable[[dict[str, Any], Located, Context], None] | None = None,
    ) -> None:
        super().__init__(description, required=required)
        self.name = name
        self.model = model
        self.fields = fields
        self.extra_check = check

    def convert(self, node: Node, ctx: Context, name: str) -> T:
        if not isinstance(node, Mapping):
            return self.fail(
                ctx,
                node,
                f"'{name}' must be {self.name} (a mapping of keys to values), "
                f"not {_describe(node)}",
            )
        where = Located(ctx.path, node)
        values: dict[str, Any] = {}
        ok = True
        for key, (key_node, value_node) in node.entries.items():
            spec = self.fields.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else ("allowed keys: " + ", ".join(self.fields))
                )
                ctx.error(key_node, f"unknown key '{key}' in {self.name}; {hint}")
                ok = False
                continue
            if is_null(value_node):
                if spec.required:
                    ctx.error(value_node, f"'{key}' is empty; it is required in {self.name}")
                    ok = False
                continue
            value = spec.convert(value_node, ctx, key)
            if value is INVALID:
                ok = False
            else:
                values[key] = value
        for key, spec in self.fields.items():
            if spec.required and key not in node.entries:
                ctx.error(node, f"{self.name} is missing required key '{key}' ({spec.description})")
                ok = False
        if not ok:
            return self.invalid()
        if self.extra_check is not None:
            before = len(ctx.problems)
            self.extra_check(values, where, ctx)
            if len(ctx.problems) > before:
                return self.invalid()
        return self.model(**values, where=where)

    def json_schema(self) -> dict[str, Any]:
        properties = {}
        for key, spec in self.fields.items():
            properties[key] = {"description": spec.description, **spec.json_schema()}
        schema: dict[str, Any] = {
            "type": "object",
            "title": self.name,
            "description": self.description,
            "properties": properties,
            "additionalProperties": False,
        }
        required = [k for k, spec in self.fields.items() if spec.required]
        if required:
            schema["required"] = required
        return schema

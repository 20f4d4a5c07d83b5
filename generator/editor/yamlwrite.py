"""Writing and editing content YAML without disturbing what editors wrote.

The commands that write content (``add-source``, ``new``) build YAML as text,
line by line, so that they control every comment, key order and indentation
they produce, and they edit existing files by *inserting text*: the bytes of
the file around the insertion (the editor's comments, key order, quoting,
folded blocks, blank lines) are kept exactly.  Every result is read back with
the project's strict loader (:mod:`generator.content.yamlload`) before it is written,
so a helper can never leave a file that ``check`` cannot parse.

Every file these helpers write starts with the schema modeline of the YAML
language server; :func:`schema_ref` says where it points.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from generator.content.nodes import Mapping, Node, Scalar, Sequence
from generator.content.yamlload import load_yaml

MODELINE = "# yaml-language-server: $schema={ref}"

PACKAGE_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
"""The JSON Schemas shipped with the generator (``factsheet schema --write`` regenerates them)."""

SITE_SCHEMAS = "schemas"
"""Where a built site publishes the same schemas (``site/schemas/source.schema.json``)."""

WIDTH = 88
"""Width that folded block scalars are wrapped to (the bundled content's style)."""


# -- the schema modeline ----------------------------------------------------------------


def schema_ref(
    kind: str,
    written: Path,
    project_root: Path,
    *,
    site_dir: Path | None = None,
    site_url: str | None = None,
) -> str:
    """Where the modeline of a ``kind`` file (source, sheet, facts) written at ``written`` points.

    1. When the generator's own ``generator/schemas/`` lies inside the project (the project
       is a checkout of factsheet, as this repository is), the path relative to the file:
       ``../../generator/schemas/source.schema.json`` from ``content/sources/``.
    2. Otherwise, when ``mkdocs.yml`` sets ``site_url``, the schema the site publishes:
       ``https://example.org/facts/schemas/source.schema.json``.
    3. Otherwise the path relative to the file of the copy that ``factsheet build`` publishes
       into the site directory: ``../../site/schemas/source.schema.json``.
    """
    name = f"{kind}.schema.json"
    directory = written.resolve().parent
    root = project_root.resolve()
    if _inside(PACKAGE_SCHEMAS, root):
        return _relative(PACKAGE_SCHEMAS / name, directory)
    if site_url:
        return f"{site_url.rstrip('/')}/{SITE_SCHEMAS}/{name}"
    site = (site_dir or root / "site").resolve()
    return _relative(site / SITE_SCHEMAS / name, directory)


def modeline(ref: str) -> str:
    return MODELINE.format(ref=ref)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _relative(target: Path, directory: Path) -> str:
    try:
        rel = os.path.relpath(target, directory)
    except ValueError:  # another drive on Windows
        return target.as_uri()
    return rel.replace(os.sep, "/")


# -- scalars ------------------------------------------------------------------------------

# Words that YAML 1.1 or 1.2 tools read as booleans or null: quoted so that editors' tools
# (the YAML language server) see text, as the strict loader does.
_SPECIAL_WORDS = re.compile(r"(?:y|n|yes|no|true|false|on|off|null|~)", re.IGNORECASE)
# Anything number-like (ints, floats, sexagesimal, dates, hex/octal) is quoted too.
_NUMBER_LIKE = re.compile(r"[-+.]?[0-9][0-9a-fA-FxXoObB_:.,+eE -]*|[-+]?\.(?:inf|nan)", re.I)
_PLAIN_FIRST = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def is_plain_safe(text: str) -> bool:
    """Whether ``text`` can be written as a plain scalar and read back as the same text."""
    if not text or text != text.strip() or _UNSAFE_CHARS.search(text):
        return False
    if not _PLAIN_FIRST.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return not (_SPECIAL_WORDS.fullmatch(text) or _NUMBER_LIKE.fullmatch(text))


def scalar(text: str) -> str:
    """``text`` as a one-line YAML scalar: plain when that is safe, else double-quoted."""
    if is_plain_safe(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON leaves these raw; YAML would read them as line breaks.
    return quoted.replace("\u2028", "\\L").replace("\u2029", "\\P").replace("\x85", "\\N")


def text_field(key: str, text: str, indent: int, *, width: int = WIDTH) -> list[str]:
    """``key: text`` at ``indent``: one line when it fits (quoted if need be), else a folded
    block (``>-``).

    Whitespace in ``text`` is folded to single spaces (the fields written this way, such as
    quotes, are compared after folding whitespace).
    """
    pad = " " * indent
    folded = " ".join(text.split())
    one_line = f"{pad}{key}: {scalar(folded)}"
    if len(one_line) <= width or not folded:
        return [one_line]
    body = textwrap.wrap(
        folded,
        width=max(width - indent - 2, 20),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in body)]


# -- inserting into a sequence -------------------------------------------------------------


class EditError(Exception):
    """A file cannot be edited safely; ``line`` and ``col`` say where (1-based)."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


@dataclass(frozen=True)
class SequenceLayout:
    """How a block sequence under a root key is indented, and where to append to it."""

    dash: int
    """Column (0-based) of the items' dashes."""
    key: int
    """Column (0-based) of the keys of the items' mappings."""
    items: int
    """How many items it has."""
    insert_at: int
    """Offset in the text where a new item goes."""
    separated: bool
    """Whether items are separated by blank lines."""


def sequence_layout(text: str, path: str, key: str) -> SequenceLayout:
    """Find the block sequence under root ``key`` of the YAML ``text``, to append to it."""
    loaded = load_yaml(text.encode("utf-8"), path)
    if loaded.problems:
        first = loaded.problems[0]
        raise EditError(
            f"the file cannot be read ({first.message}); fix it first",
            first.loc.line,
            first.loc.col,
        )
    root = loaded.root
    if not isinstance(root, Mapping) or key not in root.entries:
        raise EditError(f"the file has no '{key}:' list to add to")
    keys = list(root.entries)
    key_node, value = root.entries[key]
    lines = text.splitlines(keepends=True)
    following = keys[keys.index(key) + 1 :]
    if following:
        next_key = root.entries[following[0]][0]
        insert_at = sum(len(line) for line in lines[: next_key.line - 1])
    else:
        insert_at = len(text)
    if isinstance(value, Scalar) and value.plain and value.value == "":
        return SequenceLayout(key_node.col - 1 + 2, key_node.col - 1 + 4, 0, insert_at, True)
    if not isinstance(value, Sequence):
        raise EditError(
            f"'{key}' is not a list; it should hold a list of items", value.line, value.col
        )
    if _char_at(lines, value) == "[":
        raise EditError(
            f"'{key}' is written as a flow list ([...]); write it as a block list "
            "(one '- ' item per line) to add to it",
            value.line,
            value.col,
        )
    dash = value.col - 1
    item = value.items[0] if value.items else None
    key_col = item.col - 1 if isinstance(item, Mapping) else dash + 2
    separated = _separated(lines, value.items)
    return SequenceLayout(dash, key_col, len(value.items), insert_at, separated)


def _char_at(lines: list[str], node: Node) -> str:
    line = lines[node.line - 1] if node.line - 1 < len(lines) else ""
    return line[node.col - 1 : node.col] if node.col - 1 < len(line) else ""


def _separated(lines: list[str], items: list[Node]) -> bool:
    if len(items) < 2:
        return True
    before = items[1].line - 2  # the line above the second item (0-based)
    return before >= 0 and not lines[before].strip()


def append_item(text: str, layout: SequenceLayout, item_lines: list[str]) -> str:
    """``text`` with ``item_lines`` (already indented) inserted as the sequence's last item."""
    newline = "\r\n" if "\r\n" in text else "\n"  # the file's own line endings
    head, tail = text[: layout.insert_at], text[layout.insert_at :]
    if head and not head.endswith("\n"):
        head += newline
    block = newline.join(item_lines) + newline
    if layout.items and layout.separated and not head.endswith(newline * 2):
        block = newline + block
    if tail.strip():
        block += newline
    return head + block + tail


# -- writing files ------------------------------------------------------------------------


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; FileExistsError if it exists (never overwrites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(data)


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically with ``data`` (readers see the old or the new file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""``factsheet cite``: check a quote against a source and print its citation block.

The quote is found exactly as ``check`` finds it (:mod:`generator.text.textmatch`:
the same normalisation, the same word boundaries).  The block quotes the
passage as archived (curly quotes and all, whitespace folded), indented to
paste under a fact's ``citations:``.  A passage that occurs more than once gets
a ``prefix`` -- the fewest words before it that tell it apart, a few more when
they are on the same line -- or, at the very start of the text, a ``suffix``;
one block is printed per occurrence, unless ``--occurrence`` picks one.  The
numbers the quote states (:func:`generator.text.numbers.find_numbers`) are printed
as comments, to help fill the fact's ``value``; under each block, commented out, are
the keys that say who made the statement (``attribution``, ``states: speaker_unstated``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal

from generator.checks.figures import format_amount
from generator.content.loader import load_content
from generator.content.model import Source
from generator.editor.yamlwrite import text_field
from generator.problems import Problem
from generator.text.numbers import find_numbers, find_vague_amounts
from generator.text.textmatch import ArchivedText, normalize

MAX_CONTEXT_CHARS = 300
"""Longest prefix or suffix (the schema's limit)."""

MAX_QUOTE_CHARS = 3000
MIN_CONTEXT_WORDS = 3
"""A prefix or suffix grows to this many words when they are on one line."""

DEFAULT_INDENT = 6
"""Where a citation's dash goes in the bundled layout (facts at 2, fact keys at 4)."""

SPEAKER_HINTS = (
    "# Optional: the passage of this source that names the speaker, word for word,",
    '# when the quote does not ("The X said on Monday that"):',
    "# attribution: ...",
    "# Or, when this source does not say who made the statement (other sources do):",
    "# states:",
    "#   speaker_unstated: true",
)
"""Comments under each block: the citation keys that say who made the statement."""


class CiteError(Exception):
    """The quote cannot be cited; ``detail`` adds indented lines (closest passage, diff)."""

    def __init__(self, message: str, detail: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.detail = detail

    def format(self) -> str:
        head = f"factsheet cite: error: {self}"
        return "\n".join([head, *("    " + line for line in self.detail)])


@dataclass(frozen=True)
class Occurrence:
    line: int
    col: int
    quote: str
    prefix: str | None = None
    suffix: str | None = None


@dataclass
class Citation:
    source: str
    text_path: str
    occurrences: list[Occurrence]
    total: int
    states: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def cite(content_dir: str | os.PathLike[str], source_id: str, quote: str) -> Citation:
    """Find ``quote`` in the archived text of ``source_id``; CiteError when it cannot be cited."""
    if not normalize(quote):
        raise CiteError("the quote is empty; give the passage to cite")
    loaded = load_content(content_dir)
    sources = loaded.content.sources
    source = sources.get(source_id)
    if source is None:
        known = ", ".join(sorted(sources)) or "none"
        raise CiteError(f"no source '{source_id}' (sources: {known})")
    if source.text is None:
        mine = [
            p.format() for p in loaded.problems if p.loc.path in (source.path, source.text_path)
        ]
        raise CiteError(
            f"the archived text of source '{source_id}' cannot be read; fix it first", tuple(mine)
        )
    archived = ArchivedText(source.text)
    norm_quote = normalize(quote)
    starts = archived.find_all(norm_quote)
    if not starts:
        raise _not_found(loaded.content.sources, source_id, source.text_path, archived, quote)
    occurrences = []
    for start in starts:
        occurrences.append(_occurrence(archived, start, len(norm_quote), len(starts) > 1))
    shown = occurrences[0].quote
    if len(shown) > MAX_QUOTE_CHARS:
        raise CiteError(
            f"the quote is {len(shown):,} characters, over the limit of {MAX_QUOTE_CHARS:,}; "
            "cite a shorter passage"
        )
    return Citation(source.id, source.text_path, occurrences, len(starts), stated(shown))


def _not_found(
    sources: dict[str, Source],
    source_id: str,
    text_path: str,
    archived: ArchivedText,
    quote: str,
) -> CiteError:
    detail: list[str] = []
    closest = archived.closest(quote)
    if closest is not None:
        detail.append(f"closest passage in {text_path}:{closest.line}:")
        detail.append(f"  {closest.passage}")
        detail.append("word diff, [-your quote-] {+the source+}:")
        detail.append(f"  {closest.diff}")
    message = f"quote not found in source '{source_id}' ({text_path})"
    elsewhere = []
    for other_id, other in sources.items():
        if (
            other_id != source_id
            and other.text is not None
            and ArchivedText(other.text).find_all(normalize(quote))
        ):
            elsewhere.append(other_id)
    if elsewhere:
        message += f"; it is in source '{elsewhere[0]}': cite that source"
    else:
        message += "; copy the passage word for word from the archived text"
    return CiteError(message, tuple(detail))


def _original(archived: ArchivedText, start: int, end: int) -> str:
    span = archived.span(start, end)
    return " ".join(archived.text[span.start : span.end].split())


def _occurrence(archived: ArchivedText, start: int, length: int, repeated: bool) -> Occurrence:
    span = archived.span(start, start + length)
    line_start = archived.text.rfind("\n", 0, span.start) + 1
    col = span.start - line_start + 1
    quote = _original(archived, start, start + length)
    if not _fits(archived, start, quote, None, None):
        quote = archived.norm[start : start + length]  # pragma: no cover - belt and braces
    if not repeated:
        return Occurrence(span.line, col, quote)
    prefix = _context(archived, start, length, quote, before=True)
    if prefix is not None:
        return Occurrence(span.line, col, quote, prefix=prefix)
    suffix = _context(archived, start, length, quote, before=False)
    return Occurrence(span.line, col, quote, suffix=suffix)


def _fits(
    archived: ArchivedText, start: int, quote: str, prefix: str | None, suffix: str | None
) -> bool:
    fitting, _ = archived.locate(quote, prefix, suffix)
    return fitting == [start]


def _context(
    archived: ArchivedText, start: int, length: int, quote: str, *, before: bool
) -> str | None:
    """The words before (or after) the passage that single it out.

    The fewest words that do, then more up to :data:`MIN_CONTEXT_WORDS` as long as they
    stay on the same line of the archived text (a prefix reads best as a phrase).
    """
    norm = archived.norm
    if before:
        side = norm[:start].rstrip()
        words = side.split(" ") if side else []
    else:
        side = norm[start + length :].lstrip()
        words = side.split(" ") if side else []
    offset = 0 if before else len(norm) - len(side)

    def piece(count: int) -> tuple[int, int]:
        """Start and end in ``norm`` of ``count`` words next to the passage."""
        if before:
            text = " ".join(words[-count:])
            return offset + len(side) - len(text), offset + len(side)
        text = " ".join(words[:count])
        return offset, offset + len(text)

    for count in range(1, len(words) + 1):
        begin, end = piece(count)
        original = _original(archived, begin, end)
        if len(original) > MAX_CONTEXT_CHARS:
            return None
        context = (original, None) if before else (None, original)
        if not _fits(archived, start, quote, *context):
            continue
        while count < min(MIN_CONTEXT_WORDS, len(words)):
            more_begin, more_end = piece(count + 1)
            span = archived.span(more_begin, more_end)
            longer = _original(archived, more_begin, more_end)
            if "\n" in archived.text[span.start : span.end] or len(longer) > MAX_CONTEXT_CHARS:
                break
            count, original = count + 1, longer
        return original
    return None


def stated(quote: str) -> list[str]:
    """The numbers and vague amounts ``quote`` states, described for a comment."""
    out = []
    for number in find_numbers(quote):
        parts = []
        if number.upper is not None:
            parts.append(f"qualifier range, amount {_digits(number.value)}")
            parts.append(f"upper {_digits(number.upper)}")
        else:
            parts.append(f"qualifier {number.qualifier}")
            bare = number.text.strip()
            if number.qualifier_text and bare.lower().startswith(number.qualifier_text.lower()):
                bare = bare[len(number.qualifier_text) :].strip()
            if bare != format_amount(number.value):
                parts.append(f"amount {_digits(number.value)}")
        if number.unit:
            parts.append(f"unit {number.unit}")
        out.append(f"{number.text} ({', '.join(parts)})")
    for vague in find_vague_amounts(quote):
        out.append(f"{vague.text} (qualifier vague: give 'words' and your bounds 'min', 'max')")
    return out


def _digits(value: Decimal) -> str:
    return format_amount(value).replace(",", "")


def render(citation: Citation, *, indent: int = DEFAULT_INDENT, only: int | None = None) -> str:
    """The citation block(s) as YAML, each item's dash at column ``indent``."""
    pad = " " * indent
    blocks = []
    chosen = list(enumerate(citation.occurrences, start=1))
    if only is not None:
        chosen = [chosen[only - 1]]
    for number, occ in chosen:
        lines = []
        if citation.total > 1 and only is None:
            lines.append(
                f"{pad}# occurrence {number} of {citation.total}, "
                f"{citation.text_path}:{occ.line}:{occ.col} (paste only the one you mean)"
            )
        lines.extend(f"{pad}# states: {s}" for s in citation.states)
        lines.append(f"{pad}- source: {citation.source}")
        lines.extend(text_field("quote", occ.quote, indent + 2))
        if occ.prefix is not None:
            lines.extend(text_field("prefix", occ.prefix, indent + 2))
        if occ.suffix is not None:
            lines.extend(text_field("suffix", occ.suffix, indent + 2))
        lines.extend(f"{pad}  {hint}" for hint in SPEAKER_HINTS)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"

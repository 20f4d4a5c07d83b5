"""Finding quotes in archived texts, exactly, after a documented normalisation.

A quote matches its source when, after normalising both, the quote occurs in
the text.  The normalisation is this and nothing more:

1. Unicode NFC;
2. curly, straight and other quotation marks alike (‘ ’ ‚ ‛ ′ ` ´ ＇ → ', “ ” „ ‟ ″ « » ＂ → ");
3. dashes alike (hyphen, non-breaking hyphen, figure dash, en and em dash,
   horizontal bar, minus sign → -);
4. any run of whitespace (including non-breaking and other Unicode spaces,
   line breaks) folded to one space, and leading/trailing whitespace dropped;
5. soft hyphens (U+00AD) and zero-width spaces and joiners (U+200B-U+200D,
   U+2060, U+FEFF) dropped.

Case, punctuation, digits and every other character must be identical:
"8,000" never matches "9,000".  A match must also start and end on word
boundaries ("7,000 accounts" is not found inside "67,000 accounts", and
"1,400" is not found inside "1,400,000").
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from array import array
from dataclasses import dataclass

_QUOTES_SINGLE = "‘’‚‛′`´＇"
_QUOTES_DOUBLE = "“”„‟″«»＂"
_DASHES = "‐‑‒–—―−﹘﹣－"
_TABLE = {
    **{ord(c): "'" for c in _QUOTES_SINGLE},
    **{ord(c): '"' for c in _QUOTES_DOUBLE},
    **{ord(c): "-" for c in _DASHES},
}
_MARKS = tuple((chr(code), plain) for code, plain in _TABLE.items())


def _fold_marks(text: str) -> str:
    """``text.translate(_TABLE)``: typographic quotes and dashes as ASCII.

    For an archived text, replacing each mark where it occurs is much faster
    (``str.translate`` with a dict looks every character up in Python's mapping); for a
    quote, translate is cheaper. ``bench/PROFILE.md`` has the measurements.
    """
    if len(text) < 256:
        return text.translate(_TABLE)
    for mark, plain in _MARKS:
        if mark in text:
            text = text.replace(mark, plain)
    return text


# Runs of whitespace and/or invisible characters: the places where length changes.
_FOLD = re.compile(r"[\s\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\S+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_INVISIBLE_RUN = re.compile(
    r"[\s\u00ad\u200b\u200c\u200d\u2060\ufeff]*"
    r"[\u00ad\u200b\u200c\u200d\u2060\ufeff][\s\u00ad\u200b\u200c\u200d\u2060\ufeff]*"
)


@functools.lru_cache(maxsize=1 << 18)
def normalize(text: str) -> str:
    """The normalised form of a quote or text (see the module docstring).

    Kept for the last 262,144 texts (every quote of 100,000 facts): the checks normalise
    each quote three times (to find it, to measure it, to read its figures), and the
    preview checks the same quotes again.
    """
    text = _fold_marks(unicodedata.normalize("NFC", text))
    if _INVISIBLE.search(text):
        text = _INVISIBLE_RUN.sub(_fold_run, text)
    return " ".join(text.split())


def _fold_run(match: re.Match[str]) -> str:
    return " " if any(c.isspace() for c in match.group()) else ""


@dataclass(frozen=True, slots=True)
class Span:
    """A found passage: offsets into the *original* archived text, and its first line."""

    start: int
    end: int
    line: int


class ArchivedText:
    """An archived source text prepared for exact quote search.

    ``norm`` is the normalised text; ``_breaks`` maps positions in it back to the
    original, so that found quotes can be highlighted in the text as archived.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._nfc = unicodedata.is_normalized("NFC", text)
        base = text if self._nfc else unicodedata.normalize("NFC", text)
        translated = _fold_marks(base)
        if _INVISIBLE.search(translated):
            translated = _INVISIBLE_RUN.sub(_fold_run, translated)
        # Fold whitespace at C speed; leading whitespace stays one space, as in the map.
        lead = " " if translated[:1].isspace() else ""
        trail = " " if translated[-1:].isspace() else ""
        self.norm = (
            lead + " ".join(translated.split()) + trail
            if translated.strip()
            else (" " if translated else "")
        )
        # positions as arrays of C integers: as lists (a pointer and an int object per
        # word) they were most of what the views held
        self._norm_starts: array[int] | None = None
        self._base_starts: array[int] = array("I")
        self._base_map: list[int] | None = None
        self._line_starts: array[int] | None = None
        self._spans: dict[tuple[int, int], Span] = {}
        """Spans already mapped (the preview keeps this text while its source is unchanged)."""

    def _build_map(self) -> array[int]:
        """Map pieces of ``norm`` back to the original text (built when first needed)."""
        if self._nfc:
            base = self.text
        else:  # rare: decomposed characters; map each NFC character back to its source
            base, self._base_map = _nfc_with_map(self.text)
        translated = _fold_marks(base)
        if not _INVISIBLE.search(translated):
            # The usual case: norm is the words of the text joined by single spaces (with
            # one leading space if the text starts with whitespace). A position inside the
            # space after a word maps to the end of that word, where the whitespace begins.
            starts = [m.start() for m in _WORD.finditer(translated)]
            lead = 1 if translated[:1].isspace() else 0
            norm_starts = [0] if lead else []
            base_starts = [0] if lead else []
            npos = lead
            ends = [m.end() for m in _WORD.finditer(translated)]
            for start, end in zip(starts, ends, strict=True):
                norm_starts.append(npos)
                base_starts.append(start)
                npos += end - start + 1
            self._base_starts = array("I", base_starts)
            self._norm_starts = array("I", norm_starts)
            return self._norm_starts
        norm_starts = []
        base_starts = []
        pos = 0
        npos = 0
        for match in _FOLD.finditer(translated):
            piece = match.start() - pos
            if piece:
                norm_starts.append(npos)
                base_starts.append(pos)
                npos += piece
            if _fold_run(match):
                norm_starts.append(npos)
                base_starts.append(match.start())
                npos += 1
            pos = match.end()
        if pos < len(translated):
            norm_starts.append(npos)
            base_starts.append(pos)
        self._base_starts = array("I", base_starts)
        self._norm_starts = array("I", norm_starts)
        return self._norm_starts

    # -- positions -----------------------------------------------------------------

    def to_original(self, norm_pos: int, *, end: bool = False) -> int:
        """Map a position in ``norm`` to the original text."""
        starts = self._norm_starts if self._norm_starts is not None else self._build_map()
        if not starts:
            return 0
        if end:
            # the end of a span maps just after the last character it covers
            return self.to_original(norm_pos - 1) + 1 if norm_pos > 0 else 0
        i = bisect.bisect_right(starts, norm_pos) - 1
        i = max(i, 0)
        base = self._base_starts[i] + (norm_pos - starts[i])
        if self._base_map is not None:
            base = self._base_map[min(base, len(self._base_map) - 1)]
        return base

    def line_of(self, original_pos: int) -> int:
        if self._line_starts is None:
            starts = array("I", [0])
            starts.extend(m.end() for m in re.finditer("\n", self.text))
            self._line_starts = starts
        return bisect.bisect_right(self._line_starts, original_pos)

    def span(self, norm_start: int, norm_end: int) -> Span:
        found = self._spans.get((norm_start, norm_end))
        if found is None:
            start = self.to_original(norm_start)
            end = self.to_original(norm_end, end=True)
            found = self._spans[(norm_start, norm_end)] = Span(start, end, self.line_of(start))
        return found

    # -- search --------------------------------------------------------------------

    def find_all(self, quote_norm: str) -> list[int]:
        """Start positions (in ``norm``) of every occurrence on word boundaries."""
        if not quote_norm:
            return []
        found = []
        norm = self.norm
        start = norm.find(quote_norm)
        while start != -1:
            if _on_boundaries(norm, start, start + len(quote_norm)):
                found.append(start)
            start = norm.find(quote_norm, start + 1)
        return found

    def locate(
        self, quote: str, prefix: str | None = None, suffix: str | None = None
    ) -> tuple[list[int], int]:
        """Occurrences of ``quote`` that fit ``prefix``/``suffix``, and the count without them."""
        q = normalize(quote)
        every = self.find_all(q)
        fitting = every
        if prefix:
            p = normalize(prefix)
            fitting = [s for s in fitting if self.norm[:s].rstrip().endswith(p)]
        if suffix:
            x = normalize(suffix)
            fitting = [s for s in fitting if self.norm[s + len(q) :].lstrip().startswith(x)]
        return fitting, len(every)

    def closest(self, quote: str) -> Closest | None:
        """The passage most like ``quote``, with a word diff, to help fix a mistyped quote."""
        q_words = normalize(quote).split(" ")
        if not q_words or not self.norm:
            return None
        s_words = self.norm.split(" ")
        starts = []
        pos = 0
        for word in s_words:
            starts.append(pos)
            pos += len(word) + 1
        matcher = difflib.SequenceMatcher(None, s_words, q_words, autojunk=False)
        candidates = {max(0, a - b) for a, b, size in matcher.get_matching_blocks() if size}
        if not candidates:
            return None
        best: tuple[float, int] | None = None
        width = len(q_words)
        for cand in sorted(candidates):
            window = s_words[cand : cand + width]
            ratio = difflib.SequenceMatcher(None, window, q_words, autojunk=False).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, cand)
        assert best is not None
        ratio, first = best
        if ratio < 0.3:
            return None
        window = s_words[first : first + width]
        norm_start = starts[first]
        norm_end = norm_start + len(" ".join(window))
        span = self.span(norm_start, norm_end)
        return Closest(" ".join(window), word_diff(q_words, window), span.line, ratio)


@dataclass(frozen=True, slots=True)
class Closest:
    passage: str
    diff: str
    line: int
    ratio: float


def word_diff(quote_words: list[str], source_words: list[str]) -> str:
    """A wdiff-style line: ``[-quote only-]`` and ``{+source only+}`` around the differences."""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, quote_words, source_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(quote_words[a1:a2])
            continue
        if a2 > a1:
            out.append("[-" + " ".join(quote_words[a1:a2]) + "-]")
        if b2 > b1:
            out.append("{+" + " ".join(source_words[b1:b2]) + "+}")
    return " ".join(out)


def _on_boundaries(norm: str, start: int, end: int) -> bool:
    if start > 0 and _WORD_CHAR.match(norm[start]) and _WORD_CHAR.match(norm[start - 1]):
        return False
    if end < len(norm) and _WORD_CHAR.match(norm[end - 1]) and _WORD_CHAR.match(norm[end]):
        return False
    # a number must not continue past the quote: "1,400" is not in "1,400,000"
    if (
        end + 1 < len(norm)
        and norm[end - 1].isdigit()
        and norm[end] in ",."
        and norm[end + 1].isdigit()
    ):
        return False
    return not (
        start >= 2
        and norm[start].isdigit()
        and norm[start - 1] in ",."
        and norm[start - 2].isdigit()
    )


def _nfc_with_map(text: str) -> tuple[str, list[int]]:
    """NFC of ``text`` with, for each output character, the offset of its source cluster."""
    out: list[str] = []
    mapping: list[int] = []
    cluster_start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            composed = unicodedata.normalize("NFC", text[cluster_start:i])
            out.append(composed)
            mapping.extend([cluster_start] * len(composed))
            cluster_start = i
    return "".join(out), mapping

"""The last line of defence: sanitise every built page and fail if anything had to go.

Editors' text reaches the pages only through the escaping filters
(:mod:`generator.render.escaping`), so a built page should never contain markup that
came from content.  This module checks that claim on the *output*, after
MkDocs has built the site and before the build is swapped in
(:mod:`generator.site.build`):

1. the content area of each page (Material's
   ``<article class="md-content__inner md-typeset">``, which holds exactly what
   our Markdown became) is cut out of the page;
2. our ``<script type="application/ld+json">`` blocks are checked on their own
   (the JSON must parse, and contain neither ``</`` nor ``<!--``, which could
   end the script or change how the browser reads it) and set aside;
3. the rest is sanitised with `nh3 <https://nh3.readthedocs.io/>`_ (the Rust
   ``ammonia`` sanitiser, which parses like a browser, with html5ever) against
   :data:`ALLOWED_TAGS`, :data:`ALLOWED_ATTRIBUTES` and :data:`URL_SCHEMES`:
   the markup our templates, Python-Markdown and Material write, and a
   conservative SVG subset for charts;
4. the original and the sanitised HTML are both read with :mod:`html.parser`
   into normalised token streams (start tags with their attributes as a sorted
   set, end tags of non-void elements, text with runs of whitespace folded,
   comments and declarations) so that attribute order, entity forms,
   self-closing slashes and whitespace do not count.  Any other difference
   means the sanitiser removed or rearranged something: the page is reported,
   with the fact, topic or source whose text was affected when the markup
   around it says so (the nearest ``id`` or link before the difference).

The comparison is against the page *as written*, not against the sanitiser's
own parse of it, so markup that a browser would act on but a fragment parser
drops (a second ``<body onload=...>``, say) is still a difference.  Markup our
templates get wrong (an element a browser would close early) fails the same
way, which is the point: the sanitiser then disagrees with what was meant.
"""

from __future__ import annotations

import functools
import html
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path

import nh3

from generator.content.model import Content
from generator.paths import SHEETS_DIR, SOURCES_DIR
from generator.problems import Loc, Problem, display_path

# --- the allow-list ---------------------------------------------------------------------

_HTML_TAGS = {
    # text and inline
    "a", "abbr", "b", "bdi", "br", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr",
    # blocks
    "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav",
    "ol", "p", "pre", "section", "summary", "ul",
    # tables
    "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
}  # fmt: skip
_SVG_TAGS = {"svg", "g", "rect", "line", "text", "title", "desc", "path"}

ALLOWED_TAGS: frozenset[str] = frozenset(_HTML_TAGS | _SVG_TAGS)
"""Elements a page's content area may contain."""

_GENERIC = {
    "id", "class", "title", "lang", "dir", "role",
    "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
    # md_in_html leaves ``markdown="..."`` on elements it does not process
    # (inside a table); browsers ignore it.
    "markdown",
}  # fmt: skip
_SVG_ATTRIBUTES = {
    "viewBox", "x", "y", "x1", "y1", "x2", "y2", "width", "height", "fill", "stroke",
    "stroke-width", "d", "transform", "text-anchor", "dominant-baseline", "focusable",
}  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset(_GENERIC),
    "a": frozenset({"href", "rel"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"scope", "colspan", "rowspan", "headers", "abbr"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "svg": frozenset(_SVG_ATTRIBUTES | {"xmlns"}),
    **{tag: frozenset(_SVG_ATTRIBUTES) for tag in ("g", "rect", "line", "text", "path")},
}
"""Attributes allowed per element (``*``: on every element)."""

ALLOWED_ATTRIBUTE_PREFIXES: frozenset[str] = frozenset({"data-fs-"})
"""Our own data attributes (``data-fs-fact``)."""

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
"""Schemes a link may use; relative links (``../x/``, ``#id``) are always allowed."""

CONTENT_START = '<article class="md-content__inner md-typeset">'
"""Where Material starts the content area of a page."""
CONTENT_END = "</article>"
THEME_SKIP_TARGET = '<a id="__skip" tabindex="-1"></a>'
"""Zensical's theme opens the content area with this target of its "skip to content" link
(theme markup, before the page's own content): the check starts after it."""

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    generic_attribute_prefixes=set(ALLOWED_ATTRIBUTE_PREFIXES),
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitize(fragment: str) -> str:
    """The fragment with everything outside the allow-list removed."""
    return _CLEANER.clean(fragment)


# --- normalised token streams -----------------------------------------------------------

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_ANCHORS = 8
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)

Attrs = tuple[tuple[str, str], ...]
Token = tuple[str, str, Attrs]
"""``(kind, name or text, attributes)``; kind is ``<`` start, ``>`` end, ``t`` text, ``!`` other."""


class _Tokens(HTMLParser):
    """html.parser events as normalised tokens, with their positions and owners."""

    def __init__(self, *, track: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.positions: list[tuple[int, int]] = []
        self.owners: list[tuple[str, ...]] = []
        self.track = track
        self._text: list[str] = []
        self._text_pos = (1, 0)
        self._owner: tuple[str, ...] = ()

    def _add(self, token: Token) -> None:
        self._flush()
        self.tokens.append(token)
        if self.track:
            self.positions.append(self.getpos())
            self.owners.append(self._owner)

    def _flush(self) -> None:
        if not self._text:
            return
        text = " ".join("".join(self._text).split())
        self._text = []
        if text:
            self.tokens.append(("t", text, ()))
            if self.track:
                self.positions.append(self._text_pos)
                self.owners.append(self._owner)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag not in _VOID:
            self._add((">", tag, ()))

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = tuple(sorted((name, value or "") for name, value in attrs))
        if tag == "tbody" and not pairs:
            return  # implied by the parser when not written: not a difference
        if self.track:
            self._follow(tag, pairs)
        self._add(("<", tag, pairs))

    def _follow(self, tag: str, pairs: Attrs) -> None:
        """Remember the anchors since the last heading: they say whose text comes next."""
        found = [
            f"{name}={value}"
            for name, value in pairs
            if name == "id" or (name == "href" and tag == "a")
        ]
        if tag in _HEADINGS:
            heading = next((f for f in found if f.startswith("id=")), None)
            if heading is not None:
                self._owner = (f"section={heading[3:]}", *found)
                return
        if found:
            first = self._owner[:1]
            section = first if first and first[0].startswith("section=") else ()
            recent = self._owner[len(section) :][: _MAX_ANCHORS - len(found)]
            self._owner = (*section, *reversed(found), *recent)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and tag != "tbody":
            self._add((">", tag, ()))

    def handle_data(self, data: str) -> None:
        if not self._text:
            self._text_pos = self.getpos()
        self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self._add(("!", f"<!--{data}-->", ()))

    def handle_decl(self, decl: str) -> None:
        self._add(("!", f"<!{decl}>", ()))

    def unknown_decl(self, data: str) -> None:
        self._add(("!", f"<![{data}]>", ()))

    def handle_pi(self, data: str) -> None:
        self._add(("!", f"<?{data}>", ()))

    def close(self) -> None:
        super().close()
        self._flush()


_VOID_SLASH = re.compile(
    r"(<(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b[^<>]*?)\s*/>"
)


def _canonical(text: str) -> str:
    """A quick normal form: character references decoded, void ``/>`` and whitespace folded.

    ``sanitize`` keeps the order of elements and attributes, so for a page the
    sanitiser leaves alone this is equal for the original and the sanitised
    HTML, at the cost of three C-speed passes.  It can only be equal when the
    sanitiser removed nothing: everything it removes is markup, and markup in
    the original cannot turn into the same characters of escaped text unless a
    browser reads it as text too (in an allowed element whose content is text).
    Anything else goes through the token comparison, which is exact.
    """
    return " ".join(html.unescape(_VOID_SLASH.sub(r"\1>", text)).split())


def tokens(markup: str) -> list[Token]:
    """The normalised token stream of ``markup`` (see the module docstring)."""
    parser = _Tokens(track=False)
    parser.feed(markup)
    parser.close()
    return parser.tokens


# --- checking pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something the sanitiser had to change on one page."""

    line: int
    """Line in the built HTML file (1-based)."""
    col: int
    message: str
    owners: tuple[str, ...] = ()
    """The nearest ``id=...`` and ``href=...`` before it, most recent first."""
    key: str | None = None
    """The content key the text comes from, when known (``title`` for the page title)."""


_LD_OPEN = re.compile(r"""<script\s+type\s*=\s*(["']?)application/ld\+json\1\s*>""", re.I)
_SCRIPT_CLOSE = re.compile(r"</script[\s/>]", re.I)
_MAX_SHOWN = 80
_MAX_FINDINGS = 5


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "...")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _json_ld(page: str, start: int, end: int) -> tuple[list[Finding], str]:
    """Check every JSON-LD block of the page; return the content area without its blocks."""
    findings: list[Finding] = []
    kept: list[str] = []
    cursor = start
    for match in _LD_OPEN.finditer(page):
        close = _SCRIPT_CLOSE.search(page, match.end())
        stop = close.start() if close else len(page)
        body = page[match.end() : stop]
        line, col = _line_col(page, match.start())
        problem = None
        if close is None:
            problem = "is never closed"
        elif "</" in body or "<!--" in body:
            problem = "contains '</' or '<!--', which can end the script early"
        else:
            try:
                json.loads(body)
            except ValueError as exc:
                problem = f"is not valid JSON ({exc})"
        if problem:
            findings.append(Finding(line, col, f"a JSON-LD <script> block {problem}"))
        if start <= match.start() and stop <= end:
            kept.append(page[cursor : match.start()])
            cursor = page.index(">", stop) + 1 if close else stop
    kept.append(page[cursor:end])
    return findings, "".join(kept)


_TITLE = re.compile(r"<title[\s>]", re.I)
_TITLE_END = re.compile(r"</title[\s/>]", re.I)


def _head(head: str) -> list[Finding]:
    """The page title is printed by the theme, outside the content area: it must be one text.

    The theme prints it with ``striptags``, which turns ``&lt;`` back into ``<``,
    so a title is written as front matter (escaped by ``front``), never left to
    MkDocs to take from the page's first heading.
    """
    opens = list(_TITLE.finditer(head))
    ends = list(_TITLE_END.finditer(head))
    if len(opens) == len(ends) == 1 and "<" not in head[opens[0].end() : ends[0].start()]:
        return []
    marks = ends[1:] or opens[1:] or ends or opens
    line, col = _line_col(head, marks[0].start()) if marks else (1, 1)
    return [
        Finding(
            line,
            col,
            "the page's <title> contains markup: the title text was not escaped",
            key="title",
        )
    ]


def content_area(page: str) -> tuple[int, int] | None:
    """Start and end offsets of the page's content area, or None if it has none."""
    start = page.find(CONTENT_START)
    if start < 0:
        return None
    start += len(CONTENT_START)
    skip = page.find(THEME_SKIP_TARGET, start, start + 200)
    if skip >= 0 and not page[start:skip].strip():
        start = skip + len(THEME_SKIP_TARGET)
    # The last </article>: a stray one inside the content cannot end the area early.
    end = page.rfind(CONTENT_END)
    return (start, end) if end >= start else (start, len(page))


def check_page(page: str) -> list[Finding]:
    """Sanitise the content area of one built page; report whatever had to change."""
    area = content_area(page)
    if area is None:
        return []
    start, end = area
    findings, fragment = _json_ld(page, start, end)
    head_end = page.find("</head>", 0, start)
    findings.extend(_head(page[: head_end if head_end >= 0 else start]))
    clean = sanitize(fragment)
    if _canonical(fragment) == _canonical(clean):
        return findings
    original = _Tokens(track=True)
    original.feed(fragment)
    original.close()
    sanitised = tokens(clean)
    if original.tokens == sanitised:
        return findings
    base_line, base_col = _line_col(page, start)
    for index, message in _differences(original.tokens, sanitised):
        if index < len(original.positions):
            line, col = original.positions[index]
            owners = original.owners[index]
        else:  # pragma: no cover - a difference at the very end
            line, col, owners = fragment.count("\n") + 1, 0, ()
        page_line = base_line + line - 1
        page_col = (base_col if line == 1 else 1) + col
        findings.append(Finding(page_line, page_col, message, owners))
        if len(findings) >= _MAX_FINDINGS:
            break
    return findings


def _differences(before: list[Token], after: list[Token]) -> Iterator[tuple[int, str]]:
    """What changed, as (index into ``before``, description), in page order."""
    # Skip the common head and tail: only the differing window goes through difflib.
    head = 0
    limit = min(len(before), len(after))
    while head < limit and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]:
        tail += 1
    old = before[head : len(before) - tail]
    new = after[head : len(after) - tail]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                yield head + i1 + k, _changed(old[i1 + k], new[j1 + k])
            continue
        for k in range(i1, i2):
            yield head + k, f"the sanitiser removed {_describe(old[k])}"
        if j2 > j1:
            added = ", ".join(_describe(t) for t in new[j1 : j1 + 3])
            yield (
                head + i1,
                (
                    "the sanitiser's parser reads the markup differently than it is written "
                    f"(it made {added}"
                    f"{', ...' if j2 - j1 > 3 else ''})"
                ),
            )


def _describe(token: Token) -> str:
    kind, name, attrs = token
    if kind == "<":
        shown = "".join(f" {k}={_shown(v)}" for k, v in attrs)
        return f"the element <{name}{shown}>"
    if kind == ">":
        return f"the end tag </{name}>"
    if kind == "t":
        return f"the text {_shown(name)}"
    return f"the markup {_shown(name)}"


def _changed(old: Token, new: Token) -> str:
    if old[0] == new[0] == "<" and old[1] == new[1]:
        kept = dict(new[2])
        gone = [
            f"{k}={_shown(v)}" if k not in kept else f"{k}={_shown(v)} (became {_shown(kept[k])})"
            for k, v in old[2]
            if kept.get(k) != v
        ]
        if gone:
            return f"the sanitiser removed the attribute {', '.join(gone)} from <{old[1]}>"
    return f"the sanitiser removed {_describe(old)} (it made {_describe(new)})"


# --- the whole site ---------------------------------------------------------------------


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if p.is_file())


def check_file(path: Path) -> list[Finding]:
    """What the sanitiser had to change in one built page (see :func:`check_page`)."""
    return check_page(path.read_text(encoding="utf-8", errors="replace"))


def check_site(
    site_dir: str | os.PathLike[str],
    content: Content | Callable[[], Content | None] | None = None,
    *,
    shown_dir: str | os.PathLike[str] | None = None,
    only: set[str] | None = None,
    run_tasks: Callable[[list[Callable[[], list[Finding]]]], list[list[Finding]]] | None = None,
    checked: Mapping[str, list[Finding]] | None = None,
) -> list[Problem]:
    """Check every built page under ``site_dir``; located problems for whatever had to change.

    ``run_tasks`` runs the pages' checks, one task per page, and gives their findings back
    in order (on several cores in a build: :func:`generator.speed.parallel.fork_map`);
    by default one after the other, here.

    ``only`` limits the check to these pages (paths relative to ``site_dir``): the
    preview checks just the pages it rebuilt. ``checked`` holds the findings of pages
    already checked as they were written (:mod:`generator.speed.pagecheck`), by the same path.

    Problems are placed on the content file whose text was affected when the
    page says so (a fact's anchor, a link to a source), otherwise on the built
    page under ``shown_dir`` (where it would have been published). ``content`` may be
    a function that loads it, called only if there is a problem to place.
    """
    root = Path(site_dir)
    shown_root = Path(shown_dir) if shown_dir is not None else root
    locate = _Locator(content)
    problems: list[Problem] = []
    pages = html_pages(root) if only is None else [root / rel for rel in sorted(only)]
    pages = [p for p in pages if p.is_file()]
    done = checked or {}
    rels = [p.relative_to(root).as_posix() for p in pages]
    todo = [p for p, rel in zip(pages, rels, strict=True) if rel not in done]
    tasks: list[Callable[[], list[Finding]]] = [functools.partial(check_file, p) for p in todo]
    fresh = run_tasks(tasks) if run_tasks is not None else [task() for task in tasks]
    found = iter(fresh)
    results = [done[rel] if rel in done else next(found) for rel in rels]
    for rel, findings in zip(rels, results, strict=True):
        for finding in findings:
            fallback = Loc(display_path(shown_root / rel), finding.line, finding.col)
            loc, what = locate(rel, finding.owners, fallback, finding.key)
            where = f"{what}, " if what else ""
            problems.append(
                Problem(
                    loc,
                    f"unsafe markup on page {rel} ({where}{fallback}): {finding.message}; "
                    "content must show as text, never as markup",
                )
            )
    return problems


_FACT_ANCHOR = re.compile(r"(?:differ-)?(.+?)(?:--[0-9]+)?")


class _Locator:
    """Maps a page and the anchors near a finding to the content that produced them."""

    def __init__(self, content: Content | Callable[[], Content | None] | None) -> None:
        self.content = None if callable(content) else content
        self.load = content if callable(content) else None

    def __call__(
        self, page: str, owners: Iterable[str], fallback: Loc, key: str | None = None
    ) -> tuple[Loc, str]:
        if self.load is not None:
            self.content, self.load = self.load(), None
        if self.content is None:
            return fallback, ""
        subject = _subject(page)
        section: str | None = None
        anchors: list[tuple[str, str, str]] = []  # (kind, target page subject, fragment)
        for owner in owners:
            name, _, value = owner.partition("=")
            if name == "section":
                section = value
            elif name == "id":
                anchors.append((name, subject, value))
            else:
                target, _, fragment = value.partition("#")
                if ":" in target or target.startswith("//"):
                    continue  # another site
                if target:
                    target = _subject(posixpath.join(posixpath.dirname(page), target))
                else:
                    target = subject
                anchors.append((name, target, fragment))
        if subject.startswith(f"{SOURCES_DIR}/") and section == "archived-text":
            found = self._page(subject, section)
            if found:
                return found
        for _, _, fragment in anchors:  # the nearest fact anchor or link to a fact
            found = self._fact(fragment)
            if found:
                return found
        for kind, target, _ in anchors:  # the nearest link to a source or sheet
            if kind == "href" and target and target != subject:
                found = self._page(target, None)
                if found:
                    return found
        return self._page(subject, section, key) or (fallback, "")

    def _fact(self, anchor: str) -> tuple[Loc, str] | None:
        assert self.content is not None
        match = _FACT_ANCHOR.fullmatch(anchor)
        fact = self.content.facts.get(match.group(1)) if match else None
        if fact is None or fact.where is None:
            return None
        return fact.where.loc, f"text of fact '{fact.id}'"

    def _page(
        self, subject: str, anchor: str | None, key: str | None = None
    ) -> tuple[Loc, str] | None:
        assert self.content is not None
        kind, _, ident = subject.partition("/")
        if kind == SOURCES_DIR:
            source = self.content.sources.get(ident)
            if source is None or source.where is None:
                return None
            if anchor == "archived-text" and source.text_path:
                return Loc(source.text_path), f"archived text of source '{source.id}'"
            loc = source.where.of(key) if key else source.where.loc
            return loc, f"text of source '{source.id}'"
        if kind == SHEETS_DIR:
            sheet = self.content.sheets.get(ident)
            if sheet is None or sheet.where is None:
                return None
            for topic in sheet.topics:
                if anchor == topic.id and topic.where is not None:
                    return topic.where.loc, f"text of topic '{topic.id}' of sheet '{sheet.id}'"
            loc = sheet.where.of(key) if key else sheet.where.loc
            return loc, f"text of sheet '{sheet.id}'"
        return None


def _subject(path: str) -> str:
    """``sources/<id>`` or ``sheets/<id>`` for a page path or link target, else ``""``."""
    parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]
    if parts and parts[-1] == "index.html":
        parts.pop()
    if len(parts) >= 2 and parts[0] in (SOURCES_DIR, SHEETS_DIR):
        return f"{parts[0]}/{parts[1]}"
    return ""

"""Hostile input: every payload of ``tests/payloads/`` in every text field, built and opened.

The corpus (``payloads/text.jsonl``) runs in a few builds, not one build per
payload and field: each build takes a batch of payloads and writes a content
directory where field *k* of item *j* (fact, citation, topic, scope, key figure,
sheet, source, furniture, archived text) carries payload ``(j + k) mod batch``,
so every payload lands in every field exactly once.  Quotes must be verbatim,
so each source's archived text is written with the payloads its citations
quote, and its SHA-256 recorded.

For each built page the test then checks that

* the payloads placed on it show as text, literally (the page's content area
  read as text, whitespace folded), and in the page ``<title>`` and meta
  description;
* nothing a payload could have made exists: no element or attribute that a
  build of the bundled content does not have, no ``on*`` attribute, no link
  that is not http(s), mailto or relative, no ``<script>`` that is not ours.

URL payloads (``payloads/urls.jsonl``) are either refused by ``factsheet
check`` at the ``url`` key (``PATH:LINE:COL: error:``) or, when they are valid
http(s)/mailto addresses full of markup, go into the builds above and must be
shown literally and linked only as what they are.

The browser tests (``-m browser``) open every built page in headless Chromium,
served on 127.0.0.1, with a dialog handler, a console listener and a trap on
``window.__xss``, and type payloads into Material's search box.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import posixpath
import re
import shutil
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.checks import prose
from generator.content.fields import url_scheme
from generator.content.loader import load_content
from generator.problems import format_problems
from generator.site.build import build_site
from generator.site.project import find_project
from generator.site.sanitize import CONTENT_START, content_area

from .conftest import ROOT, Run, line_of

PAYLOADS = Path(__file__).resolve().parent / "payloads"
SITE_NAME = "Fact sheets"


def read_jsonl(name: str) -> list[Any]:
    """The items of a payload file: one JSON value a line, ``#`` lines are comments."""
    lines = (PAYLOADS / name).read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]


TEXT: list[str] = read_jsonl("text.jsonl")
URLS: list[dict[str, Any]] = read_jsonl("urls.jsonl")
REFUSED_URLS = [u["url"] for u in URLS if u["refused"]]
SHOWN_URLS = [u["url"] for u in URLS if not u["refused"]]
BATCH = 50
BATCHES = [TEXT[i : i + BATCH] for i in range(0, len(TEXT), BATCH)]


def norm(text: str) -> str:
    return " ".join(text.split())


# --- writing content ----------------------------------------------------------------------

_ESCAPE_IN_YAML = "\u2028\u2029\ufeff\u0085"


def yq(text: str) -> str:
    """A YAML double-quoted scalar for ``text`` (JSON strings are YAML)."""
    out = json.dumps(text, ensure_ascii=False)
    for char in _ESCAPE_IN_YAML:  # LibYAML treats these as line breaks or a BOM
        out = out.replace(char, f"\\u{ord(char):04x}")
    return out


def to_yaml(value: Any, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return "\n".join(lines)
    assert isinstance(value, list)
    lines = []
    for item in value:
        if isinstance(item, dict):
            lines.append(f"{pad}- " + to_yaml(item, indent + 2)[indent + 2 :])
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def _scalar(value: Any) -> str:
    if isinstance(value, int):
        return str(value)  # numbers must be plain
    return yq(str(value))


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_yaml(data) + "\n", encoding="utf-8")
    return path


def write_archive(directory: Path, name: str, text: str) -> str:
    data = text.encode("utf-8")
    (directory / name).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


# Field offsets: field k of item j carries payload (j + k) mod batch.
SHEET_TITLE, SHEET_DESCRIPTION, SHEET_SUMMARY = 0, 1, 2
TOPIC_TITLE, TOPIC_INTRO, SCOPE_TITLE, SCOPE_DESCRIPTION, KEY_MEANING = 3, 4, 5, 6, 7
STATEMENT, NOTE, ATTRIBUTED, DATE_NOTE, NAMES, UNIT, LABEL = 8, 9, 10, 11, 12, 13, 14
CITE1_NOTE, STATES_ATTRIBUTED, STATES_NAMES, CITE2_NOTE = 15, 16, 17, 18
SOURCE_TITLE, SOURCE_LABEL, OUTLET, PUBLISHER, AGENCY, AUTHOR1, AUTHOR2 = 19, 20, 21, 22, 23, 24, 25
SOURCE_NOTES, FURNITURE_REASON, FURNITURE_TEXT, ARCHIVE_LINE = 26, 27, 28, 29
DERIVED_HOW = 30
FIELDS = 31
FACTS_PER_SHEET = 3  # a sheet's title holds its facts' payloads: 3 x 60 characters and separators


@dataclass
class Site:
    """A built batch: where it is, and what each page must show."""

    payloads: list[str]
    root: Path
    site: Path
    text: dict[str, list[str]] = field(default_factory=dict)
    """Page -> payloads (and composed strings) its content area must show."""
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)

    def expect(self, page: str, *texts: str) -> None:
        self.text.setdefault(page, []).extend(texts)


def write_batch(root: Path, payloads: list[str]) -> Site:
    """Write a content directory where every payload is in every text field; see the module doc."""
    n = len(payloads)
    assert n > FIELDS, "a batch needs more payloads than there are fields"

    def p(k: int, j: int) -> str:
        return payloads[(j + k) % n]

    site = Site(payloads, root, root / "site")
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    sources_dir = content / "sources"
    sources_dir.mkdir(parents=True)

    def q1(j: int) -> str:
        return f"Passage {j} counts {100 + j} items named {p(NAMES, j)} end {j}."

    def q2(j: int) -> str:
        return (
            f"Passage {j} again, per {p(STATES_ATTRIBUTED, j)}, naming "
            f"{p(STATES_NAMES, j)}, end {j} again."
        )

    def attribution(j: int) -> str:
        return f"Statement {j} was made by {p(ATTRIBUTED, j)} end statement {j}."

    def furniture(j: int) -> str:
        return f"Furniture {j}: {p(FURNITURE_TEXT, j)} end furniture {j}."

    for j in range(n):
        sid = f"src-{j}"
        archive = "\n".join(
            [
                f"Source {j} archived text.",
                q1(j),
                q2((j - 1) % n),
                attribution(j),
                furniture(j),
                f"Archive line {j}: {p(ARCHIVE_LINE, j)} end {j}.",
                "",
            ]
        )
        digest = write_archive(sources_dir, f"{sid}.txt", archive)
        source: dict[str, Any] = {
            "id": sid,
            "title": p(SOURCE_TITLE, j),
            "label": p(SOURCE_LABEL, j),
            "type": "news-article",
            "outlet": p(OUTLET, j),
            "publisher": p(PUBLISHER, j),
            "agency": p(AGENCY, j),
            "authors": [
                {"family": p(AUTHOR1, j), "given": p(AUTHOR2, j)},
                {"organisation": p(AUTHOR2, j)},
            ],
            "published": "2024-01-01",
            "url": SHOWN_URLS[j % len(SHOWN_URLS)],
            "language": "en",
        }
        if j % 2:
            source["derived_from"] = [f"src-{j - 1}"]
        source["notes"] = p(SOURCE_NOTES, j)
        source["archive"] = {
            "file": f"{sid}.txt",
            "sha256": digest,
            "furniture": [
                {
                    "start": furniture(j),
                    "reason": p(FURNITURE_REASON, j),
                    "byline": [{"organisation": p(FURNITURE_TEXT, j)}],
                }
            ],
        }
        write_yaml(sources_dir / f"{sid}.yaml", source)
        page = f"sources/{sid}/index.html"
        site.titles[page] = p(SOURCE_TITLE, j)
        site.descriptions[page] = "Source: " + p(SOURCE_TITLE, j)
        site.expect(
            page,
            *(p(k, j) for k in (SOURCE_TITLE, OUTLET, PUBLISHER, AGENCY, AUTHOR1, AUTHOR2)),
            *(p(k, j) for k in (SOURCE_NOTES, FURNITURE_TEXT, ARCHIVE_LINE)),
            q1(j),
            q2((j - 1) % n),
            furniture(j),
            p(STATEMENT, j),
            p(STATEMENT, (j - 1) % n),
            norm(SHOWN_URLS[j % len(SHOWN_URLS)]),
        )
        if j % 2:
            site.expect(page, p(SOURCE_LABEL, j - 1))
        site.expect("sources/index.html", p(SOURCE_LABEL, j), p(SOURCE_TITLE, j))

    for i, first in enumerate(range(0, n, FACTS_PER_SHEET)):
        facts = list(range(first, min(first + FACTS_PER_SHEET, n)))
        sheet_id = f"s-{i}"
        sheet_dir = content / "sheets" / sheet_id
        title = " · ".join(p(SHEET_TITLE, j) for j in facts)
        description = " · ".join(p(SHEET_DESCRIPTION, j) for j in facts)
        write_yaml(
            sheet_dir / "sheet.yaml",
            {
                "id": sheet_id,
                "title": title,
                "description": description,
                "as_of": "2024-02-01",
                "summary": "\n\n".join(p(SHEET_SUMMARY, j) for j in facts),
                "topics": [
                    {"id": f"t-{j}", "title": p(TOPIC_TITLE, j), "intro": p(TOPIC_INTRO, j)}
                    for j in facts
                ],
                "scopes": [
                    {
                        "id": f"sc-{j}",
                        "title": p(SCOPE_TITLE, j),
                        "description": p(SCOPE_DESCRIPTION, j),
                    }
                    for j in facts
                ],
                "key_figures": [{"fact": f"f-{j}", "meaning": p(KEY_MEANING, j)} for j in facts],
            },
        )
        write_yaml(
            sheet_dir / "facts" / "facts.yaml",
            {
                "facts": [
                    {
                        "id": f"f-{j}",
                        "topic": f"t-{j}",
                        "statement": p(STATEMENT, j),
                        "label": p(LABEL, j),
                        "value": {"amount": 100 + j, "unit": p(UNIT, j), "qualifier": "exact"},
                        "scope": f"sc-{j}",
                        "date": "2024-01-02",
                        "date_note": p(DATE_NOTE, j),
                        "attributed_to": p(ATTRIBUTED, j),
                        "names": [p(NAMES, j)],
                        "note": p(NOTE, j),
                        "citations": [
                            {
                                "source": f"src-{j}",
                                "quote": q1(j),
                                "attribution": attribution(j),
                                "note": p(CITE1_NOTE, j),
                            },
                            {
                                "source": f"src-{(j + 1) % n}",
                                "quote": q2(j),
                                "states": {
                                    "attributed_to": p(STATES_ATTRIBUTED, j),
                                    "names": [p(STATES_NAMES, j)],
                                },
                                "note": p(CITE2_NOTE, j),
                            },
                        ],
                    }
                    for j in facts
                ]
            },
        )
        page = f"sheets/{sheet_id}/index.html"
        site.titles[page] = title
        site.descriptions[page] = description
        differences = f"sheets/{sheet_id}/differences/index.html"
        for j in facts:
            site.expect(
                page,
                *(p(k, j) for k in (SHEET_TITLE, SHEET_SUMMARY, TOPIC_TITLE, TOPIC_INTRO)),
                *(p(k, j) for k in (SCOPE_TITLE, KEY_MEANING, STATEMENT, NOTE, ATTRIBUTED)),
                *(p(k, j) for k in (DATE_NOTE, NAMES, UNIT, LABEL, CITE1_NOTE, CITE2_NOTE)),
                p(SOURCE_LABEL, j),
                p(SOURCE_LABEL, (j + 1) % n),
                q1(j),
                q2(j),
                attribution(j),
            )
            site.expect(
                differences,
                *(p(k, j) for k in (SHEET_TITLE, STATEMENT, ATTRIBUTED, NAMES)),
                *(p(k, j) for k in (STATES_ATTRIBUTED, STATES_NAMES)),
            )
            site.expect("index.html", p(SHEET_TITLE, j), p(SHEET_SUMMARY, j))
    for j in ground_numbers(content, lambda j: p(DERIVED_HOW, j)):
        site.expect(f"sheets/s-{j // FACTS_PER_SHEET}/index.html", p(DERIVED_HOW, j))
    return site


def ground_numbers(content: Path, how: Callable[[int], str]) -> set[int]:
    """Declare every number the payloads put in prose ("alert(1)") an editor's calculation.

    ``check`` holds each number in prose to the record; here each is recorded under
    ``derived`` (of the fact whose prose it is in, from that fact; of the sheet, from
    its first fact), explained by payload ``how(j)``, which the page shows with it.
    Returns the items j whose payload ``how(j)`` is shown.
    """
    loaded = load_content(content)
    assert not loaded.problems, format_problems(loaded.problems)
    shown: set[int] = set()

    def derivations(pieces: Iterator[prose.Piece], fact_id: str, j: int) -> str:
        figures: dict[tuple[object, ...], str] = {}
        for _, text, _, _ in pieces:
            for number in prose.read(text)[0]:
                key = (number.value, number.upper, number.qualifier)
                figures.setdefault(key, number.text)
        if not figures:
            return ""
        shown.add(j)
        items = [{"figure": f, "from": [fact_id], "how": how(j)} for f in figures.values()]
        return to_yaml({"derived": items}, 0)

    for sheet in loaded.content.sheets.values():
        sheet_dir = content / "sheets" / sheet.id
        facts = loaded.content.facts_of(sheet.id)
        first = int(facts[0].id.removeprefix("f-"))
        block = derivations(prose.sheet_prose(sheet), facts[0].id, first)
        if block:
            with (sheet_dir / "sheet.yaml").open("a", encoding="utf-8") as handle:
                handle.write(block + "\n")
        path = sheet_dir / "facts" / "facts.yaml"
        text = path.read_text(encoding="utf-8")
        for fact in facts:
            block = derivations(prose.fact_prose(fact), fact.id, int(fact.id.removeprefix("f-")))
            if block:
                item = f'  - id: "{fact.id}"\n'
                indented = "".join(f"    {line}\n" for line in block.split("\n"))
                text = text.replace(item, item + indented, 1)
        path.write_text(text, encoding="utf-8")
    return shown


def new_project(root: Path) -> Path:
    """Templates and mkdocs.yml of the project, with no content yet."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def build(root: Path) -> Path:
    project = find_project(root / "mkdocs.yml")
    result = build_site(project)
    assert not result.problems, format_problems(result.problems)
    assert result.site_dir is not None
    return result.site_dir


# --- reading built pages ------------------------------------------------------------------

_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "text", "title", "desc", "g", "svg",
})  # fmt: skip
_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
    "srcset", "longdesc", "lowsrc", "dynsrc", "codebase", "ping",
})  # fmt: skip


@dataclass
class Script:
    attrs: dict[str, str]
    body: str = ""


@dataclass
class Page:
    """One built page, read once: its elements, scripts, title, description and text."""

    tags: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)
    scripts: list[Script] = field(default_factory=list)
    title: str = ""
    description: str | None = None
    text: str = ""
    """The content area as text, whitespace folded."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: Script | None = None
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, attrs))
        values = {k: v or "" for k, v in attrs}
        if tag == "script":
            self._script = Script(values)
            self.page.scripts.append(self._script)
        elif tag == "title" and not self.page.title and not self._title:
            self._in_title = True
        elif tag == "meta" and values.get("name") == "description":
            self.page.description = values.get("content", "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, attrs))
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.page.description = dict(attrs).get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        elif tag == "title" and self._in_title:
            self._in_title = False
            self.page.title = norm("".join(self._title))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.body += data
        elif self._in_title:
            self._title.append(data)


class _Text(HTMLParser):
    """The visible text of a fragment: block boundaries become spaces, scripts are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Scripts are not text; the citation markers of the archived text
        # (<sup class="fs-cited-by">) are links placed inside a quoted passage.
        if tag in ("script", "style", "template") or (
            tag == "sup" and "fs-cited-by" in (dict(attrs).get("class") or "")
        ):
            self._skip += 1
            self._skipping.append(tag)
        if tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
            self._skip -= 1
        if tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def read_page(markup: str) -> Page:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    page = reader.page
    area = content_area(markup)
    if area is not None:
        text = _Text()
        text.feed(markup[area[0] : area[1]])
        text.close()
        page.text = norm("".join(text.parts))
    return page


def pages_of(site: Path) -> dict[str, Page]:
    return {
        p.relative_to(site).as_posix(): read_page(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


_BASE = re.compile(r'new URL\("[./]*",location\)')


def script_signature(script: Script) -> str:
    """An inline script of the theme, with the page's relative base path left out."""
    return _BASE.sub('new URL("",location)', script.body.strip())


@dataclass
class Baseline:
    """What a build of the bundled content contains: the markup that is ours."""

    attributes: dict[str, set[str]]
    scripts: set[str]


def baseline_of(site: Path) -> Baseline:
    attributes: dict[str, set[str]] = {}
    scripts: set[str] = set()
    for page in pages_of(site).values():
        for tag, attrs in page.tags:
            attributes.setdefault(tag, set()).update(name for name, _ in attrs)
        for script in page.scripts:
            if "src" not in script.attrs and "type" not in script.attrs:
                scripts.add(script_signature(script))
    return Baseline(attributes, scripts)


def markup_problems(site: Path, path: str, page: Page, baseline: Baseline) -> list[str]:
    """Elements, attributes, links and scripts on ``page`` that are not ours."""
    found: list[str] = []
    for tag, attrs in page.tags:
        if tag not in baseline.attributes:
            found.append(f"element <{tag}> (not in a build of the bundled content)")
            continue
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"event handler {name}={value!r} on <{tag}>")
            elif name not in baseline.attributes[tag]:
                found.append(f"attribute {name}={value!r} on <{tag}>")
            if name in _URL_ATTRIBUTES and value:
                scheme = url_scheme(value)
                if scheme not in (None, "http", "https", "mailto"):
                    found.append(f"{scheme}: link {name}={value!r} on <{tag}>")
    for script in page.scripts:
        kind = script.attrs.get("type", "")
        if "src" in script.attrs:
            src = script.attrs["src"]
            target = posixpath.normpath(
                src.lstrip("/")
                if src.startswith("/")
                else posixpath.join(posixpath.dirname(path), src)
            )
            if url_scheme(script.attrs["src"]) is not None or not (site / target).is_file():
                found.append(f"script src={script.attrs['src']!r} (not a file of the site)")
        elif kind in ("application/ld+json", "application/json"):
            if "</" in script.body or "<!--" in script.body:
                found.append(f"{kind} script containing '</' or '<!--'")
            try:
                json.loads(script.body)
            except ValueError:
                found.append(f"{kind} script that is not JSON: {script.body[:80]!r}")
        elif kind or script_signature(script) not in baseline.scripts:
            found.append(f"script {script.attrs} {script.body[:80]!r} (not the theme's)")
    return found


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = new_project(tmp_path_factory.mktemp("baseline") / "project")
    shutil.copytree(ROOT / "content", root / "content")
    return baseline_of(build(root))


@pytest.fixture(scope="session")
def hostile_sites(tmp_path_factory: pytest.TempPathFactory) -> list[Site]:
    """Every batch of payloads, written into every field and built (shared by the tests)."""
    sites = []
    for number, payloads in enumerate(BATCHES):
        root = new_project(tmp_path_factory.mktemp(f"hostile-{number}") / "project")
        site = write_batch(root, payloads)
        build(root)
        sites.append(site)
    return sites


# --- the corpus ---------------------------------------------------------------------------


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    assert len(TEXT) >= 100
    assert len(set(TEXT)) == len(TEXT), "duplicate payloads"
    assert all(0 < len(p) <= 60 for p in TEXT), "a fact's label holds 60 characters"
    joined = "\n".join(TEXT).lower()
    for needle in (
        "<script",
        "onerror=",
        "javascript:",
        "data:",
        "vbscript:",
        "<svg",
        "<math",
        "](",
        "![",
        "{:",
        "{{",
        "{%",
        "---",
        "|",
        "<!--",
        "cdata",
        "\u200b",
        "\u2028",
    ):
        assert needle in joined, needle
    assert len(REFUSED_URLS) >= 30 and len(SHOWN_URLS) >= 10


# --- URL payloads: refused by the check, located at the 'url' key ------------------------------


def test_unsafe_urls_are_refused_at_the_url_key(project: Path, cli: Callable[..., Run]) -> None:
    sources = project / "content" / "sources"
    written = []
    for number, value in enumerate(REFUSED_URLS):
        sid = f"url-{number}"
        digest = write_archive(sources, f"{sid}.txt", f"Archived text {number}.\n")
        path = write_yaml(
            sources / f"{sid}.yaml",
            {
                "id": sid,
                "title": f"URL payload {number}",
                "type": "web-page",
                "url": value,
                "archive": {"file": f"{sid}.txt", "sha256": digest},
            },
        )
        written.append((path, value))
    run = cli("check", cwd=project)
    assert run.code == 1
    assert "Traceback" not in run.err
    for path, value in written:
        shown = path.relative_to(project).as_posix()
        line = line_of(path, "url: ")
        expected = f"{shown}:{line}:6: error: 'url' has "
        assert expected in run.err, f"{value!r} not refused at {shown}:{line}:6:\n{run.err}"
    assert f"{len(written)} errors found." in run.err


# --- every text payload in every field: built and read back -------------------------------------


@pytest.mark.slow
def test_every_payload_is_shown_literally_in_every_field(hostile_sites: list[Site]) -> None:
    missing: list[str] = []
    for site in hostile_sites:
        pages = pages_of(site.site)
        assert set(site.text) <= set(pages), sorted(set(site.text) - set(pages))
        for path, expected in site.text.items():
            text = pages[path].text
            for payload in expected:
                if norm(payload) not in text:
                    missing.append(f"{path}: {payload!r}")
        for path, title in site.titles.items():
            if pages[path].title != f"{norm(title)} - {SITE_NAME}":
                missing.append(f"{path}: <title> {pages[path].title!r}, wanted {title!r}")
        for path, description in site.descriptions.items():
            if pages[path].description != norm(description):
                missing.append(f"{path}: description {pages[path].description!r}")
    assert not missing, f"{len(missing)} payloads not shown literally:\n" + "\n".join(missing[:40])


@pytest.mark.slow
def test_no_payload_becomes_markup(hostile_sites: list[Site], baseline: Baseline) -> None:
    found: list[str] = []
    for site in hostile_sites:
        for path, page in pages_of(site.site).items():
            found.extend(f"{path}: {p}" for p in markup_problems(site.site, path, page, baseline))
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])


@pytest.mark.slow
def test_the_payload_sites_cover_every_page_kind(hostile_sites: list[Site]) -> None:
    site = hostile_sites[0]
    for page in (
        "index.html",
        "sources/index.html",
        "format/index.html",
        "sheets/s-0/index.html",
        "sheets/s-0/differences/index.html",
        "sources/src-0/index.html",
        "sources/src-1/index.html",
    ):
        assert (site.site / page).is_file(), page
    sheet = (site.site / "sheets/s-0/index.html").read_text(encoding="utf-8")
    assert sheet.count("<svg") >= 2 and 'class="fs-timeline"' in sheet  # charts and timeline
    assert "fs-flag--disputed" in sheet and 'type="application/ld+json"' in sheet
    assert CONTENT_START in sheet


# --- in a browser -------------------------------------------------------------------------------

_TRAP = """
(() => {
  const hits = [];
  window.__xssHits = hits;
  const trap = (name) => {
    try {
      Object.defineProperty(window, name, {
        configurable: false,
        get() { return undefined; },
        set(v) { hits.push(name + "=" + String(v)); },
      });
    } catch (e) { hits.push("trap failed: " + e); }
  };
  trap("__xss");
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
      hits.push(name + "(" + args.join(",") + ")");
      return original ? original.apply(window, args) : undefined;
    };
  }
})();
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser drops connections it no longer needs


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs."""
    server = _QuietServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Watch:
    """What happened in the browser that should not have."""

    events: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.events.append(what)


@contextlib.contextmanager
def watched_page(
    browser: Any, base: str, *, search_index: str | None = None
) -> Iterator[tuple[Any, Watch]]:
    """A browser page that records dialogs, console messages, errors and stray requests.

    ``search_index``, when given, is served in place of the site's search index
    (an empty one makes pages load faster where the search is not under test).
    """
    context = browser.new_context()
    watch = Watch()
    context.add_init_script(_TRAP)
    if search_index is not None:
        context.route(
            "**/search/search_index.json",
            lambda route: route.fulfill(
                status=200, content_type="application/json", body=search_index
            ),
        )
    page = context.new_page()

    def on_request(request: Any) -> None:
        if not request.url.startswith(base):
            watch.add(f"request to {request.url}")

    def on_dialog(dialog: Any) -> None:
        watch.add(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_response(response: Any) -> None:
        if response.status >= 400:
            watch.add(f"HTTP {response.status} for {response.url}")

    page.on("request", on_request)
    page.on("dialog", on_dialog)
    page.on("console", lambda msg: watch.add(f"console {msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: watch.add(f"page error: {exc}"))
    page.on("response", on_response)
    try:
        yield page, watch
    finally:
        context.close()


def visit(page: Any, watch: Watch, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(50)  # let onerror/onload handlers of broken resources run
    hits = page.evaluate("window.__xssHits")
    if hits:
        watch.add(f"{url}: {hits}")


@pytest.mark.browser
@pytest.mark.slow
def test_no_payload_runs_in_a_browser(browser: Any, hostile_sites: list[Site]) -> None:
    events: list[str] = []
    for site in hostile_sites:
        paths = sorted(p.relative_to(site.site).as_posix() for p in site.site.rglob("*.html"))
        index = json.loads((site.site / "search" / "search_index.json").read_text("utf-8"))
        empty = json.dumps({"config": index["config"], "docs": []})
        with (
            serve(site.site) as base,
            watched_page(browser, base, search_index=empty) as (
                page,
                watch,
            ),
        ):
            for path in paths:
                url = base + (path[: -len("index.html")] if path.endswith("index.html") else path)
                visit(page, watch, url)
            events.extend(watch.events)
    assert not events, "\n".join(events[:40])


_LUNR_WARNING = re.compile(
    r"console warning: (Invalid query: .* – see https://bit\.ly/2s3ChXG|t\.QueryParseError)",
    re.S,
)


def search(page: Any, query: str) -> str:
    """Type ``query`` into Material's search box and wait for its result count."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    for text, shown in (("", "Type to start"), (query, "matching")):
        box.fill(text)
        box.press("End")  # Material reads the query on key events
        page.wait_for_function(
            "shown => (document.querySelector('.md-search-result__meta') || {})"
            ".textContent.includes(shown)",
            arg=shown,
            timeout=10_000,
        )
    return str(meta.text_content())


@pytest.mark.browser
@pytest.mark.slow
def test_no_payload_runs_in_the_search(browser: Any, hostile_sites: list[Site]) -> None:
    events: list[str] = []
    found = 0
    words = ["script", "alert", "xss", "onerror", "javascript", "svg", "img", "title", "x"]
    for site in hostile_sites:
        with serve(site.site) as base, watched_page(browser, base) as (page, watch):
            visit(page, watch, base)
            page.locator("label.md-search__icon, .md-search__input").first.click()
            for query in [*site.payloads, *words]:
                if "No matching" not in search(page, query):
                    found += 1
            # results rendered from the index's text, where the payloads are
            assert "No matching" not in search(page, "Passage")  # in every archived text
            assert page.locator(".md-search-result__item").count() > 0
            page.wait_for_timeout(200)
            hits = page.evaluate("window.__xssHits")
            if hits:
                watch.add(f"search: {hits}")
            # a search result opens its page with the query highlighted (?h=...)
            for query in site.payloads[::6]:
                visit(page, watch, base + "sheets/s-0/?h=" + urllib.parse.quote(query))
            # Material warns about queries that are not valid lunr syntax ("a^b", "~x", "x:y")
            events.extend(e for e in watch.events if not _LUNR_WARNING.fullmatch(e))
    assert found > len(hostile_sites) * len(words), "the search found too little"
    assert not events, "\n".join(events[:40])

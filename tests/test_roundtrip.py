"""Round trip: every built artefact, read back, says what the content files say.

A site is built (by the real command) from three content sets: the bundled sheet,
generated content (``bench/make_content.py``) and a small crafted set with a retracted
fact, a disputed one, a vague amount, a range, and editors' text full of Markdown, HTML
and odd spacing. Then:

* the **oracle** (:func:`read_record`) reads the content with PyYAML's ``safe_load`` and
  nothing of the generator's: each fact's fields, normalised only as the format documents
  (one-line text has its whitespace folded, multi-line text is stripped at its edges,
  numbers are compared as decimals, dates as ISO text), each source's metadata, and each
  archived text decoded as UTF-8 (a leading byte order mark is not text);
* one **reader** per output reads the built file back into the oracle's shape, as far as
  that output carries the record (``facts.json``, ``facts.csv``, ``sources.csl.json``, the
  sheet page's JSON-LD, the search index, the fact cards and the timeline of the sheet
  page, the archived text of each source page);
* each test compares a reader with the oracle, over whatever content was built.

To cover a new output, write a reader returning ``{fact_id: dict}`` and compare it with
:func:`expected` restricted to the fields the output carries (:func:`project`).

Tests of what only some content has (retractions, speakers that differ) run on the crafted
set only, which has every case they need.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

pytestmark = pytest.mark.slow

GENERATED_FACTS = 200
CONTENT_SETS = ("bundled", "generated", "crafted")
CRAFTED_SITE_URL = "https://example.org/crafted/"
"""The crafted set is built with ``site_url`` (absolute URLs), the others without."""


# --- the oracle: the content files as PyYAML reads them ------------------------------------------


def one_line(value: Any) -> Any:
    """One-line text as the format defines it: every run of whitespace is one space."""
    return " ".join(value.split()) if isinstance(value, str) else value


def block(value: Any) -> Any:
    """Multi-line text (notes, quotes, reasons): kept as written, stripped at its edges."""
    return value.strip() if isinstance(value, str) else value


def number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def iso(value: Any) -> str | None:
    """A date as YAML gives it (a date, 'YYYY-MM' text or a year) in ISO form."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def date_parts(value: Any) -> list[int] | None:
    text = iso(value)
    return [int(p) for p in text.split("-")] if text else None


def bounds(value: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    """Where the qualifier says the true value lies (lowest, highest; None = open)."""
    q, amount = value.get("qualifier"), number(value.get("amount"))
    if q == "vague":
        return number(value.get("min")), number(value.get("max"))
    if q == "exact":
        return amount, amount
    if q in ("more-than", "at-least"):
        return amount, None
    if q in ("fewer-than", "up-to", "nearly"):
        return None, amount
    if q == "range":
        return amount, number(value.get("upper"))
    assert q == "about", q
    return None, None


def absent(value: Any) -> Any:
    """None, an empty text, list or record, or a record of nothing, all mean 'not given'."""
    if isinstance(value, dict):
        value = {k: absent(v) for k, v in value.items()}
        return value if any(v is not None for v in value.values()) else None
    if isinstance(value, list):
        value = [absent(v) for v in value]
        return value or None
    if value == "":
        return None
    return value


def _states(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if not raw:
        return None
    return {
        "amount": number(raw.get("amount")),
        "upper": number(raw.get("upper")),
        "qualifier": raw.get("qualifier"),
        "attributed_to": one_line(raw.get("attributed_to")),
        "names": [one_line(n) for n in raw["names"]] if raw.get("names") else None,
        "speaker_unstated": True if raw.get("speaker_unstated") else None,
        "date": iso(raw.get("date")),
    }


def _fact(raw: dict[str, Any], sheet: str) -> dict[str, Any]:
    value = raw.get("value")
    quantity = None
    if value:
        low, high = bounds(value)
        quantity = {
            "amount": number(value.get("amount")),
            "qualifier": value.get("qualifier"),
            "unit": one_line(value.get("unit")),
            "upper": number(value.get("upper")),
            "words": one_line(value.get("words")),
            "min": low,
            "max": high,
        }
    period = raw.get("period")
    retracted = raw.get("retracted")
    fact: dict[str, Any] = absent(
        {
            "id": raw["id"],
            "sheet": sheet,
            "topic": raw["topic"],
            "statement": one_line(raw["statement"]),
            "value": quantity,
            "scope": raw.get("scope"),
            "date": iso(raw.get("date")),
            "period": {"start": iso(period["start"]), "end": iso(period.get("end"))}
            if period
            else None,
            "attributed_to": one_line(raw.get("attributed_to")),
            "speaker_unstated": True if raw.get("speaker_unstated") else None,
            "speaker_context": one_line(raw.get("speaker_context")),
            "derived": [
                {
                    "figure": one_line(d["figure"]),
                    "from": list(d["from"]),
                    "how": one_line(d["how"]),
                }
                for d in raw.get("derived") or []
            ],
            "names": [one_line(n) for n in raw.get("names") or []],
            "tags": list(raw.get("tags") or []),
            "note": block(raw.get("note")),
            "date_note": one_line(raw.get("date_note")),
            "retraction": {"date": iso(retracted["date"]), "reason": block(retracted["reason"])}
            if retracted
            else None,
            "citations": [
                {
                    "source": c["source"],
                    "quote": block(c["quote"]),
                    "prefix": block(c.get("prefix")),
                    "suffix": block(c.get("suffix")),
                    "attribution": block(c.get("attribution")),
                    "states": _states(c.get("states")),
                    "note": block(c.get("note")),
                }
                for c in raw["citations"]
            ],
        }
    )
    return fact


def speakers(fact: dict[str, Any]) -> dict[str, str | None]:
    """Who each cited source says gave the figure (None: that source names no one): the
    fact's speaker unless its citations of that source state another, or state none."""
    out: dict[str, str | None] = {}
    for c in fact["citations"]:
        out.setdefault(c["source"], fact.get("attributed_to"))
        states = c.get("states") or {}
        if states.get("attributed_to"):
            out[c["source"]] = states["attributed_to"]
        elif states.get("speaker_unstated"):
            out[c["source"]] = None
    return out


def versions(fact: dict[str, Any]) -> list[dict[str, Any]]:
    """Each cited source's version: the fact's number, qualifier, speaker, names and date,
    overridden by what that source's citations state."""
    value = fact.get("value") or {}
    said = speakers(fact)
    out = []
    for source in dict.fromkeys(c["source"] for c in fact["citations"]):
        version: dict[str, Any] = {
            "amount": value.get("amount"),
            "upper": value.get("upper"),
            "qualifier": value.get("qualifier"),
            "names": tuple(fact.get("names") or ()) or None,
            "date": fact.get("date"),
        }
        for c in fact["citations"]:
            if c["source"] == source and c.get("states"):
                for key in ("amount", "upper", "qualifier", "names", "date"):
                    stated = c["states"].get(key)
                    if stated is not None:
                        version[key] = tuple(stated) if key == "names" else stated
        speaker = said[source]
        version["speaker"] = " ".join(speaker.split()).casefold() if speaker else None
        out.append(version)
    return out


def differences(fact: dict[str, Any]) -> list[str]:
    """The kinds on which the sources' versions differ, as the format page defines them."""
    found = versions(fact)
    kinds = []
    if len({(v["amount"], v["upper"]) for v in found}) > 1:
        kinds.append("number")
    by_number: dict[Any, set[Any]] = {}
    for v in found:
        by_number.setdefault((v["amount"], v["upper"]), set()).add(v["qualifier"])
    if any(len(q) > 1 for q in by_number.values()):
        kinds.append("qualifier")
    for kind in ("speaker", "names", "date"):
        if len({v[kind] for v in found}) > 1:
            kinds.append(kind)
    return sorted(kinds)


def disputed(fact: dict[str, Any]) -> bool:
    """The sources conflict: another number, names or date, or two different named speakers
    (a qualifier worded differently, or a speaker one source leaves unsaid, is not a dispute)."""
    kinds = set(differences(fact))
    named = {v["speaker"] for v in versions(fact)} - {None}
    return bool(kinds & {"number", "names", "date"}) or len(named) > 1


@dataclass
class Record:
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    sheets: dict[str, list[str]] = field(default_factory=dict)
    """Sheet id -> its fact ids."""
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of_sheet(self, sheet: str) -> dict[str, dict[str, Any]]:
        return {fid: self.facts[fid] for fid in self.sheets[sheet]}

    def cited_by(self, sheet: str) -> set[str]:
        return {c["source"] for f in self.of_sheet(sheet).values() for c in f["citations"]}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_record(content: Path) -> Record:
    record = Record()
    for path in sorted((content / "sources").rglob("*.y*ml")):
        raw = _load(path)
        data = (path.parent / raw["archive"]["file"]).read_bytes()
        record.sources[raw["id"]] = {
            "title": one_line(raw["title"]),
            "issued": date_parts(raw.get("published")),
            "url": raw.get("url"),
            "authors": [
                {k: one_line(v) for k, v in a.items() if k != "affiliation"}
                for a in raw.get("authors") or []
            ],
            "text": data.removeprefix(b"\xef\xbb\xbf").decode("utf-8"),
        }
    for sheet_file in sorted((content / "sheets").glob("*/sheet.yaml")):
        sheet = _load(sheet_file)["id"]
        record.sheets[sheet] = []
        for path in sorted(sheet_file.parent.rglob("*.y*ml")):
            if path == sheet_file:
                continue
            for raw in _load(path)["facts"]:
                record.facts[raw["id"]] = _fact(raw, sheet)
                record.sheets[sheet].append(raw["id"])
    assert record.facts, f"no facts under {content}"
    return record


def project(record: Any, shape: Any) -> Any:
    """The part of a record an output carries: ``shape`` names the fields, nested."""
    if shape is True or record is None:
        return record
    if isinstance(record, list):
        return absent([project(item, shape) for item in record])
    return absent({key: project(record.get(key), sub) for key, sub in shape.items()})


# --- building the content sets -------------------------------------------------------------------


@dataclass
class Built:
    name: str
    content: Path
    site: Path
    record: Record
    site_url: str | None = None

    def url(self, path: str) -> str:
        """The URL of a page (``sheets/x/``) as the downloads give it: absolute with site_url,
        else relative to the site's root."""
        return (self.site_url or "") + path

    def jsonld_base(self, sheet: str) -> str:
        """What a fact's JSON-LD ``@id`` starts with before ``#``: the sheet page's URL."""
        return self.url(f"sheets/{sheet}/") if self.site_url else ""


def _git_commit(root: Path) -> None:
    """Commit the project: change dates come from git history, as in a real checkout."""
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "content"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)


def _copy_project(root: Path, with_content: bool) -> None:
    root.mkdir(parents=True)
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    if with_content:
        shutil.copytree(ROOT / "content", root / "content")


@pytest.fixture(scope="module")
def builds() -> dict[str, Built]:
    """The sites built so far (a test that picks its content set reuses them)."""
    return {}


@pytest.fixture(scope="module", params=CONTENT_SETS)
def built(
    request: pytest.FixtureRequest,
    builds: dict[str, Built],
    tmp_path_factory: pytest.TempPathFactory,
) -> Built:
    """Each content set, built once for this module by the real command."""
    name = request.param
    if name not in builds:
        builds[name] = build(name, tmp_path_factory)
    return builds[name]


def build(name: str, tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp(f"roundtrip-{name}") / "project"
    if name == "generated":
        made = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench/make_content.py"),
                str(GENERATED_FACTS),
                str(root / "content"),
            ],
            capture_output=True,
            text=True,
        )
        assert made.returncode == 0, made.stderr
    else:
        _copy_project(root, with_content=name == "bundled")
        if name == "crafted":
            write_crafted(root / "content")
            config = root / "mkdocs.yml"
            text = config.read_text(encoding="utf-8")
            config.write_text(f"site_url: {CRAFTED_SITE_URL}\n" + text, encoding="utf-8")
    _git_commit(root)
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    site_url = CRAFTED_SITE_URL if name == "crafted" else None
    return Built(name, root / "content", root / "site", read_record(root / "content"), site_url)


# --- the crafted content --------------------------------------------------------------------------

# Markdown and HTML of every kind, tabs, runs of spaces, lines of spaces, blank lines,
# text that would be a heading, a code block or a list in Markdown, spaces at the edges
# of cited passages, and (in BETA) Windows line endings.
ALPHA = (
    "  Alpha Wire: roads report  \n"
    "\n"
    "The Ministry of Roads said on Monday that it closed 12,500 accounts in April 2024.\n"
    "Officials of the Ministry of Roads said about 3,000 posts were removed,  and\tthat "
    "between 40 and 60 staff\t\tworked on the review.\n"
    "   \n"
    "\n\n"
    "According to the Ministry of Roads, tens of thousands of complaints arrived; "
    "*stars*, _under_, <b>bold</b>, &amp; {{ 7*7 }} {% raw %} [link](javascript:alert(1)) "
    "| pipe | ~tilde~ ^hat^ ==mark== $dollar$ @at \\back <!-- comment --> </div>\n"
    "# not a heading\n"
    "    indented four\n"
    "- dash list?\n"
    "1. numbered?\n"
    "The ministry named the accounts “Road Watch” and “Lane Guard”.   \n"
    "On 3 April 2024 the Ministry of Roads published its list.\n"
)
BETA = (
    "Beta Daily\r\n\r\n"
    "The Traffic Bureau said nearly 3,000 posts were removed.\r\n"
    "The Ministry of Roads said on Monday that it closed 12,500 accounts in April 2024.\r\n"
)

SHEET = """\
id: crafted
title: "Crafted  sheet <b>with</b> *markup*  "
summary: |
  A sheet made to test   every output:  *stars*, <i>tags</i>, & ampersands.

    An indented   second paragraph.
as_of: 2024-04-05
topics:
  - id: roads
    title: Roads & *accounts*
    intro: "  Intro with <em>markup</em> and  spaces.  "
scopes:
  - id: april
    title: April  review
key_figures:
  - fact: posts-removed
    meaning: posts removed
"""

FACTS = r"""
facts:
  - id: accounts-closed
    topic: roads
    statement: "  The ministry closed 12,500 accounts  <b>in</b>   *April*.  "
    value:
      amount: 12500
      qualifier: exact
      unit: accounts
    scope: april
    date: 2024-04
    attributed_to: Ministry of Roads
    tags: [roads, closures]
    note: "A note with [a link](http://example.org) and   `code`  & <script>x</script>."
    retracted:
      date: 2024-05-01
      reason: "The ministry   withdrew the <b>figure</b>; see *notes* | {{ here }}."
    citations:
      - source: alpha
        quote: The Ministry of Roads said on Monday that it closed 12,500 accounts in April 2024.
      - source: beta
        quote: The Ministry of Roads said on Monday that it closed 12,500 accounts in April 2024.

  - id: posts-removed
    topic: roads
    label: Posts removed
    statement: About 3,000 posts were removed.
    value:
      amount: 3000
      qualifier: about
      unit: posts
    attributed_to: Ministry of Roads
    citations:
      - source: alpha
        quote: Officials of the Ministry of Roads said about 3,000 posts were removed
      - source: beta
        quote: The Traffic Bureau said nearly 3,000 posts were removed.
        states:
          qualifier: nearly
          attributed_to: Traffic Bureau
        note: The bureau  words it  differently.

  - id: review-staff
    topic: roads
    label: Review staff
    statement: Between 40 and 60 staff worked on the review.
    value:
      amount: 40
      upper: 60
      qualifier: range
      unit: staff
    period:
      start: 2024-04-01
      end: 2024-04-30
    date_note: The   period is the month the report names.
    citations:
      - source: alpha
        quote: between 40 and 60 staff
        prefix: "and\tthat "
        suffix: " worked on the review."

  - id: complaints
    topic: roads
    statement: Tens of thousands of complaints arrived.
    value:
      qualifier: vague
      words: tens of  thousands
      min: 10000
      max: 99999
      unit: complaints
    attributed_to: Ministry of Roads
    citations:
      - source: alpha
        quote: |
          According to the Ministry of Roads, tens of thousands of complaints arrived;

  - id: account-names
    topic: roads
    statement: The accounts were named “Road Watch” and “Lane Guard”.
    names:
      - Road Watch
      - "  Lane   Guard "
    date: 2024-04-03
    citations:
      - source: alpha
        quote: The ministry named the accounts “Road Watch” and “Lane Guard”.
      - source: alpha
        quote: On 3 April 2024 the Ministry of Roads published its list.
"""


def _source(content: Path, sid: str, text: str, title: str, extra: str = "") -> None:
    data = text.encode("utf-8")
    (content / f"sources/{sid}.txt").write_bytes(data)
    (content / f"sources/{sid}.yaml").write_text(
        textwrap.dedent(
            f"""\
            id: {sid}
            title: "{title}"
            type: news-article
            outlet: Crafted Outlet
            authors:
              - {{family: Example, given: Ann}}
              - {{family: "van  Sample", given: "Bob"}}
              - {{organisation: "Crafted  Newsroom"}}
            published: 2024-04-05
            url: https://example.org/{sid}?a=1&b=2
            language: en
            {extra}
            archive:
              file: {sid}.txt
              sha256: {hashlib.sha256(data).hexdigest()}
            """
        ),
        encoding="utf-8",
    )


def write_crafted(content: Path) -> None:
    (content / "sources").mkdir(parents=True)
    (content / "sheets/crafted/facts").mkdir(parents=True)
    _source(content, "alpha", ALPHA, "Alpha  *report*  <b>on</b> roads")
    _source(content, "beta", BETA, "Beta: the bureau's view", "derived_from: [alpha]")
    (content / "sheets/crafted/sheet.yaml").write_text(SHEET, encoding="utf-8")
    (content / "sheets/crafted/facts/facts.yaml").write_text(FACTS, encoding="utf-8")


# --- reading HTML ---------------------------------------------------------------------------------

# elements that have no end tag
_VOID = frozenset(
    [
        *("area", "base", "br", "col", "embed", "hr", "img"),
        *("input", "link", "meta", "param", "source", "track", "wbr"),
    ]
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.classes)]

    def text(self, skip: Any = lambda node: False) -> str:
        """The text inside, as the browser's DOM has it, leaving out ``skip``ped elements."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not skip(child):
                parts.append(child.text(skip))
        return "".join(parts)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Node:
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    tree.close()
    return tree.root


def shown(text: str) -> str:
    """Text as a reader sees it in flowing HTML: whitespace folded, no edges."""
    return " ".join(text.split())


# --- readers: each output read back ---------------------------------------------------------------


def read_facts_json(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for f in json.loads(path.read_text(encoding="utf-8"))["facts"]:
        value = f["value"]
        out[f["id"]] = absent(
            {
                "id": f["id"],
                "sheet": f["sheet"],
                "topic": f["topic"],
                "statement": f["statement"],
                "value": {
                    "amount": number(value["amount"]),
                    "qualifier": value["qualifier"],
                    "unit": value["unit"],
                    "upper": number(value["upper"]),
                    "words": value["words"],
                    "min": number(value["min"]),
                    "max": number(value["max"]),
                }
                if value
                else None,
                "scope": f["scope"],
                "date": f["date"],
                "period": f["period"],
                "attributed_to": f["attributed_to"],
                "speaker_unstated": f["speaker_unstated"] or None,
                "speaker_context": f["speaker_context"],
                "derived": f["derived"],
                "names": f["names"],
                "tags": f["tags"],
                "note": f["note"],
                "date_note": f["date_note"],
                "retraction": f["retracted"],
                "citations": [
                    {
                        "source": c["source"],
                        "quote": c["quote"],
                        "prefix": c["prefix"],
                        "suffix": c["suffix"],
                        "attribution": c["attribution"],
                        "states": {
                            "amount": number(c["states"].get("amount")),
                            "upper": number(c["states"].get("upper")),
                            "qualifier": c["states"].get("qualifier"),
                            "attributed_to": c["states"].get("attributed_to"),
                            "names": c["states"].get("names"),
                            "speaker_unstated": c["states"].get("speaker_unstated"),
                            "date": c["states"].get("date"),
                        }
                        if c["states"]
                        else None,
                        "note": c["note"],
                    }
                    for c in f["citations"]
                ],
            }
        )
        out[f["id"]]["speakers"] = {
            v["source"]: None if v["speaker_unstated"] else v["attributed_to"]
            for v in f["versions"]
        }
        out[f["id"]]["disputed"] = f["disputed"]
        out[f["id"]]["differences"] = sorted(f["differences"])
    return out


CSV_CARRIES: dict[str, Any] = {
    "id": True,
    "sheet": True,
    "topic": True,
    "statement": True,
    "value": {
        "amount": True,
        "qualifier": True,
        "unit": True,
        "upper": True,
        "min": True,
        "max": True,
    },
    "scope": True,
    "date": True,
    "period": True,
    "speakers": True,
    "speaker_unstated": True,
    "speaker_context": True,
    "names": True,
    "citations": {"source": True, "quote": True},
}
"""The fields of the record that facts.csv has columns for."""

_QUOTE_START = re.compile(r"^\[(\d+)\] ([A-Za-z0-9._-]+): ", re.M)


def _cell(text: str) -> str:
    """A cell as written: a leading apostrophe guards a formula-like start, it is not text."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """facts.csv's rows; it starts with a byte order mark (for spreadsheets), as Python's
    ``utf-8-sig`` reads it."""
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: _cell(v) for k, v in row.items()} for row in csv.DictReader(handle)]


_VERSION = re.compile(r"^(.*) \[([A-Za-z0-9._-]+)\]$")


def _csv_speakers(cell: str, sources: list[str]) -> dict[str, str | None]:
    """The attributed_to cell as each source's speaker: one name for all sources, or
    "NAME [source]; not stated [source]" where they differ."""
    versions = [_VERSION.match(part) for part in cell.split("; ")] if cell else []
    if versions and all(versions):
        return {
            m.group(2): None if m.group(1) == "not stated" else m.group(1)
            for m in versions
            if m is not None
        }
    return dict.fromkeys(sources, cell or None)


def read_facts_csv(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for row in read_csv_rows(path):
        cells = _QUOTE_START.split(row["quotes"])
        citations = [
            {"number": int(n), "source": s, "quote": q.removesuffix("\n")}
            for n, s, q in zip(cells[1::3], cells[2::3], cells[3::3], strict=True)
        ]
        assert [c.pop("number") for c in citations] == list(range(1, len(citations) + 1))
        out[row["id"]] = absent(
            {
                "id": row["id"],
                "sheet": row["sheet"],
                "topic": row["topic"],
                "statement": row["statement"],
                "value": {
                    "amount": number(row["amount"]),
                    "qualifier": row["qualifier"],
                    "unit": row["unit"],
                    "upper": number(row["upper"]),
                    "min": number(row["min"]),
                    "max": number(row["max"]),
                },
                "scope": row["scope"],
                "date": row["date"],
                "period": {"start": row["period_start"], "end": row["period_end"]},
                "speakers": _csv_speakers(row["attributed_to"], [c["source"] for c in citations]),
                "speaker_unstated": {"yes": True, "no": None}[row["speaker_unstated"]],
                "speaker_context": row["speaker_context"],
                "names": row["names"].split("; ") if row["names"] else None,
                "citations": citations,
            }
        )
        out[row["id"]]["disputed"] = {"yes": True, "no": False}[row["disputed"]]
        out[row["id"]]["differences"] = (
            sorted(row["differences"].split("; ")) if row["differences"] else []
        )
    return out


def read_jsonld(page: Path, base: str = "") -> dict[str, dict[str, Any]]:
    """Each node of the sheet page's JSON-LD graph that stands for a fact (``@id: #fact``,
    or ``BASE#fact`` with ``base``, the sheet page's absolute URL when site_url is set)."""
    scripts = [
        s for s in parse(page).find("script") if s.attrs.get("type") == "application/ld+json"
    ]
    assert len(scripts) == 1, page
    graph = json.loads(scripts[0].text())["@graph"]
    nodes: dict[str, dict[str, Any]] = {}
    for node in graph:
        if str(node.get("@id", "")).startswith(base + "#"):
            fid = node["@id"][len(base) + 1 :]
            assert fid not in nodes, f"two JSON-LD nodes for {fid}"
            nodes[fid] = node
    return nodes


def _names(agents: Any) -> list[str]:
    if agents is None:
        return []
    if isinstance(agents, dict):
        agents = [agents]
    return [a["name"] if isinstance(a, dict) else str(a) for a in agents]


def _strings(data: Any, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """Every text in a JSON value, leaving out the members named in ``skip``."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            if k not in skip:
                yield from _strings(v, skip)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v, skip)


def read_search(site: Path) -> dict[str, dict[str, str]]:
    """The search entries that land in a sheet page (``sheets/ID/#anchor``): title and text."""
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for doc in index["docs"]:
        location = doc["location"]
        if location.startswith("sheets/") and location.count("/") == 2 and "/#" in location:
            out[location] = {
                "title": _search_text(doc["title"]),
                "text": _search_text(doc["text"]),
            }
    return out


def _search_text(text: str) -> str:
    """An entry's text as a reader sees it: entities decoded, Chinese segmentation undone."""
    return shown(html.unescape(text).replace("\u200b", ""))


def read_cards(page: Path) -> dict[str, dict[str, Any]]:
    """Each fact card of a page (a sheet's, or a fact's own, where its title is an h2): its
    statement, and the retraction and dispute it shows."""
    out: dict[str, dict[str, Any]] = {}
    for card in parse(page).find("article", "fs-fact"):
        title = (card.find("h3", "fs-fact-title") or card.find("h2", "fs-fact-title"))[0]
        flag = card.find("p", "fs-flag--retracted")
        retraction = None
        if flag:
            time = flag[0].find("time")[0]
            retraction = {
                "date": time.attrs["datetime"],
                "reason": shown(flag[0].text()).split(": ", 1)[1],
            }
        out[title.attrs["id"]] = {
            "statement": shown(title.text()),
            "retracted": "fs-fact--retracted" in card.classes,
            "retraction": retraction,
            "disputed": "fs-fact--disputed" in card.classes,
        }
    return out


def read_differences(page: Path) -> dict[str, set[str]]:
    """The facts each section of a sheet's differences page lists, by the section's id."""
    listed: dict[str, set[str]] = {}
    section = ""
    for node in parse(page).walk():
        ident = node.attrs.get("id") or ""
        if node.tag == "h2":
            section = ident
        elif node.tag == "h3" and ident.startswith("differ-"):
            listed.setdefault(section, set()).add(ident.removeprefix("differ-"))
    return listed


def read_archive(page: Path) -> str:
    """The archived text on a source page, as the browser's DOM holds it.

    Left out, and only these: the fact links the page puts after each cited passage
    (``<sup class="fs-cited-by">``). The highlighting and anchors (``<mark>``, ``<span>``)
    add no text. Line breaks are the text's own: the block keeps white space as it is.
    """
    blocks = parse(page).find("div", "fs-archive")
    assert len(blocks) == 1, page
    return blocks[0].text(skip=lambda n: n.tag == "sup" and "fs-cited-by" in n.classes)


def read_csl(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for item in json.loads(path.read_text(encoding="utf-8")):
        authors = []
        for name in item.get("author", []):
            if "literal" in name:
                authors.append({"organisation": name["literal"]})
            else:
                keys = {"non-dropping-particle": "particle"}
                authors.append({keys.get(k, k): v for k, v in name.items()})
        issued = item.get("issued")
        out[item["id"]] = {
            "title": item["title"],
            "issued": issued["date-parts"][0] if issued else None,
            "url": item.get("URL"),
            "authors": authors,
        }
    return out


# --- helpers of the comparisons -------------------------------------------------------------------


def expected(record: Record, facts: dict[str, dict[str, Any]], shape: Any = True) -> dict[str, Any]:
    """The oracle's facts as an output should carry them, with their dispute state."""
    out = {}
    for fid, fact in facts.items():
        out[fid] = {
            **project({**fact, "speakers": speakers(fact)}, shape),
            "disputed": disputed(fact),
            "differences": differences(fact),
        }
    return out


def diff(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """What differs, one line per fact and field, for a readable failure."""
    lines = []
    for fid in sorted(set(got) | set(want)):
        if fid not in got or fid not in want:
            lines.append(
                f"{fid}: {'missing from the output' if fid in want else 'not in the content'}"
            )
            continue
        for key in sorted(set(got[fid]) | set(want[fid])):
            if got[fid].get(key) != want[fid].get(key):
                lines.append(
                    f"{fid}.{key}: output {got[fid].get(key)!r}, content {want[fid].get(key)!r}"
                )
    return lines


def sheet_pages(built: Built) -> Iterator[tuple[str, Path]]:
    for sheet in built.record.sheets:
        yield sheet, built.site / f"sheets/{sheet}/index.html"


# --- the archived text ----------------------------------------------------------------------------


def test_source_pages_show_the_archived_text_exactly(built: Built) -> None:
    for sid, source in built.record.sources.items():
        page = built.site / f"sources/{sid}/index.html"
        text = read_archive(page)
        if text != source["text"]:
            at = next(
                (i for i, (a, b) in enumerate(zip(text, source["text"], strict=False)) if a != b),
                min(len(text), len(source["text"])),
            )
            pytest.fail(
                f"{sid}: the page shows {text[max(0, at - 30) : at + 30]!r}, "
                f"the archive has {source['text'][max(0, at - 30) : at + 30]!r}"
            )


def test_the_archived_file_is_published_byte_for_byte(built: Built) -> None:
    for path in (built.content / "sources").rglob("*.y*ml"):
        raw = _load(path)
        archived = (path.parent / raw["archive"]["file"]).read_bytes()
        assert (built.site / f"sources/{raw['id']}.txt").read_bytes() == archived


# --- downloads ------------------------------------------------------------------------------------


def test_facts_json_carries_every_field_of_every_fact(built: Built) -> None:
    record = built.record
    assert diff(read_facts_json(built.site / "facts.json"), expected(record, record.facts)) == []
    for sheet in record.sheets:
        got = read_facts_json(built.site / f"sheets/{sheet}/facts.json")
        assert diff(got, expected(record, record.of_sheet(sheet))) == [], sheet


def test_facts_csv_carries_the_fields_it_has_columns_for(built: Built) -> None:
    record = built.record
    want = expected(record, record.facts, CSV_CARRIES)
    assert diff(read_facts_csv(built.site / "facts.csv"), want) == []
    for sheet in record.sheets:
        got = read_facts_csv(built.site / f"sheets/{sheet}/facts.csv")
        assert diff(got, expected(record, record.of_sheet(sheet), CSV_CARRIES)) == [], sheet


def test_csl_json_carries_each_sources_title_date_url_and_authors(built: Built) -> None:
    record = built.record
    want = {
        sid: {k: s[k] for k in ("title", "issued", "url", "authors")}
        for sid, s in record.sources.items()
    }
    assert read_csl(built.site / "sources.csl.json") == want
    for sheet in record.sheets:
        got = read_csl(built.site / f"sheets/{sheet}/sources.csl.json")
        assert got == {sid: want[sid] for sid in record.cited_by(sheet)}, sheet


# --- the sheet page -------------------------------------------------------------------------------


def test_json_ld_has_a_claim_per_fact_with_its_statement_and_honest_bounds(built: Built) -> None:
    for sheet, page in sheet_pages(built):
        nodes = read_jsonld(page, built.jsonld_base(sheet))
        facts = built.record.of_sheet(sheet)
        assert set(nodes) == set(facts), sheet
        for fid, fact in facts.items():
            node = nodes[fid]
            if not fact.get("retraction"):
                assert node["@type"] == "Claim", fid
            assert node["text"] == fact["statement"], fid
            said = set(speakers(fact).values())
            if len(said) == 1 and None not in said:
                assert said <= set(_names(node.get("author"))), fid
            else:  # never one speaker for all when the sources differ or do not say
                assert not node.get("author"), fid
            value = fact.get("value")
            about = node.get("about")
            if fact.get("retraction"):
                assert about is None, fid  # a withdrawn figure is no longer asserted
                continue
            if value is None or about is None:
                assert value is None and about is None, fid
                continue
            assert about["@type"] == "QuantitativeValue", fid
            assert number(about.get("minValue")) == value.get("min"), fid
            assert number(about.get("maxValue")) == value.get("max"), fid
            exact = value["qualifier"] == "exact"
            assert number(about.get("value")) == (value["amount"] if exact else None), fid
            assert about.get("unitText") == value.get("unit"), fid


def test_fact_cards_show_each_statement_retraction_and_dispute(built: Built) -> None:
    for sheet, page in sheet_pages(built):
        cards = read_cards(page)
        facts = built.record.of_sheet(sheet)
        assert set(cards) == set(facts), sheet
        for fid, fact in facts.items():
            retraction = fact.get("retraction")
            assert cards[fid] == {
                "statement": fact["statement"],
                "retracted": retraction is not None,
                "retraction": {"date": retraction["date"], "reason": shown(retraction["reason"])}
                if retraction
                else None,
                "disputed": disputed(fact),
            }, fid


def test_timeline_lists_each_standing_dated_fact_with_its_classes(built: Built) -> None:
    """A period's entry has both classes (they were once glued into one, and its CSS
    never applied)."""
    for sheet, page in sheet_pages(built):
        entries = {}
        for ol in parse(page).find("ol", "fs-timeline"):
            for li in ol.find("li"):
                link = [a for a in li.find("a") if a.attrs.get("href", "").startswith("#")]
                # a period is shown as its start and end, each a <time>
                times = [t.attrs["datetime"] for t in li.find("time")]
                assert 1 <= len(times) <= 2, times
                entries[link[0].attrs["href"][1:]] = (li.classes, "/".join(times))
        want = {}
        for fid, fact in built.record.of_sheet(sheet).items():
            if fact.get("retraction"):
                continue
            period = fact.get("period")
            if period and period.get("end"):
                want[fid] = (
                    {"fs-timeline-entry", "fs-timeline-entry--period"},
                    f"{period['start']}/{period['end']}",
                )
            elif period:
                want[fid] = ({"fs-timeline-entry"}, period["start"])
            elif fact.get("date"):
                want[fid] = ({"fs-timeline-entry"}, fact["date"])
        assert entries == want, sheet


def test_differences_page_lists_the_standing_disputed_and_worded_facts(built: Built) -> None:
    """Conflicts under "the sources state differently", other differences under "word it
    differently" (each fact once, in its section), retracted facts left out."""
    for sheet in built.record.sheets:
        listed = read_differences(built.site / f"sheets/{sheet}/differences/index.html")
        standing = {
            fid: fact
            for fid, fact in built.record.of_sheet(sheet).items()
            if not fact.get("retraction")
        }
        want = {
            "disputed": {fid for fid, fact in standing.items() if disputed(fact)},
            "worded": {
                fid for fid, fact in standing.items() if differences(fact) and not disputed(fact)
            },
        }
        assert {k: listed.get(k, set()) for k in want} == want, sheet
        assert set(listed) <= set(want), sheet


# --- search ---------------------------------------------------------------------------------------


def test_search_lands_on_every_fact_and_finds_its_statement(built: Built) -> None:
    entries = read_search(built.site)
    for sheet in built.record.sheets:
        for fid, fact in built.record.of_sheet(sheet).items():
            entry = entries.get(f"sheets/{sheet}/#{fid}")
            assert entry is not None, f"no search entry lands on {fid}"
            assert fact["statement"] in f"{entry['title']} {entry['text']}", fid


# --- retraction and dispute, the same everywhere --------------------------------------------------


def states(built: Built) -> dict[str, dict[str, dict[str, Any]]]:
    """Output -> fact -> the retraction and dispute state it shows (where it shows them)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name, facts in (
        ("facts.json", read_facts_json(built.site / "facts.json")),
        ("facts.csv", read_facts_csv(built.site / "facts.csv")),
    ):
        out[name] = {fid: {"disputed": f["disputed"]} for fid, f in facts.items()}
    for fid, f in read_facts_json(built.site / "facts.json").items():
        out["facts.json"][fid]["retracted"] = f.get("retraction") is not None
    for sheet, page in sheet_pages(built):
        for fid, card in read_cards(page).items():
            out.setdefault("sheet page", {})[fid] = {
                "retracted": card["retracted"],
                "disputed": card["disputed"],
            }
        listed = read_differences(built.site / f"sheets/{sheet}/differences/index.html")
        for section, fids in listed.items():
            for fid in fids:  # the differences page leaves retracted facts out
                out.setdefault("differences page", {})[fid] = {
                    "disputed": section == "disputed",
                    "retracted": False,
                }
    for location, entry in read_search(built.site).items():
        fid = location.rsplit("#", 1)[1]
        if fid in built.record.facts:  # not a topic's or a section's entry
            out.setdefault("search", {})[fid] = {"retracted": entry["text"].startswith("Retracted")}
    return out


def test_retraction_and_dispute_are_the_same_in_every_output(built: Built) -> None:
    truth = {
        fid: {"retracted": bool(f.get("retraction")), "disputed": disputed(f)}
        for fid, f in built.record.facts.items()
    }
    wrong = [
        f"{output}: {fid}.{key} is {value}, the content says {truth[fid][key]}"
        for output, facts in states(built).items()
        for fid, shown_state in facts.items()
        for key, value in shown_state.items()
        if value != truth[fid][key]
    ]
    assert wrong == []


# --- retractions and speakers, in the outputs that carry them -------------------------------------


ON_CRAFTED = pytest.mark.parametrize("built", ["crafted"], indirect=True)
"""Run on the crafted content only: it has every case these tests need."""


@pytest.fixture
def crafted(built: Built) -> Built:
    retracted = [f for f in built.record.facts.values() if f.get("retraction")]
    split = [f for f in built.record.facts.values() if len(set(speakers(f).values())) > 1]
    assert retracted and split, "the crafted content lost its retracted or split-speaker fact"
    return built


def _has(strings: Iterator[str] | list[str], *needles: str) -> bool:
    text = shown(" ".join(strings))
    return all(shown(n) in text for n in needles)


def _words(iso_date: str) -> str:
    day = datetime.date.fromisoformat(iso_date)
    return f"{day.day} {day:%B} {day.year}"


@ON_CRAFTED
def test_facts_csv_carries_each_retraction(crafted: Built) -> None:
    rows = {r["id"]: r for r in read_csv_rows(crafted.site / "facts.csv")}
    for fid, fact in crafted.record.facts.items():
        cells = [v for k, v in rows[fid].items() if "retract" in k]
        assert cells, "no retraction column"
        retraction = fact.get("retraction")
        if retraction:
            assert _has(cells, retraction["date"], retraction["reason"]), fid
        else:
            assert not any(c for c in cells if c != "no"), fid


@ON_CRAFTED
def test_json_ld_carries_each_retraction(crafted: Built) -> None:
    for sheet, page in sheet_pages(crafted):
        nodes = read_jsonld(page, crafted.jsonld_base(sheet))
        for fid, fact in crafted.record.of_sheet(sheet).items():
            retraction = fact.get("retraction")
            if retraction:
                assert _has(_strings(nodes[fid]), retraction["date"], retraction["reason"]), fid


@ON_CRAFTED
def test_search_carries_each_retraction(crafted: Built) -> None:
    entries = read_search(crafted.site)
    for sheet in crafted.record.sheets:
        for fid, fact in crafted.record.of_sheet(sheet).items():
            retraction = fact.get("retraction")
            if retraction:
                entry = entries[f"sheets/{sheet}/#{fid}"]
                when = retraction["date"]
                assert _has([entry["text"]], retraction["reason"]), fid
                assert when in entry["text"] or _words(when) in entry["text"], fid


@ON_CRAFTED
def test_every_sources_speaker_is_in_the_csv_and_json_ld(crafted: Built) -> None:
    rows = {r["id"]: r for r in read_csv_rows(crafted.site / "facts.csv")}
    for sheet, page in sheet_pages(crafted):
        nodes = read_jsonld(page, crafted.jsonld_base(sheet))
        for fid, fact in crafted.record.of_sheet(sheet).items():
            said = {s for s in speakers(fact).values() if s}
            if len(said) > 1:
                # not in the statement or the quotes, which may name them anyway
                cells = [v for k, v in rows[fid].items() if k not in ("statement", "quotes")]
                assert _has(cells, *said), fid
                assert _has(_strings(nodes[fid], skip=("text",)), *said), fid


def read_feed_retractions(path: Path) -> dict[str, str]:
    """Fact id -> the summary of its retraction entry, from an Atom feed read by feedparser."""
    import feedparser

    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    out = {}
    for entry in feed.entries:
        if any(t.get("term") == "retraction" for t in entry.get("tags", [])):
            out[entry.link.rsplit("#", 1)[1]] = entry.summary
    return out


@ON_CRAFTED
def test_the_corrections_feeds_carry_each_retraction(crafted: Built) -> None:
    site_feed = read_feed_retractions(crafted.site / "corrections.xml")
    for sheet in crafted.record.sheets:
        feed = read_feed_retractions(crafted.site / f"sheets/{sheet}/corrections.xml")
        retracted = {
            fid: fact["retraction"]
            for fid, fact in crafted.record.of_sheet(sheet).items()
            if fact.get("retraction")
        }
        assert set(feed) == set(retracted), sheet
        for fid, retraction in retracted.items():
            assert _has([feed[fid]], retraction["date"], shown(retraction["reason"])), fid
            assert site_feed[fid] == feed[fid], fid


def test_every_fact_has_its_own_page_with_its_card_and_share_tags(built: Built) -> None:
    """facts.json, facts.csv and the JSON-LD give each fact's page; the page shows the
    fact's card as the sheet does, and its share tags carry the statement as written."""
    json_urls = {
        f["id"]: f["url"] for f in json.loads((built.site / "facts.json").read_text())["facts"]
    }
    csv_urls = {r["id"]: r["url"] for r in read_csv_rows(built.site / "facts.csv")}
    assert json_urls == csv_urls
    for sheet, page in sheet_pages(built):
        cards = read_cards(page)
        nodes = read_jsonld(page, built.jsonld_base(sheet))
        for fid, fact in built.record.of_sheet(sheet).items():
            url = built.url(f"sheets/{sheet}/facts/{fid}/")
            assert json_urls[fid] == url, fid
            assert nodes[fid]["url"] == (url if built.site_url else f"#{fid}"), fid
            own = built.site / f"sheets/{sheet}/facts/{fid}/index.html"
            assert read_cards(own) == {fid: cards[fid]}, fid
            meta = {
                m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
                for m in parse(own).find("meta")
            }
            assert meta["og:title"] == shown(fact["statement"]), fid
            assert meta["twitter:card"] == "summary"
            assert meta.get("og:url") == (url if built.site_url else None), fid

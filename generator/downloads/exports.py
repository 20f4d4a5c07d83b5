"""Machine-readable downloads: facts.json, facts.csv, sources as CSL-JSON, corrections feeds.

The formats are versioned (``FORMAT_VERSION``) and documented on the site's
format page.  Outputs are deterministic: the same content gives the same
bytes (no timestamps, stable ordering).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from generator.analysis.disagreements import KINDS
from generator.analysis.views import FactView, SheetView, SiteView, sheet_key
from generator.content import wording
from generator.content.fields import PartialDate
from generator.content.model import Author, Derivation, Source
from generator.downloads.feeds import sheet_feed, site_feed
from generator.paths import (
    RELATIVE,
    ROBOTS,
    SITE_CORRECTIONS_FEED,
    SITEMAP,
    Urls,
    archived_text,
    corrections_feed,
    fact_page,
    sheet_downloads,
    sheet_page,
    source_page,
)
from generator.text.vocabulary import QUALIFIERS

FORMAT_NAME = "factsheet-facts"
FORMAT_VERSION = 2
"""2: ``differences`` lists kinds (number, qualifier, speaker, names, date) and ``disputed``
is true only for conflicting ones; speakers may be unstated (``speaker_unstated``).
Since added, compatibly (readers of version 2 ignore what they do not know): ``url`` on
facts and sheets, ``page_url`` on sources (whose ``url`` is the original's), the address
of its page on the site, absolute with ``site_url``; facts.csv's last column, ``url``."""

CSV_COLUMNS = (
    "id",
    "sheet",
    "topic",
    "statement",
    "figure",
    "qualifier",
    "amount",
    "upper",
    "min",
    "max",
    "unit",
    "scope",
    "date",
    "period_start",
    "period_end",
    "attributed_to",
    "names",
    "independent_origins",
    "corroboration",
    "disputed",
    "differences",
    "sources",
    "quotes",
    "page",
    "anchor",
    "retracted",
    "retraction_date",
    "retraction_reason",
    "speaker_unstated",
    "speaker_context",
    "url",
)
"""Columns of facts.csv, in order (new columns are appended)."""

CSL_TYPES = {
    "news-article": "article-newspaper",
    "wire-report": "article-newspaper",
    "statement": "speech",
    "press-release": "article",
    "report": "report",
    "dataset": "dataset",
    "web-page": "webpage",
    "social-media-post": "post",
    "interview": "interview",
    "other": "document",
}


def dump_json(data: Any, *, pretty: bool = False) -> bytes:
    """UTF-8 JSON; downloads are compact (the C encoder), schemas are indented for people."""
    if pretty:
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return (_dumps(data) + "\n").encode("utf-8")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _utf8(data: Any) -> bytes:
    """Compact JSON as UTF-8: the parts that downloads are joined from, as bytes."""
    return _dumps(data).encode("utf-8")


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value is not None else None


def fact_record(fact: FactView, urls: Urls = RELATIVE) -> dict[str, Any]:
    f = fact.fact
    value = None
    if f.value is not None:
        low, high = wording.bounds(f.value)
        value = {
            "text": wording.figure(f.value),
            "amount": json_number(f.value.amount),
            "upper": json_number(f.value.upper),
            "qualifier": f.value.qualifier,
            "unit": f.value.unit or None,
            "words": f.value.words,
            "min": json_number(low),
            "max": json_number(high),
        }
    record: dict[str, Any] = {
        "id": f.id,
        "sheet": f.sheet,
        "topic": f.topic,
        "statement": f.statement,
        "value": value,
        "scope": f.scope,
        "date": _date(f.date),
        "date_note": f.date_note,
        "period": (
            {"start": _date(f.period.start), "end": _date(f.period.end)} if f.period else None
        ),
        "attributed_to": f.attributed_to,
        "speaker_unstated": f.speaker_unstated,
        "speaker_context": f.speaker_context,
        "names": f.names,
        "tags": f.tags,
        "note": f.note,
        "derived": _derived(f.derived),
        "last_changed": fact.changed_on,
        "retracted": (
            {"date": _date(f.retracted.date), "reason": f.retracted.reason} if f.retracted else None
        ),
        "corroboration": {
            "independent_origins": fact.corroboration.independent,
            "origins": list(fact.corroboration.origins),
            "sources": list(fact.corroboration.sources),
            "words": fact.corroboration.words,
        },
        "disputed": fact.dispute is not None,
        "differences": list(fact.differences.kinds) if fact.differences else [],
        "versions": [
            {
                "source": v.source,
                "amount": json_number(v.amount),
                "upper": json_number(v.upper),
                "qualifier": v.qualifier,
                "as_written": v.as_written,
                "attributed_to": v.attributed_to,
                "speaker_unstated": v.speaker_unstated,
                "names": list(v.names) if v.names is not None else None,
                "date": _date(v.date),
            }
            for v in fact.versions
        ],
        "citations": [
            {
                "number": c.number,
                "source": c.source.id,
                "quote": c.citation.quote,
                "prefix": c.citation.prefix,
                "suffix": c.citation.suffix,
                "attribution": c.citation.attribution,
                "states": _states(c.citation.states),
                "note": c.citation.note,
                "position": (
                    {"start": c.span.start, "end": c.span.end, "line": c.span.line}
                    if c.span
                    else None
                ),
            }
            for c in fact.citations
        ],
        "page": sheet_page(f.sheet),
        "anchor": f.id,
        "url": urls.url(fact_page(f.sheet, f.id)),
    }
    return record


def _derived(derived: list[Derivation]) -> list[dict[str, Any]]:
    """The editor's own calculations in a piece of prose, as the YAML gives them."""
    return [{"figure": d.figure, "from": list(d.facts), "how": d.how} for d in derived]


def _states(states: Any) -> dict[str, Any] | None:
    if states is None:
        return None
    out = {
        "amount": json_number(states.amount),
        "upper": json_number(states.upper),
        "qualifier": states.qualifier,
        "attributed_to": states.attributed_to,
        "speaker_unstated": True if states.speaker_unstated else None,
        "names": states.names,
        "date": _date(states.date),
    }
    return {k: v for k, v in out.items() if v is not None}


def source_record(source: Source, origins: list[str], urls: Urls = RELATIVE) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "label": source.short,
        "type": source.type,
        "outlet": source.outlet,
        "publisher": source.publisher,
        "agency": source.agency,
        "authors": [author_record(a) for a in source.authors],
        "published": _date(source.published),
        "url": source.url,
        "accessed": _date(source.accessed),
        "language": source.language,
        "derived_from": source.derived_from,
        "origins": origins,
        "notes": source.notes,
        "archive": {
            "file": archived_text(source.id),
            "sha256": source.archive.sha256,
        },
        "page": source_page(source.id),
        "page_url": urls.url(source_page(source.id)),
    }


AUTHOR_KEYS = ("family", "given", "particle", "suffix", "affiliation", "organisation")


def author_record(author: Author) -> dict[str, str]:
    """An author as written in the YAML: a person's name parts, or an organisation."""
    return {k: v for k in AUTHOR_KEYS if (v := getattr(author, k)) is not None}


def csl_name(author: Author) -> dict[str, str]:
    """A CSL-JSON name: family and given for a person, a literal only for an organisation."""
    if not author.is_person:
        return {"literal": author.name}
    parts = {
        "family": author.family,
        "given": author.given,
        "non-dropping-particle": author.particle,
        "suffix": author.suffix,
    }
    return {k: v for k, v in parts.items() if v is not None}


def sheet_record(sheet: SheetView, urls: Urls = RELATIVE) -> dict[str, Any]:
    s = sheet.sheet
    return {
        "id": s.id,
        "title": s.title,
        "summary": s.summary,
        "as_of": _date(s.as_of),
        "period": (
            {"start": _date(s.period.start), "end": _date(s.period.end)} if s.period else None
        ),
        "topics": [{"id": t.id, "title": t.title} for t in s.topics],
        "scopes": [{"id": x.id, "title": x.title, "description": x.description} for x in s.scopes],
        "key_figures": [{"fact": k.fact, "meaning": k.meaning} for k in s.key_figures],
        "speakers": [{"name": x.name, "aliases": list(x.aliases)} for x in s.speakers],
        "derived": _derived(s.derived),
        "page": sheet_page(s.id),
        "url": urls.url(sheet_page(s.id)),
    }


Records = dict[str, dict[str, Any]]
"""Fact id -> its facts.json record, computed once for every download that needs it."""


@dataclass(frozen=True)
class Encoded:
    """A fact's facts.json record, and that record as JSON and as a CSV row (UTF-8).

    Each fact is encoded once and its bytes reused in every download that lists it
    (its sheet's and the site's), and, with a memo, in later runs while it is unchanged:
    a download is one join of bytes.
    """

    record: dict[str, Any]
    json: bytes
    csv: bytes


def encode_facts(site: SiteView, urls: Urls = RELATIVE) -> dict[str, Encoded]:
    """Every fact's record, encoded."""
    return {fact.fact.id: encoded_fact(fact, urls) for sheet in site.sheets for fact in sheet.facts}


def encoded_fact(fact: FactView, urls: Urls = RELATIVE) -> Encoded:
    """One fact's record, and its facts.json member and facts.csv row."""
    record = fact_record(fact, urls)
    return Encoded(record, _utf8(record), csv_row(record).encode("utf-8"))


@dataclass(frozen=True)
class SheetRun:
    """A sheet's facts as one run of facts.json array members and one run of CSV rows.

    Downloads of several sheets (the site's) join these runs: with a memo, the 10,000
    facts of a large site are not gone through again when one sheet changed.
    """

    sheet: SheetView
    json: bytes
    csv: bytes

    @staticmethod
    def of(sheet: SheetView, encoded: dict[str, Encoded]) -> SheetRun:
        records = [encoded[f.fact.id] for f in sheet.facts]
        return SheetRun(sheet, b",".join(r.json for r in records), b"".join(r.csv for r in records))


def facts_document(
    site: SiteView, sheets: list[SheetView], records: Records, urls: Urls = RELATIVE
) -> dict[str, Any]:
    """The facts.json document of these sheets (what :func:`facts_json` writes)."""
    facts = [f for sheet in sheets for f in sheet.facts]
    cited = {c.source.id: c.source for f in facts for c in f.citations}
    order = site.content.source_order()
    sources = sorted(cited.values(), key=lambda s: order[s.id])
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "sheets": [sheet_record(s, urls) for s in sheets],
        "sources": [source_record(s, _roots(site, s), urls) for s in sources],
        "facts": [records[f.id] for f in facts],
    }


def _cited(site: SiteView, sheets: list[SheetView]) -> list[Source]:
    """The sources that the facts of these sheets cite, in the content's order."""
    cited = {s.id: s for sheet in sheets for s in sheet.sources}
    order = site.content.source_order()
    return sorted(cited.values(), key=lambda s: order[s.id])


def _roots(site: SiteView, source: Source) -> list[str]:
    return sorted(site.origins.roots.get(source.id, frozenset()))


Fragments = dict[tuple[str, int], tuple[object, object, bytes]]
"""(kind, id(object)) -> (the object, what else the JSON depends on, the object as JSON)."""


class JsonTexts:
    """Sheets and sources as JSON (UTF-8), each made once per run (several downloads
    hold the same ones)."""

    def __init__(self) -> None:
        self.made: Fragments = {}

    def of(self, kind: str, obj: object, extra: object, make: Callable[[], Any]) -> bytes:
        key = (kind, id(obj))
        hit = self.made.get(key)
        if hit is None or hit[0] is not obj or hit[1] != extra:
            hit = self.made[key] = (obj, extra, _utf8(make()))
        return hit[2]

    @staticmethod
    def array(texts: Iterable[bytes]) -> list[bytes]:
        """A JSON array's parts, to be joined once with the rest of the document."""
        return [b"[", b",".join(texts), b"]"]


def facts_json(
    site: SiteView, runs: list[SheetRun], texts: JsonTexts | None = None, urls: Urls = RELATIVE
) -> bytes:
    """facts.json of these sheets: ``dump_json(facts_document(...))``, from encoded parts."""
    head = _facts_json_head(site, [r.sheet for r in runs], texts or JsonTexts(), urls)
    return b"".join([head, b",".join(r.json for r in runs if r.json), _FACTS_JSON_END])


def _facts_json_head(
    site: SiteView, sheets: list[SheetView], texts: JsonTexts, urls: Urls
) -> bytes:
    """facts.json up to the first fact: the members before ``facts``, and ``"facts":[``."""
    members = {
        "format": [_utf8(FORMAT_NAME)],
        "version": [_utf8(FORMAT_VERSION)],
        "sheets": texts.array(
            texts.of("sheet", s.sheet, None, functools.partial(sheet_record, s, urls))
            for s in sheets
        ),
        "sources": texts.array(
            texts.of("source", s, roots, functools.partial(source_record, s, roots, urls))
            for s in _cited(site, sheets)
            for roots in [_roots(site, s)]
        ),
    }
    parts = [b"{"]
    for key, value in members.items():
        parts.append(b"," if len(parts) > 1 else b"")
        parts.append(_utf8(key) + b":")
        parts.extend(value)
    parts.append(b',"facts":[')
    return b"".join(parts)


_FACTS_JSON_END = b"]}\n"


def _csl_json(sources: Iterable[Source], texts: JsonTexts) -> bytes:
    """sources.csl.json: ``dump_json([csl_item(s) ...])``, from each source's kept text."""
    array = texts.array(texts.of("csl", s, None, functools.partial(csl_item, s)) for s in sources)
    return b"".join([*array, b"\n"])


def csv_row(rec: dict[str, Any]) -> str:
    """One fact's facts.csv row (with its line ending) from its facts.json record."""
    value = rec["value"] or {}
    period = rec["period"] or {}
    row = {
        **rec,
        "figure": value.get("text"),
        "qualifier": value.get("qualifier"),
        "amount": value.get("amount"),
        "upper": value.get("upper"),
        "min": value.get("min"),
        "max": value.get("max"),
        "unit": value.get("unit"),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "attributed_to": speakers_cell(rec),
        "speaker_unstated": "yes" if rec["speaker_unstated"] else "no",
        "names": "; ".join(rec["names"] or []),
        "independent_origins": rec["corroboration"]["independent_origins"],
        "corroboration": rec["corroboration"]["words"],
        "disputed": "yes" if rec["disputed"] else "no",
        "differences": "; ".join(rec["differences"]),
        "sources": "; ".join(rec["corroboration"]["sources"]),
        "quotes": "\n".join(
            f"[{c['number']}] {c['source']}: {c['quote']}" for c in rec["citations"]
        ),
        "retracted": "yes" if rec["retracted"] else "no",
        "retraction_date": (rec["retracted"] or {}).get("date"),
        "retraction_reason": (rec["retracted"] or {}).get("reason"),
    }
    return _csv_line([_csv_cell(row.get(col)) for col in CSV_COLUMNS])


def speakers_cell(rec: dict[str, Any]) -> str:
    """facts.csv's ``attributed_to``: the speaker, or every source's where they differ.

    "Counter-Terrorism Committee [reuters-2023]; Cyberspace Administration of China
    [rewrite-2023]"; a source that does not say who made the statement is "not stated
    [id]"; empty when no source names a speaker.
    """
    found = rec["versions"]
    said = {(" ".join((v["attributed_to"] or "").split()).casefold()) for v in found}
    if len(said) <= 1:
        return rec["attributed_to"] or next((v["attributed_to"] for v in found), None) or ""
    return "; ".join(f"{v['attributed_to'] or 'not stated'} [{v['source']}]" for v in found)


def _csv_cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


CSV_HEADER = _csv_line(list(CSV_COLUMNS))

CSV_START = b"\xef\xbb\xbf" + CSV_HEADER.encode("utf-8")
"""facts.csv begins with UTF-8's byte order mark: Excel opens a CSV without one in the
local code page (curly quotes, dashes and Chinese characters garbled); LibreOffice, Python
(``encoding="utf-8-sig"``), pandas and frictionless read it as UTF-8 either way."""


def csl_item(source: Source) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": source.id,
        "type": CSL_TYPES.get(source.type, "document"),
        "title": source.title,
    }
    if source.outlet:
        item["container-title"] = source.outlet
    if source.publisher:
        item["publisher"] = source.publisher
    if source.authors:
        item["author"] = [csl_name(a) for a in source.authors]
    if source.published:
        item["issued"] = {"date-parts": [source.published.parts()]}
    if source.accessed:
        item["accessed"] = {"date-parts": [source.accessed.parts()]}
    if source.url:
        item["URL"] = source.url
    if source.language:
        item["language"] = source.language
    notes = []
    if source.agency:
        notes.append(f"Agency: {source.agency}")
    if source.derived_from:
        notes.append("Derived from: " + ", ".join(source.derived_from))
    if notes:
        item["note"] = "; ".join(notes)
    return item


def downloads(
    site: SiteView,
    steps: DownloadSteps | None = None,
    *,
    directory_urls: bool = True,
    site_url: str | None = None,
) -> dict[str, bytes]:
    """Every download of the site, by path."""
    made: dict[str, bytes] = {}
    write_downloads(
        site,
        functools.partial(_InMemory, made),
        steps,
        directory_urls=directory_urls,
        site_url=site_url,
    )
    return made


class _InMemory(io.BytesIO):
    """A download written in memory: its bytes go into ``made`` when it is closed."""

    def __init__(self, made: dict[str, bytes], path: str) -> None:
        super().__init__()
        self.made = made
        self.path = path
        made[path] = b""  # in the order opened

    def close(self) -> None:
        if not self.closed:
            self.made[self.path] = self.getvalue()
        super().close()


def sheet_files(
    sheet: SheetView,
    made_from: tuple[object, ...],
    urls: Urls,
    *,
    site: SiteView,
    texts: JsonTexts,
    encode: Callable[[FactView, Urls], Encoded],
) -> tuple[dict[str, bytes], SheetRun]:
    """A sheet's own downloads by path, and its run of facts for the site's.

    ``made_from`` is what they are made from (the sheet page's objects and the sources
    cited); ``urls`` says how and where pages are published (the links in the downloads).
    ``encode`` encodes each fact (:func:`encoded_fact`).
    """
    run = SheetRun.of(sheet, {f.fact.id: encode(f, urls) for f in sheet.facts})
    base = sheet_downloads(sheet.id)
    made = {
        base + "facts.json": facts_json(site, [run], texts, urls),
        base + "facts.csv": facts_csv([run]),
        base + "sources.csl.json": _csl_json(sheet.sources, texts),
        corrections_feed(sheet.id): sheet_feed(sheet, urls=urls),
    }
    return made, run


@dataclass(frozen=True)
class DownloadSteps:
    """The per-item functions :func:`write_downloads` maps over the views (inputs
    positional, helpers by keyword: :mod:`generator.speed.memo` memoises them for the
    preview)."""

    fact: Callable[..., Encoded] = encoded_fact
    sheet: Callable[..., tuple[dict[str, bytes], SheetRun]] = sheet_files


PLAIN = DownloadSteps()


def write_downloads(
    site: SiteView,
    open_file: Callable[[str], BinaryIO],
    steps: DownloadSteps | None = None,
    *,
    directory_urls: bool = True,
    site_url: str | None = None,
) -> None:
    """Write every download, each to ``open_file(path)`` (which this closes), in order.

    The site's facts.json and facts.csv are written a sheet at a time, as each sheet's
    own files are made (``steps.sheet``): nothing of a sheet is kept here once it is
    written (the downloads of a large site would otherwise be held two or three times
    over when joined). ``directory_urls`` says how pages are published, and ``site_url``
    (MkDocs' setting) where: with it, every URL in the downloads is absolute (see
    :class:`Urls`).
    """
    steps = steps or PLAIN
    urls = Urls(site_url, directory_urls)
    texts = JsonTexts()
    with (
        open_file("facts.json") as site_json,
        open_file("facts.csv") as site_csv,
        open_file("sources.csl.json") as site_csl,
    ):
        site_json.write(_facts_json_head(site, site.sheets, texts, urls))
        site_csv.write(CSV_START)
        comma = b""
        for sheet in site.sheets:
            made, run = steps.sheet(
                sheet,
                (*sheet_key(sheet), *sheet.sources),
                urls,
                site=site,
                texts=texts,
                encode=steps.fact,
            )
            for path, data in made.items():
                with open_file(path) as out:
                    out.write(data)
            del made
            if run.json:
                site_json.write(comma + run.json)
                comma = b","
            site_csv.write(run.csv)
        site_json.write(_FACTS_JSON_END)
        site_csl.write(_csl_json(site.content.sources.values(), texts))
    with open_file(SITE_CORRECTIONS_FEED) as out:
        out.write(site_feed(site.sheets, urls=urls))
    with open_file(ROBOTS) as out:
        out.write(robots_txt(urls))
    for source in site.content.sources.values():
        if source.text_bytes is not None:
            with open_file(archived_text(source.id)) as out:
                out.write(source.text_bytes)


def facts_csv(runs: list[SheetRun]) -> bytes:
    """facts.csv of these sheets: a header row, then a row per fact."""
    return CSV_START + b"".join(r.csv for r in runs)


def robots_txt(urls: Urls) -> bytes:
    """robots.txt: everything may be crawled; ``Sitemap:`` only when its URL can be absolute.

    The Sitemap line must be an absolute URL (sitemaps.org), so without ``site_url`` it is
    left out. Crawlers read robots.txt only at the root of a host: for a site published
    under a sub-path, the host's own robots.txt is the one that counts.
    """
    lines = ["User-agent: *", "Allow: /"]
    if urls.site_url is not None:
        lines.append(f"Sitemap: {urls.url(SITEMAP)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "string"}
_NUMBER = {"type": "number"}
_DATE = {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
_TEXTS = {"type": "array", "items": _TEXT}
_URL = {
    "type": "string",
    "description": "The page's address: absolute when the site's site_url is set, "
    "else relative to the site's root.",
}
_DERIVED = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["figure", "from", "how"],
        "properties": {"figure": _TEXT, "from": _TEXTS, "how": _TEXT},
    },
}
_PERIOD = _nullable(
    {
        "type": "object",
        "required": ["start", "end"],
        "properties": {"start": _DATE, "end": _nullable(_DATE)},
    }
)


def download_schema() -> dict[str, Any]:
    """JSON Schema of facts.json (format version :data:`FORMAT_VERSION`), published with it."""
    value = {
        "type": "object",
        "required": ["text", "amount", "upper", "qualifier", "unit", "words", "min", "max"],
        "properties": {
            "text": _TEXT,
            "amount": _nullable(_NUMBER),
            "upper": _nullable(_NUMBER),
            "qualifier": {"enum": list(QUALIFIERS)},
            "unit": _nullable(_TEXT),
            "words": _nullable(_TEXT),
            "min": _nullable(_NUMBER),
            "max": _nullable(_NUMBER),
        },
    }
    citation = {
        "type": "object",
        "required": ["number", "source", "quote", "position"],
        "properties": {
            "number": {"type": "integer", "minimum": 1},
            "source": _TEXT,
            "quote": _TEXT,
            "prefix": _nullable(_TEXT),
            "suffix": _nullable(_TEXT),
            "attribution": _nullable(_TEXT),
            "states": _nullable({"type": "object"}),
            "note": _nullable(_TEXT),
            "position": _nullable(
                {
                    "type": "object",
                    "required": ["start", "end", "line"],
                    "properties": {
                        k: {"type": "integer", "minimum": 0} for k in ("start", "end", "line")
                    },
                }
            ),
        },
    }
    version = {
        "type": "object",
        "required": ["source", "attributed_to", "speaker_unstated"],
        "properties": {
            "source": _TEXT,
            "amount": _nullable(_NUMBER),
            "upper": _nullable(_NUMBER),
            "qualifier": _nullable(_TEXT),
            "as_written": _nullable(_TEXT),
            "attributed_to": _nullable(_TEXT),
            "speaker_unstated": {"type": "boolean"},
            "names": _nullable(_TEXTS),
            "date": _nullable(_DATE),
        },
    }
    fact = {
        "type": "object",
        "required": [
            "id",
            "sheet",
            "topic",
            "statement",
            "value",
            "attributed_to",
            "speaker_unstated",
            "corroboration",
            "disputed",
            "differences",
            "citations",
            "page",
            "anchor",
        ],
        "properties": {
            "id": _TEXT,
            "sheet": _TEXT,
            "topic": _TEXT,
            "statement": _TEXT,
            "value": _nullable(value),
            "scope": _nullable(_TEXT),
            "date": _nullable(_DATE),
            "date_note": _nullable(_TEXT),
            "period": _PERIOD,
            "attributed_to": _nullable(_TEXT),
            "speaker_unstated": {"type": "boolean"},
            "speaker_context": _nullable(_TEXT),
            "names": _nullable(_TEXTS),
            "tags": _TEXTS,
            "note": _nullable(_TEXT),
            "derived": _DERIVED,
            "last_changed": _nullable(_DATE),
            "retracted": _nullable(
                {
                    "type": "object",
                    "required": ["date", "reason"],
                    "properties": {"date": _DATE, "reason": _TEXT},
                }
            ),
            "corroboration": {
                "type": "object",
                "required": ["independent_origins", "origins", "sources", "words"],
                "properties": {
                    "independent_origins": {"type": "integer", "minimum": 0},
                    "origins": _TEXTS,
                    "sources": _TEXTS,
                    "words": _TEXT,
                },
            },
            "disputed": {"type": "boolean"},
            "differences": {"type": "array", "items": {"enum": list(KINDS)}},
            "versions": {"type": "array", "items": version},
            "citations": {"type": "array", "minItems": 1, "items": citation},
            "page": _TEXT,
            "anchor": _TEXT,
            "url": _URL,
        },
    }
    source = {
        "type": "object",
        "required": ["id", "title", "type", "derived_from", "origins", "archive", "page"],
        "properties": {
            "id": _TEXT,
            "title": _TEXT,
            "label": _TEXT,
            "type": _TEXT,
            "authors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {k: _TEXT for k in AUTHOR_KEYS},
                    "additionalProperties": False,
                    "oneOf": [{"required": ["family"]}, {"required": ["organisation"]}],
                },
            },
            "published": _nullable(_DATE),
            "accessed": _nullable(_DATE),
            "url": _nullable(_TEXT),
            "derived_from": _TEXTS,
            "origins": _TEXTS,
            "archive": {
                "type": "object",
                "required": ["file", "sha256"],
                "properties": {
                    "file": _TEXT,
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
            "page": _TEXT,
            "page_url": _URL,
        },
    }
    sheet = {
        "type": "object",
        "required": ["id", "title", "summary", "as_of", "topics", "key_figures", "page"],
        "properties": {
            "id": _TEXT,
            "title": _TEXT,
            "summary": _TEXT,
            "as_of": _DATE,
            "period": _PERIOD,
            "topics": {"type": "array"},
            "scopes": {"type": "array"},
            "key_figures": {"type": "array"},
            "speakers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "aliases"],
                    "properties": {"name": _TEXT, "aliases": _TEXTS},
                },
            },
            "derived": _DERIVED,
            "page": _TEXT,
            "url": _URL,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "factsheet facts.json",
        "description": f"Format '{FORMAT_NAME}', version {FORMAT_VERSION}.",
        "type": "object",
        "required": ["format", "version", "sheets", "sources", "facts"],
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"const": FORMAT_VERSION},
            "sheets": {"type": "array", "items": sheet},
            "sources": {"type": "array", "items": source},
            "facts": {"type": "array", "items": fact},
        },
    }

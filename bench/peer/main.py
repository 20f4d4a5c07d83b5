"""The mkdocs-macros module of the peer site: the same YAML, loaded the plain way.

This is what a fact sheet site built with mkdocs-macros-plugin would do: read
every content file with ``yaml.load(..., Loader=yaml.CSafeLoader)`` when the
plugin starts, index it a little (facts by sheet and topic, citations by
source), and expose it to the page stubs, whose Jinja bodies
(``bench/peer/templates/*.j2``, copied to the peer's ``includes/``) render the
sheet, source and index pages.  There is no validation: the peer trusts the
YAML, which is the point of the comparison (``factsheet`` checks everything,
the peer checks nothing).

``extra.content_dir`` in the peer's ``mkdocs.yml`` names the content directory,
relative to that file.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from pathlib import Path
from typing import Any

import yaml

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "nearly": "nearly",
    "more-than": "more than",
    "at-least": "at least",
    "up-to": "up to",
    "fewer-than": "fewer than",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MD_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "`*_[]{}!|\\~^=#$@"}
_MD_SPECIAL.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})


def _load(path: Path) -> Any:
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)


def load_content(root: Path) -> dict[str, Any]:
    """Every sheet, fact and source, with the cross references the pages need."""
    sources: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "sources").glob("*.yaml")):
        source = _load(path)
        source["text"] = (path.parent / source["archive"]["file"]).read_text(encoding="utf-8")
        source["short"] = (
            source.get("label")
            or source.get("agency")
            or source.get("outlet")
            or source.get("publisher")
            or source["title"]
        )
        source["cited"] = []
        source["repeated_by"] = []
        sources[source["id"]] = source
    for source in sources.values():
        for parent in source.get("derived_from", []):
            sources[parent]["repeated_by"].append(source["id"])
    sheets: dict[str, dict[str, Any]] = {}
    facts: dict[str, dict[str, Any]] = {}
    for sheet_dir in sorted(p for p in (root / "sheets").iterdir() if p.is_dir()):
        sheet = _load(sheet_dir / "sheet.yaml")
        sheet["by_topic"] = {t["id"]: [] for t in sheet["topics"]}
        sheet["facts"] = []
        sheet["sources"] = []
        for path in sorted(sheet_dir.rglob("*.yaml")):
            if path.name == "sheet.yaml":
                continue
            for fact in _load(path)["facts"]:
                fact["sheet"] = sheet["id"]
                sheet["by_topic"][fact["topic"]].append(fact)
                sheet["facts"].append(fact)
                facts[fact["id"]] = fact
                for number, citation in enumerate(fact["citations"], start=1):
                    citation["number"] = number
                    sources[citation["source"]]["cited"].append((fact, citation))
                    if citation["source"] not in sheet["sources"]:
                        sheet["sources"].append(citation["source"])
        sheets[sheet["id"]] = sheet
    for fact in facts.values():
        cited = []
        for citation in fact["citations"]:
            if citation["source"] not in cited:
                cited.append(citation["source"])
        origins: list[str] = []
        for sid in cited:
            for root_id in _roots(sources, sid):
                if root_id not in origins:
                    origins.append(root_id)
        fact["cited_sources"] = cited
        fact["origins"] = origins
        fact["disputed"] = any("states" in c for c in fact["citations"])
    for sheet in sheets.values():
        sheet["disputed"] = [f for f in sheet["facts"] if f["disputed"]]
        sheet["independent_origins"] = len({o for f in sheet["facts"] for o in f["origins"]})
        dated = [f for f in sheet["facts"] if f.get("period") or f.get("date")]
        sheet["timeline"] = sorted(
            dated,
            key=lambda f: (str(f["period"]["start"] if f.get("period") else f["date"]), f["id"]),
        )
    return {"sheets": sheets, "sources": sources, "facts": facts}


def _roots(sources: dict[str, dict[str, Any]], sid: str) -> list[str]:
    parents = sources[sid].get("derived_from") or []
    if not parents:
        return [sid]
    out: list[str] = []
    for parent in parents:
        for root in _roots(sources, parent):
            if root not in out:
                out.append(root)
    return out


# -- filters ---------------------------------------------------------------------------------


def md(value: Any) -> str:
    """Editor text for Markdown and HTML: escaped, whitespace folded."""
    return " ".join(str(value).split()).translate(_MD_SPECIAL)


def number(amount: int | float) -> str:
    if amount >= 1_000_000 and amount % 100_000 == 0:
        shown = f"{amount / 1_000_000:.1f}".rstrip("0").rstrip(".")
        return f"{shown} million"
    return f"{amount:,}"


def figure(value: dict[str, Any], unit: bool = True) -> str:
    qualifier = value.get("qualifier", "exact")
    if qualifier == "vague":
        text = str(value.get("words", ""))
        joiner = " of "
    elif qualifier == "range":
        text = f"between {number(value['amount'])} and {number(value['upper'])}"
        joiner = " "
    else:
        text = f"{QUALIFIER_WORDS.get(qualifier, '')} {number(value['amount'])}".strip()
        joiner = " "
    if unit and value.get("unit"):
        text = f"{text}{joiner}{value['unit']}"
    return text


def date(value: Any) -> str:
    if isinstance(value, datetime.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    parts = str(value).split("-")
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return str(value)


def plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else word + 's'}"


def corroboration(fact: dict[str, Any]) -> str:
    n_origins = len(fact["origins"])
    extra = len(fact["cited_sources"]) - n_origins
    repeated = f"repeated by {extra} outlet{'s' if extra != 1 else ''}" if extra > 0 else ""
    if n_origins <= 1:
        return f"1 source, {repeated}" if extra > 0 else "single source"
    base = f"{n_origins} independent sources"
    return f"{base}, {repeated}" if repeated else base


def archive_lines(source: dict[str, Any]) -> list[list[tuple[str, str, list[str]]]]:
    """The archived text by paragraph, split into (text, kind, anchors) runs; quotes marked."""
    text: str = source["text"]
    marks: list[tuple[int, int, str]] = []
    for fact, citation in source["cited"]:
        quote = " ".join(citation["quote"].split())
        start = text.find(quote)
        if start >= 0:
            marks.append((start, start + len(quote), f"{fact['id']}--{citation['number']}"))
    marks.sort()
    lines: list[list[tuple[str, str, list[str]]]] = []
    offset = 0
    for paragraph in re.split(r"\n", text):
        end = offset + len(paragraph)
        if paragraph.strip():
            runs: list[tuple[str, str, list[str]]] = []
            pos = offset
            for start, stop, anchor in marks:
                if start < pos or start >= end:
                    continue
                if start > pos:
                    runs.append((text[pos:start], "text", []))
                runs.append((text[start:stop], "cited", [anchor]))
                pos = stop
            if pos < end:
                runs.append((text[pos:end], "text", []))
            lines.append(runs)
        offset = end + 1
    return lines


CHART_WIDTH, CHART_ROW, CHART_BAR = 400, 46, 16


def _extent(value: dict[str, Any]) -> tuple[float, float]:
    if value["qualifier"] == "vague":
        return float(value["min"]), float(value["max"])
    if value["qualifier"] == "range":
        return float(value["amount"]), float(value["upper"])
    return 0.0, float(value["amount"])


def _nice_max(top: float) -> float:
    base = 10 ** (len(str(int(top))) - 1) if top >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if base * step >= top:
            return base * step
    return base * 10.0


def sheet_charts(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """One bar chart per scope and unit, laid out here and drawn by the template."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for fact in sheet["facts"]:
        value = fact.get("value")
        if value and fact.get("scope") and value.get("unit"):
            groups.setdefault((fact["scope"], value["unit"]), []).append(fact)
    titles = {s["id"]: s["title"] for s in sheet.get("scopes", [])}
    charts = []
    for (scope, unit), facts in groups.items():
        if len(facts) < 2:
            continue
        facts = sorted(facts, key=lambda f: _extent(f["value"])[1], reverse=True)
        top = _nice_max(max(_extent(f["value"])[1] for f in facts))
        span = CHART_WIDTH - 16
        bars = []
        for index, fact in enumerate(facts):
            low, high = _extent(fact["value"])
            x0 = 4 + low / top * span
            bars.append(
                {
                    "label": fact.get("label") or fact["statement"],
                    "text": figure(fact["value"]),
                    "y": 6 + index * CHART_ROW,
                    "x0": round(x0, 1),
                    "width": round(max(high / top * span + 4 - x0, 2), 1),
                    "qualifier": fact["value"]["qualifier"],
                }
            )
        charts.append(
            {
                "id": f"chart-{scope}-{unit}",
                "title": f"{unit.capitalize()}: {titles.get(scope, scope)}",
                "bars": bars,
                "height": 6 + len(bars) * CHART_ROW + 22,
                "ticks": [(round(4 + i / 4 * span, 1), number(top * i / 4)) for i in range(5)],
                "description": "; ".join(f"{b['label']}: {b['text']}" for b in bars),
            }
        )
    return charts


def author_name(author: dict[str, str]) -> str:
    """A person's name in reading order, or an organisation's."""
    if "organisation" in author:
        return author["organisation"]
    keys = ("given", "particle", "family", "suffix")
    return " ".join(author[k] for k in keys if author.get(k))


def _person(author: dict[str, str]) -> dict[str, Any]:
    if "organisation" in author:
        return {"@type": "Organization", "name": author["organisation"]}
    out: dict[str, Any] = {"@type": "Person", "name": author_name(author)}
    if author.get("given"):
        out["givenName"] = author["given"]
    out["familyName"] = " ".join(author[k] for k in ("particle", "family") if author.get(k))
    return out


def _appearance(source: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "NewsArticle"
        if source["type"] in ("news-article", "wire-report")
        else "CreativeWork",
        "headline": source["title"],
    }
    if source.get("outlet") or source.get("publisher"):
        work["publisher"] = {
            "@type": "Organization",
            "name": source.get("outlet") or source.get("publisher"),
        }
    if source.get("agency"):
        work["sourceOrganization"] = {"@type": "Organization", "name": source["agency"]}
    if source.get("authors"):
        work["author"] = [_person(a) for a in source["authors"]]
    if source.get("published"):
        work["datePublished"] = str(source["published"])
    if source.get("url"):
        work["url"] = source["url"]
    if source.get("language"):
        work["inLanguage"] = source["language"]
    return work


def sheet_graph(sheet: dict[str, Any]) -> str:
    """schema.org JSON-LD: the sheet as a Dataset and each fact as a Claim."""
    sources = _FS["sources"]
    claims: list[dict[str, Any]] = []
    for fact in sheet["facts"]:
        claim: dict[str, Any] = {
            "@type": "Claim",
            "@id": f"#{fact['id']}",
            "url": f"#{fact['id']}",
            "text": fact["statement"],
        }
        if fact.get("attributed_to"):
            claim["author"] = {"@type": "Organization", "name": fact["attributed_to"]}
        if fact.get("value"):
            value = fact["value"]
            about: dict[str, Any] = {"@type": "QuantitativeValue", "description": figure(value)}
            low, high = _extent(value)
            if value["qualifier"] in ("exact", "more-than", "at-least", "range", "vague"):
                about["minValue"] = low if value["qualifier"] in ("range", "vague") else high
            if value["qualifier"] in ("exact", "nearly", "fewer-than", "up-to", "range", "vague"):
                about["maxValue"] = high
            if value.get("unit"):
                about["unitText"] = value["unit"]
            claim["about"] = about
        appearances = [_appearance(sources[sid]) for sid in fact["cited_sources"]]
        claim["appearance"] = appearances
        dated = [a for a in appearances if a.get("datePublished")]
        if dated:
            claim["firstAppearance"] = min(dated, key=lambda a: str(a["datePublished"]))
        claims.append(claim)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Dataset",
                "name": sheet["title"],
                "description": sheet.get("description", ""),
                "dateModified": str(sheet["as_of"]),
            },
            *claims,
        ],
    }
    text = json.dumps(graph, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_FS: dict[str, Any] = {}


def define_env(env: Any) -> None:
    """mkdocs-macros entry point: load the content once, register the helpers."""
    config_dir = Path(env.conf.config_file_path).resolve().parent
    content_dir = (config_dir / env.conf.extra["content_dir"]).resolve()
    _FS.update(load_content(content_dir))
    env.variables["fs"] = _FS
    for name, func in (
        ("md", md),
        ("author_name", author_name),
        ("figure", figure),
        ("date", date),
        ("plural", plural),
        ("number", number),
        ("attr", html.escape),
    ):
        env.filter(func, name)
    env.macro(corroboration)
    env.macro(archive_lines)
    env.macro(sheet_charts)
    env.macro(sheet_graph)

"""schema.org JSON-LD for a sheet page: each fact as a Claim, with where it appeared.

Numbers are ``QuantitativeValue`` objects with ``minValue``/``maxValue`` where
the qualifier bounds them ("more than 100,000" has a minValue, "nearly 13,000"
a maxValue, "about 930,000" neither), so that machines never read a qualified
figure as exact.

A retracted fact is not presented as a standing claim. It stays identifiable (its
``@id``, ``url`` and ``text``, and where it appeared: what was said and withdrawn is
part of the record) and says so in schema.org's own terms, which a ``Claim`` has as a
``CreativeWork``: ``creativeWorkStatus`` is ``"Retracted"``, and ``correction`` is a
``CorrectionComment`` whose ``datePublished`` is the retraction's date and whose
``text`` is its reason. Its figure is left out: ``about`` would state the quantity as
what the claim is about, with no way in the vocabulary to say that it no longer
stands (the figure as it was stays in facts.json, with ``retracted``).

Who made a claim is its ``author`` in schema.org terms, and the fact's Claim has
one only when every cited source names that same speaker.  When the sources
differ (one names another speaker, or does not say who it was), the Claim has no
``author``; instead each source's account is a Claim of its own in the fact
Claim's ``workExample`` ("example/instance/realization/derivation of the concept
of this creative work"): its ``text`` is that source's quote, its ``appearance``
that source, and its ``author`` the speaker that source names, left out where
the source names none.  A speaker the sources do not state is never given as
an author, and no speaker is asserted that a source does not name.

With the site's address (MkDocs' ``site_url``), identifiers are absolute: the Dataset's
``@id`` and ``url`` are the sheet page's URL, a Claim's ``@id`` is the fact's anchor on
it and its ``url`` the fact's own page. Without it they stay relative to the sheet page
(``#fact-id``), as the site may be published anywhere.
"""

from __future__ import annotations

from typing import Any

from generator.analysis.disagreements import Version
from generator.analysis.views import FactView, SheetView
from generator.content import wording
from generator.content.model import Author, Source
from generator.downloads.exports import json_number
from generator.paths import RELATIVE, Urls, fact_page, sheet_page


def person_or_organisation(author: Author) -> dict[str, Any]:
    """A schema.org Person (name, givenName, familyName) or Organization."""
    if not author.is_person:
        return {"@type": "Organization", "name": author.name}
    out: dict[str, Any] = {"@type": "Person", "name": author.name}
    if author.given:
        out["givenName"] = author.given
    out["familyName"] = author.family_name
    if author.suffix:
        out["honorificSuffix"] = author.suffix
    if author.affiliation:
        out["affiliation"] = {"@type": "Organization", "name": author.affiliation}
    return out


def _appearance(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "NewsArticle"
        if source.type in ("news-article", "wire-report")
        else "CreativeWork",
        "headline": source.title,
    }
    if source.outlet or source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.outlet or source.publisher}
    if source.agency:
        work["sourceOrganization"] = {"@type": "Organization", "name": source.agency}
    if source.authors:
        work["author"] = [person_or_organisation(a) for a in source.authors]
    if source.published:
        work["datePublished"] = source.published.iso()
    if source.url:
        work["url"] = source.url
    if source.language:
        work["inLanguage"] = source.language
    return work


def _quantity(fact: FactView) -> dict[str, Any] | None:
    value = fact.fact.value
    if value is None:
        return None
    low, high = wording.bounds(value)
    out: dict[str, Any] = {"@type": "QuantitativeValue", "description": wording.figure(value)}
    if value.qualifier == "exact" and value.amount is not None:
        out["value"] = json_number(value.amount)
    if low is not None:
        out["minValue"] = json_number(low)
    if high is not None:
        out["maxValue"] = json_number(high)
    if value.unit:
        out["unitText"] = value.unit
    return out


def claim(fact: FactView, urls: Urls = RELATIVE) -> dict[str, Any]:
    f = fact.fact
    if urls.site_url is not None:
        ident, url = urls.url(sheet_page(f.sheet), f.id), urls.url(fact_page(f.sheet, f.id))
    else:
        ident = url = f"#{f.id}"
    item: dict[str, Any] = {"@type": "Claim", "@id": ident, "url": url, "text": f.statement}
    speakers = fact.speakers
    if len(speakers) == 1 and speakers[0].name:
        item["author"] = _speaker(speakers[0].name)
    if f.retracted is not None:
        item["creativeWorkStatus"] = "Retracted"
        item["correction"] = {
            "@type": "CorrectionComment",
            "datePublished": f.retracted.date.iso(),
            "text": f.retracted.reason,
        }
    else:
        quantity = _quantity(fact)
        if quantity is not None:
            item["about"] = quantity
    seen: list[str] = []
    appearances = []
    for citation in fact.citations:
        if citation.source.id in seen:
            continue
        seen.append(citation.source.id)
        appearances.append(_appearance(citation.source))
    item["appearance"] = appearances
    if len(speakers) > 1:
        item["workExample"] = [_version(fact, v) for v in fact.versions]
    dated = [c.source for c in fact.citations if c.source.published]
    if dated:
        first = min(dated, key=lambda s: s.published.sort_key() if s.published else (0, 0, 0))
        item["firstAppearance"] = _appearance(first)
    return item


def _speaker(name: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": name}


def _version(fact: FactView, version: Version) -> dict[str, Any]:
    """One source's account of the claim: its quote, where it appeared, whom it names."""
    source = fact.sources[version.source]
    out: dict[str, Any] = {
        "@type": "Claim",
        "text": fact.fact.citations[version.citations[0] - 1].quote,
        "appearance": _appearance(source),
    }
    if version.attributed_to:
        out["author"] = _speaker(version.attributed_to)
    return out


def sheet_graph(sheet: SheetView, urls: Urls = RELATIVE) -> dict[str, Any]:
    where: dict[str, str] = {}
    if urls.site_url is not None:
        where = {"@id": urls.url(sheet_page(sheet.id)), "url": urls.url(sheet_page(sheet.id))}
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Dataset",
                **where,
                "name": sheet.sheet.title,
                "description": sheet.sheet.description or sheet.sheet.summary,
                "dateModified": sheet.sheet.as_of.iso(),
                **(
                    {
                        "temporalCoverage": f"{sheet.sheet.period.start.iso()}/"
                        f"{sheet.sheet.period.end.iso() if sheet.sheet.period.end else '..'}"
                    }
                    if sheet.sheet.period
                    else {}
                ),
            },
            *(claim(f, urls) for f in sheet.facts),
        ],
    }

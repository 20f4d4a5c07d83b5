"""The corrections log as Atom 1.0 feeds: one per sheet, and one for the whole site.

A feed lists the entries of the sheet's corrections page (:attr:`SheetView.corrections`,
read from the git history by :mod:`generator.analysis.history`), newest first: each change to a
figure, qualifier, attribution or citations, each retraction and each fact removed, with
its date (the commit's time), what changed, before and after, and the commit message as
the reason. Written as downloads next to the pages they describe:
``sheets/ID/corrections.xml`` and ``corrections.xml`` at the root of the site.

Decisions, for feed readers and for anyone checking the feeds:

- Identifiers are ``urn:uuid:`` URNs of name-based (version 5) UUIDs, stable across
  builds: an entry's from its commit, fact and kind of change (the same entry in the
  sheet's and the site's feed has the same id); a feed's from the first commit of the
  content's history and the sheet's id (the site's feed: that commit alone). Without
  a history (no repository, or a shallow one built with ``--allow-shallow-history``)
  a feed has no entries, a subtitle saying why, and an id from the sheet's id alone.
- Links are absolute when the MkDocs configuration names the site's address
  (``site_url``); without it they are relative to the feed's own address (RFC 4287
  resolves them against the document, there being no ``xml:base``), so the site may be
  published anywhere. An entry links to the fact on its sheet's page, or to the
  corrections page when the fact is no longer on the sheet.
- ``updated`` is the newest entry's time; with no entry, the sheet's ``as_of`` date
  (the newest of them for the site): a build never stamps the time it ran, so the same
  content gives the same bytes.
- Text from the content and from commit messages is escaped by the XML writer; characters
  XML 1.0 cannot carry (control characters) are dropped.
- The pages link to the feeds in their text (the sheet's downloads, the corrections page,
  the front page), not with ``<link rel="alternate" type="application/atom+xml">`` in
  their head: Material for MkDocs (9.x) takes every ``link[rel=alternate]`` for another
  language's version of the site and fetches ``sitemap.xml`` next to it, which for a
  sheet's feed is a request that fails on every page view.
"""

from __future__ import annotations

import html
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from generator.analysis.changes import Change, History
from generator.analysis.views import SheetView
from generator.paths import (
    HOME,
    RELATIVE,
    SITE_CORRECTIONS_FEED,
    Urls,
    corrections_feed,
    corrections_page,
    sheet_page,
)

ATOM = "http://www.w3.org/2005/Atom"
AUTHOR = "Fact sheet editors"

_NAMESPACE = uuid.UUID("6f0c3b0e-3c1e-5b44-9a55-7a1f2a6c0e11")
"""The namespace of the feeds' name-based UUIDs (any fixed UUID; changing it changes every id)."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

WHAT = {
    "figure": "Figure changed",
    "qualifier": "Qualifier changed",
    "attribution": "Attribution changed",
    "citations": "Citations changed",
    "retraction": "Retracted",
    "removed": "Fact removed",
}
"""An entry's title starts with these words, by kind of change (:data:`history.FIELDS`)."""


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def change_id(change: Change) -> str:
    """An entry's id: stable, and the same in the sheet's feed and the site's."""
    return _urn(f"change:{change.commit}:{change.fact}:{change.what}")


def feed_id(history: History, sheet_id: str | None) -> str:
    """A feed's id: the content's first commit and the sheet (None: the site's feed)."""
    return _urn(f"feed:{history.origin}:{sheet_id if sheet_id is not None else ''}")


def change_title(change: Change, statement: str | None) -> str:
    words = WHAT.get(change.what, change.what)
    if change.what == "retraction" and not change.new.startswith("retracted"):
        words = "Retraction withdrawn"
    elif change.what == "retraction" and change.old.startswith("retracted"):
        words = "Retraction changed"
    about = change.old if change.what == "removed" else statement or change.fact
    return f"{words}: {' '.join(about.split())}"


def change_summary(change: Change) -> str:
    """The entry's text: what changed, before and after, and the editor's reason."""
    return (
        f"{change.what.capitalize()} of fact {change.fact}: {change.old or '—'} → "
        f"{change.new or '—'}. Reason: {change.message}"
    )


def _change_html(change: Change) -> str:
    rows = [
        ("Fact", change.fact),
        ("What changed", change.what),
        ("Before", change.old or "—"),
        ("After", change.new or "—"),
        ("Reason", change.message),
        ("Date", change.date),
    ]
    return "".join(f"<p><strong>{html.escape(k)}:</strong> {html.escape(v)}</p>" for k, v in rows)


def _date_time(sheet: SheetView) -> str:
    as_of = sheet.sheet.as_of
    return f"{as_of.year:04d}-{as_of.month or 1:02d}-{as_of.day or 1:02d}T00:00:00Z"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _feed(
    *,
    path: str,
    ident: str,
    title: str,
    alternate: str,
    history: History,
    entries: Iterable[tuple[Change, SheetView]],
    fallback_updated: str,
    urls: Urls,
) -> bytes:
    entries = list(entries)
    feed = ET.Element("feed", {"xmlns": ATOM})  # every element in Atom's namespace
    _el(feed, "id", ident)
    _el(feed, "title", title)
    if history.available:
        subtitle = (
            "Every change to a published figure, qualifier, attribution or citation, and "
            "every retraction, newest first; the reason is the editor's."
        )
    else:
        subtitle = (
            f"No change history is available for this build ({history.reason}), "
            "so change dates are unknown."
        )
    _el(feed, "subtitle", subtitle)
    _el(feed, "updated", max((c.time for c, _ in entries), default=fallback_updated))
    author = _el(feed, "author")
    _el(author, "name", AUTHOR)
    own = urls.url(path) if urls.site_url is not None else posixpath.basename(path)
    _el(feed, "link", rel="self", type="application/atom+xml", href=own)
    _el(feed, "link", rel="alternate", type="text/html", href=urls.link(path, alternate))
    _el(feed, "generator", "factsheet")
    for change, sheet in entries:
        statements = {f.id: f.fact.statement for f in sheet.facts}
        statement = statements.get(change.fact)
        if change.what != "removed" and statement is not None:
            link = urls.link(path, sheet_page(sheet.id), change.fact)
        else:
            link = urls.link(path, corrections_page(sheet.id))
        entry = _el(feed, "entry")
        _el(entry, "id", change_id(change))
        _el(entry, "title", change_title(change, statement))
        _el(entry, "updated", change.time)
        _el(entry, "published", change.time)
        _el(entry, "link", rel="alternate", type="text/html", href=link)
        _el(entry, "category", term=change.what, label=WHAT.get(change.what, change.what))
        _el(entry, "summary", change_summary(change), type="text")
        _el(entry, "content", _change_html(change), type="html")
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def sheet_feed(sheet: SheetView, *, urls: Urls = RELATIVE) -> bytes:
    """``sheets/ID/corrections.xml``: the sheet's corrections page as a feed."""
    return _feed(
        path=corrections_feed(sheet.id),
        ident=feed_id(sheet.history, sheet.id),
        title=f"Corrections and changes: {sheet.sheet.title}",
        alternate=corrections_page(sheet.id),
        history=sheet.history,
        entries=((c, sheet) for c in sheet.corrections),
        fallback_updated=_date_time(sheet),
        urls=urls,
    )


def site_feed(sheets: list[SheetView], *, urls: Urls = RELATIVE) -> bytes:
    """``corrections.xml``: every sheet's corrections, newest first."""
    history = sheets[0].history if sheets else History(False, "there is no sheet")
    by_dir = {sheet.history_dir: sheet for sheet in sheets}
    entries = [(c, by_dir[c.sheet_dir]) for c in history.changes if c.sheet_dir in by_dir]
    return _feed(
        path=SITE_CORRECTIONS_FEED,
        ident=feed_id(history, None),
        title="Corrections and changes: all fact sheets",
        alternate=HOME,
        history=history,
        entries=entries,
        fallback_updated=max((_date_time(s) for s in sheets), default="1970-01-01T00:00:00Z"),
        urls=urls,
    )

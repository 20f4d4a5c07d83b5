"""Escaping editors' text for each context it lands in. Editors' text is data, never markup.

The templates emit Markdown mixed with raw HTML, which Python-Markdown and
MkDocs pass through as trusted.  Every value that comes from YAML therefore
goes through exactly one of these functions, chosen for where it lands:

``md``        inline text in Markdown *and* in raw HTML blocks: HTML's special
              characters become entities, and every character that could open
              Markdown syntax (emphasis, links, images, code, attribute lists,
              tables, headings, autolinks, template tags) becomes a numeric
              character reference, which Markdown copies through untouched and
              the browser shows as the character.  Line breaks fold to spaces.
``md_block``  like ``md``, keeping blank-line paragraph breaks.
``attr``      an HTML attribute value (always written inside double quotes).
``url``       a link target, already validated to http(s)/mailto by the schema,
              percent-encoded so that it cannot end a Markdown link early.
``json_ld``   a JSON value inside ``<script type="application/ld+json">``.
``front``     a YAML front-matter string; MkDocs themes print titles and
              descriptions unescaped, so it is HTML-escaped *and* quoted.

The Jinja environment applies ``md`` to every ``{{ ... }}`` by default (see
:func:`finalize`); the other filters return :class:`markupsafe.Markup` to say
they already did their job.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

# Characters that can open markup anywhere in a line, in HTML, Python-Markdown or
# the pymdownx extensions: entities and tags & < >, emphasis * _, code `, links
# and images [ ] !, attribute lists and template tags { }, tables |, escapes \,
# headings #, strike/sub/sup/mark ~ ^ =, math and mentions $ @.
_SPECIAL = '&<>"`*_[]{}!|\\~^=#$@'
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_NEEDS_ESCAPE = re.compile("[" + re.escape(_SPECIAL) + "]")
_TABLE[ord("&")] = "&amp;"
_TABLE[ord("<")] = "&lt;"
_TABLE[ord(">")] = "&gt;"
_TABLE[ord('"')] = "&quot;"
_WS = re.compile(r"\s+")
_PARAS = re.compile(r"\n[ \t]*\n\s*")
# What makes a block of its own at the start of a line: lists (- + * 1. 1)),
# thematic breaks (> and = are always escaped).
_LEADS = frozenset("-+0123456789")
_LEADING = re.compile(r"^(?:[-+]|[0-9]+[.)](?=\s|$))")


def md(value: Any) -> Markup:
    """Editor text for inline Markdown or HTML content: shown exactly as written."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_TABLE)
    lead = _LEADING.match(text) if text[:1] in _LEADS else None
    if lead:
        end = lead.end() - 1
        text = text[:end] + f"&#{ord(text[end])};" + text[end + 1 :]
    return Markup(text)


def md_block(value: Any) -> Markup:
    """Multi-paragraph editor text: each paragraph escaped, separated by a blank line."""
    if isinstance(value, Markup):
        return value
    paras = [p for p in _PARAS.split(str(value).strip()) if p.strip()]
    return Markup("\n\n".join(md(p) for p in paras))


def attr(value: Any) -> Markup:
    """An HTML attribute value, for use inside double quotes."""
    text = _WS.sub(" ", str(value)).strip()
    return Markup(
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def url(value: Any) -> Markup:
    """A validated URL, encoded so that nothing in it is Markdown or HTML syntax."""
    return Markup(quote(str(value), safe=":/?#@!$&'*+,;=%~-._").replace("&", "&amp;"))


def json_ld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block; cannot close the script."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, indent=None)
    return Markup(
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# What a YAML double-quoted scalar cannot hold as it is: characters outside YAML's printable
# set, and the ones YAML reads as line breaks or a byte order mark.
_YAML_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


def _yaml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate cannot be written out at all
        return "\\ufffd"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def front(value: Any) -> Markup:
    """A front-matter string: HTML-escaped (themes print it raw) and quoted for YAML.

    JSON's ``\\uXXXX`` escapes are YAML too, except for characters beyond the
    BMP: JSON writes them as surrogate pairs, which YAML refuses.  MkDocs then
    drops the whole front matter *into the page as Markdown*, so an emoji next
    to ``[x](javascript:...)`` in a title made a live link.  Such characters
    are written as they are; only what YAML cannot hold is escaped.
    """
    quoted = json.dumps(str(attr(value)), ensure_ascii=False)
    return Markup(_YAML_UNSAFE.sub(_yaml_escape, quoted))


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: escape every printed value unless a filter marked it safe."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)):
        return value
    return md(value)


FILTERS = {
    "md": md,
    "md_block": md_block,
    "attr": attr,
    "url": url,
    "json_ld": json_ld,
    "front": front,
}

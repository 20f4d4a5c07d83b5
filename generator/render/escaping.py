"""Escaping editors' text for each context it lands in. Editors' text is data, never markup.

The templates emit Markdown mixed with raw HTML, which Python-Markdown and
MkDocs pass through as trusted.  Every value that comes from YAML therefore
goes through exactly one of these functions, chosen for where it lands:

``md``        inline text in Markdown *and* in raw HTML blocks: HTML's special
              characters become entities, and every character that could open
              Markdown syntax (emphasis, links, images, code, attribute lists,
              tables, headings, autolinks, template tags) becomes a numeric
              character reference, which Markdown copies through untouched and
              the browser shows as the character.  Each run of whitespace (line
              breaks included) folds to one space, and a space at either edge
              is kept: text printed in pieces ("accounts, " then a highlighted
              "deleting") reads as it was written.
``md_block``  like ``md``, keeping blank-line paragraph breaks; each paragraph is
              stripped at its edges.
``verbatim``  text shown exactly, every character kept, inside a raw HTML block
              whose CSS keeps white space (``white-space: pre-wrap``): the
              archived text of a source page.  Escaped like ``md``; the
              characters Markdown itself would rewrite before it sets raw HTML
              aside (tabs, carriage returns, lines of nothing but spaces) become
              character references.  Never for a Markdown paragraph: its line
              breaks and blank lines would end the paragraph.
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
# What Python-Markdown rewrites in its input before it sets raw HTML aside: it turns
# "\r" into "\n", expands tabs and empties lines that hold nothing but spaces.
_BLANK_LINE = re.compile(r"(?:(?<=\n)|^) +(?=\n|$)")
_PARAS = re.compile(r"\n[ \t]*\n\s*")
# What makes a block of its own at the start of a line: lists (- + * 1. 1)),
# thematic breaks (> and = are always escaped).
_LEADS = frozenset("-+0123456789")
_LEADING = re.compile(r"(?:[-+]|[0-9]+[.)](?=\s|$))")


def md(value: Any) -> Markup:
    """Editor text for inline Markdown or HTML content: shown exactly as written.

    Whitespace folds to single spaces, but a space at an edge stays: a value is often one
    piece of a sentence (a highlighted passage between plain ones, " class" after "class").
    """
    if isinstance(value, Markup):
        return value
    text = _WS.sub(" ", str(value))
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_TABLE)
    # at the start of a line, a list marker after the leading space still opens a list
    skip = 1 if text[:1] == " " else 0
    lead = _LEADING.match(text, skip) if text[skip : skip + 1] in _LEADS else None
    if lead:
        end = lead.end() - 1
        text = text[:end] + f"&#{ord(text[end])};" + text[end + 1 :]
    return Markup(text)


def md_block(value: Any) -> Markup:
    """Multi-paragraph editor text: each paragraph escaped, separated by a blank line."""
    if isinstance(value, Markup):
        return value
    paras = [p.strip() for p in _PARAS.split(str(value))]
    return Markup("\n\n".join(md(p) for p in paras if p))


def verbatim(value: Any) -> Markup:
    """Text shown character for character, in a raw HTML block that keeps white space.

    Only for the content of a block-level HTML element that starts a Markdown block (the
    source page's ``<div class="fs-archive">``, styled ``white-space: pre-wrap``): there
    Markdown copies the text through, and line breaks and runs of spaces are shown as
    they are.
    """
    if isinstance(value, Markup):
        return value
    text = str(value)
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_TABLE)
    if " " in text:
        text = _BLANK_LINE.sub(lambda m: "&#32;" * len(m.group()), text)
    return Markup(text.replace("\t", "&#9;").replace("\r", "&#13;"))


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
    "verbatim": verbatim,
    "attr": attr,
    "url": url,
    "json_ld": json_ld,
    "front": front,
}

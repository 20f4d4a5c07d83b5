"""``factsheet add-source``: archive a page's main text and write the source's YAML.

From a URL the page is fetched with :mod:`urllib` (HTML only, at most
:data:`MAX_BYTES`, redirects followed only within the same host), its main text
is extracted with trafilatura (the article, without navigation, adverts and
comments), and two files are created under ``content/sources/``:

``<id>.txt``
    the extracted text exactly as trafilatura returned it, UTF-8 (characters that
    ``check`` refuses in any content file, such as bidirectional overrides, are
    removed and reported);
``<id>.yaml``
    the metadata found (title, outlet, authors, date, language, address, the day
    it was accessed), the archived text's SHA-256, and a ``# TODO:`` comment for
    each of those that could not be found.

From a local file (``--file``) an ``.html`` page goes through the same
extraction, and a ``.txt`` file is archived byte for byte (a ``.txt`` already in
``content/sources/`` stays where it is and only its YAML is written).

Nothing is ever overwritten, and on any failure nothing is written at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import http.client
import logging
import re
import socket
import ssl
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from generator import __version__
from generator.content.fields import SLUG_PATTERN
from generator.content.loader import SOURCES_DIR, load_content
from generator.content.yamlload import decode_text
from generator.editor.yamlwrite import (
    modeline,
    scalar,
    schema_ref,
    write_new,
)
from generator.problems import Loc, display_path
from generator.site.project import Project

MAX_BYTES = 5 * 1024 * 1024
"""Largest page downloaded (5 MiB); a news article's HTML is rarely over 1 MiB."""

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for the server to connect or send more data."""

MIN_TEXT_CHARS = 200
"""Shortest main text accepted: less is navigation, a paywall or a script-built page."""

HTML_TYPES = ("text/html", "application/xhtml+xml")

MAX_ID_CHARS = 60
MAX_TITLE_WORDS = 4

# The characters ``check`` refuses in content files (see generator/content/yamlload.py).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_SLUG = re.compile(SLUG_PATTERN)
_ARCHIVE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.txt")
_STOPWORDS = frozenset(
    (
        *("a", "an", "the", "of", "on", "in", "to", "for", "and", "or", "at", "by", "with"),
        *("from", "as", "is", "are", "was", "were", "be", "been", "its", "it", "that", "this"),
        *("after", "over", "into", "about", "says", "said"),
    )
)


class AddSourceError(Exception):
    """Adding the source failed; nothing was written. ``loc`` is set for a problem in a file."""

    def __init__(self, message: str, loc: Loc | None = None) -> None:
        super().__init__(message)
        self.loc = loc

    def format(self) -> str:
        return f"{self.loc}: error: {self}" if self.loc else f"factsheet add-source: error: {self}"


@dataclass
class Metadata:
    """What is known about a source, each field None when it could not be found."""

    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    url: str | None = None
    accessed: str | None = None


@dataclass
class Added:
    """What ``add-source`` wrote."""

    source_id: str
    yaml_path: Path
    text_path: Path
    text_written: bool
    """False when the archived text was already in place (a .txt in content/sources/)."""
    sha256: str
    chars: int
    found: list[str]
    todo: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Fetched:
    url: str
    """The address the page came from (after same-host redirects)."""
    data: bytes
    charset: str | None


# -- fetching --------------------------------------------------------------------------------


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same host, over http or https."""

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        target = urlsplit(newurl)
        if target.scheme not in ("http", "https") or (target.hostname or "") != self.host:
            fp.close()
            where = target.hostname or target.scheme or newurl
            raise AddSourceError(
                f"the page redirects to another host, {where} ({newurl}); only redirects within "
                f"{self.host} are followed. If that is the article, add it by that address"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be fetched (a usage error), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"'{url}' is not an http:// or https:// address"
    if not parts.hostname:
        return f"'{url}' has no host; write a full address like https://example.org/page"
    return None


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """Download an HTML page; AddSourceError with a clear reason for anything else."""
    problem = check_url(url)
    if problem:
        raise AddSourceError(problem)
    host = urlsplit(url).hostname or ""
    opener = urllib.request.build_opener(_SameHostRedirects(host))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"factsheet/{__version__} (archiving a cited source)",
            "Accept": "text/html,application/xhtml+xml;q=0.9",
        },
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            headers = response.headers
            ctype = headers.get("Content-Type")
            if ctype is not None and headers.get_content_type() not in HTML_TYPES:
                raise AddSourceError(
                    f"{final} is not an HTML page (Content-Type: {headers.get_content_type()}); "
                    "only web pages can be added from a URL: save the document's text as a .txt "
                    "file and add it with --file"
                )
            declared = headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise AddSourceError(_too_big(final, max_bytes, int(declared)))
            data = _read_capped(response, final, max_bytes)
            return Fetched(final, data, headers.get_content_charset())
    except AddSourceError:
        raise
    except urllib.error.HTTPError as exc:
        raise AddSourceError(
            f"the server answered HTTP {exc.code} {exc.reason} for {exc.geturl() or url}"
        ) from None
    except urllib.error.URLError as exc:
        raise AddSourceError(_network_reason(exc.reason, url, timeout)) from None
    except TimeoutError:
        raise AddSourceError(_timed_out(url, timeout)) from None
    except http.client.HTTPException as exc:
        raise AddSourceError(
            f"the connection to {host} broke off ({type(exc).__name__}: {exc})"
        ) from None
    except OSError as exc:
        raise AddSourceError(_network_reason(exc, url, timeout)) from None


def _read_capped(response: Any, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise AddSourceError(_too_big(url, max_bytes, None))
        chunks.append(chunk)


def _too_big(url: str, max_bytes: int, size: int | None) -> str:
    told = f" ({size:,} bytes)" if size is not None else ""
    return (
        f"{url} is larger than {max_bytes // (1024 * 1024)} MB{told}; that is not a news "
        "article's page. Save the article's text as a .txt file and add it with --file"
    )


def _timed_out(url: str, timeout: float) -> str:
    return f"no answer from {urlsplit(url).netloc} within {timeout:g} s (timed out); try again"


def _network_reason(reason: object, url: str, timeout: float) -> str:
    netloc = urlsplit(url).netloc
    host = urlsplit(url).hostname or netloc
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot connect to {netloc}: connection refused"
    if isinstance(reason, socket.gaierror):
        detail = reason.strerror or str(reason)
        return (
            f"cannot find the host {host} (DNS lookup failed: {detail}); check the address "
            "and the network"
        )
    if isinstance(reason, TimeoutError):
        return _timed_out(url, timeout)
    if isinstance(reason, ssl.SSLError):
        return f"secure connection to {netloc} failed: {reason}"
    if isinstance(reason, OSError):
        return f"cannot connect to {netloc}: {reason.strerror or reason}"
    return f"cannot fetch {url}: {reason}"


# -- extracting ------------------------------------------------------------------------------


@contextmanager
def _quiet_extractors() -> Iterator[None]:
    """trafilatura and its helpers log warnings about pages; the command reports its own."""
    loggers = [logging.getLogger(name) for name in ("trafilatura", "htmldate", "courlan")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def extract_html(data: bytes, url: str | None, charset: str | None = None) -> tuple[str, Metadata]:
    """The main text of an HTML page and the metadata found in it (trafilatura)."""
    import trafilatura
    from trafilatura.utils import load_html

    html: bytes | str = data
    if charset:
        try:
            html = data.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name: let trafilatura detect it
            html = data
    with _quiet_extractors():
        tree = load_html(html)
        if tree is None:
            raise AddSourceError(_no_text(url, 0))
        language = _language(tree)
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    text = getattr(doc, "text", None) or ""
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise AddSourceError(_no_text(url, len(text.strip())))
    meta = Metadata(
        title=_clean(getattr(doc, "title", None), 500),
        outlet=_outlet(getattr(doc, "sitename", None), url),
        authors=_authors(getattr(doc, "author", None)),
        published=_iso_date(getattr(doc, "date", None)),
        language=language,
        url=url,
    )
    return text, meta


def _no_text(url: str | None, chars: int) -> str:
    what = url or "the file"
    found = f"only {chars} characters of text found" if chars else "no text found"
    return (
        f"no main text could be extracted from {what} ({found}: navigation, a paywall, or a "
        "page built by JavaScript?). Save the article's text as a .txt file and add it with "
        "--file"
    )


def _clean(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(_FORBIDDEN.sub("", value).split())
    return text if text and len(text) <= limit else None


def _outlet(sitename: object, url: str | None) -> str | None:
    name = _clean(sitename, 200)
    if name is None:
        return None
    if url:  # trafilatura falls back to the address's host: that is not an outlet found
        parts = urlsplit(url)
        hosts = {parts.netloc.lower(), (parts.hostname or "").lower()}
        hosts |= {h.removeprefix("www.") for h in hosts}
        if name.lower() in hosts:
            return None
    return name


def _authors(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    names = [_clean(part, 200) for part in value.split(";")]
    return [name for name in names if name]


_ORGANISATION_WORDS = frozenset(
    {
        "agency",
        "board",
        "bureau",
        "correspondents",
        "desk",
        "editorial",
        "editors",
        "network",
        "news",
        "newsroom",
        "press",
        "reporters",
        "service",
        "staff",
        "team",
        "wire",
        "wires",
    }
)
"""Words that make a byline an organisation's ('Reuters Staff', 'AFP News Desk')."""

_GIVEN = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.")
_FAMILY = re.compile(r"(?:O'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?")


_PINYIN = re.compile(
    "(?:(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    "(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia"
    "|ie|iu|ua|uo|ui|ue|a|o|e|i|u|v))+",
    re.IGNORECASE,
)
"""A run of Chinese (pinyin) syllables: such a name may be written family name first."""


def split_author(name: str) -> dict[str, str] | None:
    """An author string as the format writes it, or None when it cannot be split reliably.

    'Reuters Staff' is an organisation; 'Joanna Swanson' or 'J. Swanson' is a given name
    and a family name.  Anything else is left to the editor: three or more words,
    particles, suffixes, letters outside the Latin alphabet, and two words that could both
    be Chinese syllables ('Mei Lin', 'Xi Jinping'), which are often written family name
    first.
    """
    words = name.split()
    if any(word.strip(".,").casefold() in _ORGANISATION_WORDS for word in words):
        return {"organisation": " ".join(words)}
    if len(words) != 2:
        return None
    given, family = (unicodedata.normalize("NFC", w) for w in words)
    if _PINYIN.fullmatch(given) and _PINYIN.fullmatch(family):
        return None  # 'Mei Lin', 'Xi Jinping': which is the family name?
    if not (_GIVEN.fullmatch(_ascii_letters(given)) and _FAMILY.fullmatch(_ascii_letters(family))):
        return None
    return {"family": family, "given": given}


def _ascii_letters(word: str) -> str:
    """``word`` with Latin letters' accents dropped ('Pérez' -> 'Perez'); others kept."""
    out = []
    for char in word:
        if char.isalpha() and "LATIN" in unicodedata.name(char, ""):
            base = unicodedata.normalize("NFD", char)[0]
            out.append(base if base.isascii() else char)
        else:
            out.append(char)
    return "".join(out)


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.fullmatch(value.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return match.group(0)


def _language(tree: Any) -> str | None:
    candidates: list[object] = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
    ]
    candidates += tree.xpath('//meta[@http-equiv="content-language"]/@content')
    candidates += tree.xpath('//meta[@property="og:locale"]/@content')
    for value in candidates:
        tag = normalise_language(value)
        if tag:
            return tag
    return None


def normalise_language(value: object) -> str | None:
    """A BCP 47 tag from an HTML ``lang`` or ``og:locale`` value ("en_US" -> "en-US")."""
    if not isinstance(value, str):
        return None
    parts = value.strip().replace("_", "-").split(",")[0].split("-")
    if not parts or not parts[0]:
        return None
    tag = "-".join([parts[0].lower(), *parts[1:]])
    return tag if _LANGUAGE.fullmatch(tag) and len(tag) <= 35 else None


# -- ids ------------------------------------------------------------------------------------


def slug_words(text: str) -> list[str]:
    """Lower-case ASCII words of ``text`` ("8,000" stays one word: "8000")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"(?<=[0-9])[,.](?=[0-9])", "", ascii_text.lower().replace("'", ""))
    return [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]


def make_id(meta: Metadata, fallback: str) -> str:
    """An id from the outlet, date and title: 'harbour-gazette-2024-03-05-council-connects'.

    Up to three words of the outlet, the date as known, then up to four words of the
    title (without "the", "of" and such), at most 60 characters; from ``fallback`` (the
    address or the file name) when there is neither outlet nor title.
    """
    parts = [w for w in slug_words(meta.outlet or "") if w not in _STOPWORDS][:3]
    if meta.published:
        parts.append(meta.published)
    title = [w for w in slug_words(meta.title or "") if w not in _STOPWORDS]
    words: list[str] = []
    for word in title[:MAX_TITLE_WORDS]:
        if len("-".join([*parts, *words, word])) > MAX_ID_CHARS:
            break
        words.append(word)
    slug = "-".join([*parts, *words])[:MAX_ID_CHARS].strip("-")
    if not _SLUG.fullmatch(slug) or not (words or meta.outlet):
        slug = "-".join(slug_words(fallback))[:MAX_ID_CHARS].strip("-") or "source"
    return slug


def _url_fallback(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    last = re.sub(r"\.[a-z0-9]+$", "", path[-1]) if path else ""
    return f"{host.replace('.', ' ')} {last}"


# -- writing --------------------------------------------------------------------------------


def source_yaml(
    source_id: str,
    meta: Metadata,
    archive_file: str,
    sha256: str,
    ref: str,
    fallback_title: str,
) -> tuple[str, list[str], list[str]]:
    """The YAML of a new source, the fields found, and those left as TODO comments."""
    found: list[str] = []
    todo: list[str] = []
    lines = [modeline(ref), f"id: {source_id}"]
    if meta.title:
        lines.append(f"title: {scalar(meta.title)}")
        found.append("title")
    else:
        lines.append(
            f"title: {scalar(fallback_title)}  # TODO: title not found — write the headline "
            "as published, or describe the text in [brackets]"
        )
        todo.append("title")
    lines.append("type: news-article")

    def optional(name: str, value: str | None, hint: str) -> None:
        if value:
            lines.append(f"{name}: {value}")
            found.append(name)
        else:
            lines.append(f"# TODO: {hint}")
            todo.append(name)

    optional(
        "outlet",
        scalar(meta.outlet) if meta.outlet else None,
        "outlet not found — who published this? (outlet: NAME)",
    )
    if meta.authors:
        lines.append("authors:")
        unsplit = 0
        for name in meta.authors:
            parts = split_author(name)
            if parts is None:
                unsplit += 1
                lines.append(
                    f"  # TODO: author {scalar(name)} not split — write a person as "
                    "'- {family: FAMILY, given: GIVEN}', or an organisation as "
                    "'- {organisation: NAME}'"
                )
                continue
            (first_key, first), *rest = parts.items()
            lines.append(f"  - {first_key}: {scalar(first)}")
            lines.extend(f"    {key}: {scalar(value)}" for key, value in rest)
        if unsplit < len(meta.authors):
            found.append("authors")
        if unsplit:
            todo.append("authors")
    else:
        lines.append(
            "# TODO: authors not found — does the report itself carry a byline? "
            "(authors: [{family: FAMILY, given: GIVEN}])"
        )
        todo.append("authors")
    optional(
        "published",
        meta.published,
        "published date not found — when was it published? (published: YYYY-MM-DD, "
        "or YYYY-MM, or YYYY)",
    )
    optional(
        "url",
        scalar(meta.url) if meta.url else None,
        "url not known — where was this published online? (url: https://...)",
    )
    optional(
        "accessed",
        meta.accessed,
        "accessed date not known — when was this copy taken? (accessed: YYYY-MM-DD)",
    )
    optional(
        "language",
        meta.language,
        "language not found — which language is the text in? (language: en)",
    )
    lines += ["archive:", f"  file: {scalar(archive_file)}", f"  sha256: {sha256}"]
    return "\n".join(lines) + "\n", found, todo


def _site_url(project: Project) -> str | None:
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(project.config_file, encoding="utf-8") as handle:
            data = yaml_load(handle) or {}
    except Exception:  # find_project has read it already; be lenient here
        return None
    value = data.get("site_url") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def project_schema_ref(project: Project, kind: str, written: Path) -> str:
    """The modeline target for a file of ``kind`` written at ``written`` in ``project``."""
    return schema_ref(
        kind,
        written,
        project.root,
        site_dir=project.site_dir,
        site_url=_site_url(project),
    )


def _refuse_existing(paths: list[Path], source_id: str, content_dir: Path, given: bool) -> None:
    how = "choose another id with --id" if not given else "choose another --id"
    for path in paths:
        if path.exists():
            raise _exists(path, how)
    source = load_content(content_dir).content.sources.get(source_id)
    if source is not None:
        loc = source.where.of("id") if source.where else Loc(source.path)
        raise AddSourceError(f"a source with id '{source_id}' already exists; {how}", loc)


def _exists(path: Path, how: str = "choose another id with --id") -> AddSourceError:
    return AddSourceError(
        f"this file already exists; it was not overwritten ({how}, or remove the file if it "
        "is left from a failed attempt)",
        Loc(display_path(path)),
    )


def _strip_forbidden(text: str) -> tuple[str, list[str]]:
    found = sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(text)})
    if not found:
        return text, []
    count = len(_FORBIDDEN.findall(text))
    note = (
        f"removed {count} invisible control character{'s' if count != 1 else ''} "
        f"({', '.join(found)}) that check refuses in content files"
    )
    return _FORBIDDEN.sub("", text), [note]


def _write_pair(
    project: Project,
    source_id: str,
    meta: Metadata,
    text_bytes: bytes,
    *,
    text_path: Path,
    write_text: bool,
    fallback_title: str,
    notes: list[str],
) -> Added:
    yaml_path = project.content_dir / SOURCES_DIR / f"{source_id}.yaml"
    sha = hashlib.sha256(text_bytes).hexdigest()
    ref = project_schema_ref(project, "source", yaml_path)
    yaml_text, found, todo = source_yaml(source_id, meta, text_path.name, sha, ref, fallback_title)
    if write_text:
        try:
            write_new(text_path, text_bytes)
        except FileExistsError:
            raise _exists(text_path) from None
    try:
        write_new(yaml_path, yaml_text.encode("utf-8"))
    except BaseException as exc:
        if write_text:
            text_path.unlink(missing_ok=True)
        if isinstance(exc, FileExistsError):
            raise _exists(yaml_path) from None
        raise
    chars = len(text_bytes.decode("utf-8", errors="replace"))
    return Added(source_id, yaml_path, text_path, write_text, sha, chars, found, todo, notes)


def _today() -> str:
    return dt.date.today().isoformat()


def add_from_url(
    project: Project,
    url: str,
    *,
    source_id: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> Added:
    """Fetch ``url``, archive its main text and write its YAML (see the module doc)."""
    page = fetch(url, timeout=timeout, max_bytes=max_bytes)
    text, meta = extract_html(page.data, page.url, page.charset)
    meta.accessed = _today()
    notes = [] if page.url == url else [f"followed a redirect to {page.url}"]
    return _add_text(project, text, meta, source_id, _url_fallback(page.url), notes)


def _add_text(
    project: Project,
    text: str,
    meta: Metadata,
    source_id: str | None,
    fallback: str,
    notes: list[str],
) -> Added:
    text, stripped = _strip_forbidden(text)
    notes = [*notes, *stripped]
    sid = source_id or make_id(meta, fallback)
    sources = project.content_dir / SOURCES_DIR
    text_path = sources / f"{sid}.txt"
    _refuse_existing(
        [text_path, sources / f"{sid}.yaml"], sid, project.content_dir, source_id is not None
    )
    data = text.encode("utf-8")
    _, problems = decode_text(data, display_path(text_path))
    if problems:  # pragma: no cover - the forbidden characters were removed above
        raise AddSourceError(problems[0].message)
    title = f"[Untitled page from {meta.url}]" if meta.url else f"[Untitled: {sid}]"
    return _write_pair(
        project,
        sid,
        meta,
        data,
        text_path=text_path,
        write_text=True,
        fallback_title=title,
        notes=notes,
    )


def add_from_file(
    project: Project,
    path: Path,
    *,
    source_id: str | None = None,
    url: str | None = None,
) -> Added:
    """Archive a local .txt (byte for byte) or .html (its main text) and write its YAML."""
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".html", ".htm", ".xhtml"):
        raise AddSourceError(
            f"{display_path(path)}: only .txt and .html files can be added (save a PDF's or a "
            "document's text as .txt)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AddSourceError(f"cannot read {display_path(path)}: {exc.strerror}") from None
    if suffix != ".txt":
        if len(data) > MAX_BYTES:
            raise AddSourceError(_too_big(display_path(path), MAX_BYTES, len(data)))
        text, meta = extract_html(data, url)
        return _add_text(project, text, meta, source_id, path.stem, [])
    text_or_none, problems = decode_text(data, display_path(path))
    if problems or text_or_none is None:
        first = problems[0] if problems else None
        message = first.message if first else "cannot decode the file"
        raise AddSourceError(
            f"{message}; a .txt is archived byte for byte, so fix the file first",
            first.loc if first else Loc(display_path(path)),
        )
    if not text_or_none.strip():
        raise AddSourceError(
            "the file is empty; there is no text to archive", Loc(display_path(path))
        )
    meta = Metadata(url=url)
    sources = (project.content_dir / SOURCES_DIR).resolve()
    in_place = path.resolve().parent == sources
    sid = source_id or "-".join(slug_words(path.stem))[:MAX_ID_CHARS].strip("-") or "source"
    text_path = path.resolve() if in_place else sources / f"{sid}.txt"
    if in_place and not _ARCHIVE_NAME.fullmatch(path.name):
        raise AddSourceError(
            "rename the file to letters, digits, '.', '_' and '-' (like 'my-source.txt'); "
            "archived text names must be plain",
            Loc(display_path(path)),
        )
    yaml_path = sources / f"{sid}.yaml"
    _refuse_existing(
        [yaml_path] if in_place else [text_path, yaml_path],
        sid,
        project.content_dir,
        source_id is not None,
    )
    return _write_pair(
        project,
        sid,
        meta,
        data,
        text_path=text_path,
        write_text=not in_place,
        fallback_title=f"[Untitled: {path.name}]",
        notes=[],
    )

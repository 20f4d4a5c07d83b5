"""``factsheet add-source``: from a page served on 127.0.0.1 to an archived, checked source.

A threaded HTTP server on 127.0.0.1 serves the fixture pages of tests/fixtures/pages/ and
one handler per failure (PDF, image, 404, 500, a huge page, redirects, a slow answer);
DNS failures are simulated.  No test touches the internet.  Every failure must leave the
content directory exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.content.nodes import Mapping, Scalar
from generator.content.yamlload import load_yaml
from generator.editor.addsource import MAX_BYTES, Metadata, make_id, normalise_language

from .conftest import REUTERS, REWRITE, SHEET_DIR, Run, edit

PAGES = Path(__file__).parent / "fixtures" / "pages"
SOURCES = "content/sources"
ARTICLE_ID = "harbour-gazette-2024-03-05-council-connects-nearly-8000"
SENTENCE = (
    "The harbour district council said on Tuesday that nearly 8,000 homes had been "
    "connected to its new fibre network"
)


class Handler(http.server.BaseHTTPRequestHandler):
    """One route per case; see :data:`ROUTES`."""

    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        route = ROUTES.get(self.path.split("?")[0])
        try:
            if route is None:
                self._send(404, "text/html", b"<h1>Not Found</h1>")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should for the huge page

    def _send(self, code: int, ctype: str, body: bytes, **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def page(self, name: str) -> None:
        self._send(200, "text/html; charset=utf-8", (PAGES / name).read_bytes())

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()  # no Content-Length: the size shows only while reading
        self.wfile.write(b"<html><body>")
        chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
        for _ in range(MAX_BYTES // len(chunk) + 20):
            self.wfile.write(chunk)

    def huge_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(MAX_BYTES * 4))
        self.end_headers()
        self.wfile.write(b"<html><body><p>never sent in full</p>")

    def slow(self) -> None:
        time.sleep(3)
        self.page("article.html")


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/article.html": lambda h: h.page("article.html"),
    "/bare.html": lambda h: h.page("bare.html"),
    "/no-text.html": lambda h: h.page("no-text.html"),
    "/moved": lambda h: h.redirect("/article.html"),
    "/elsewhere": lambda h: h.redirect("http://example.invalid/article.html"),
    "/report.pdf": lambda h: h._send(200, "application/pdf", b"%PDF-1.4\n%fake\n"),
    "/photo.png": lambda h: h._send(200, "image/png", b"\x89PNG\r\n\x1a\n"),
    "/missing": lambda h: h._send(404, "text/html", b"<h1>Not Found</h1>"),
    "/broken": lambda h: h._send(500, "text/html", b"<h1>Internal Server Error</h1>"),
    "/huge.html": Handler.huge,
    "/huge-declared.html": Handler.huge_declared,
    "/slow.html": Handler.slow,
}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base address of a local server of the fixture pages: http://127.0.0.1:PORT."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def snapshot(project: Path) -> dict[str, bytes]:
    content = project / "content"
    return {str(p.relative_to(content)): p.read_bytes() for p in content.rglob("*") if p.is_file()}


def fields(path: Path) -> dict[str, str]:
    """The top-level scalar fields of a YAML file, as the strict loader reads them."""
    loaded = load_yaml(path.read_bytes(), str(path))
    assert not loaded.problems, loaded.problems
    assert isinstance(loaded.root, Mapping)
    return {
        key: value.value
        for key, (_, value) in loaded.root.entries.items()
        if isinstance(value, Scalar)
    }


# -- adding a page --------------------------------------------------------------------------


def test_add_a_page(cli: Callable[..., Run], project: Path, server: str) -> None:
    run = cli("add-source", f"{server}/article.html", cwd=project)
    assert run.code == 0, run.err
    yaml_path = project / SOURCES / f"{ARTICLE_ID}.yaml"
    text_path = project / SOURCES / f"{ARTICLE_ID}.txt"
    text = text_path.read_bytes()
    yaml_text = yaml_path.read_text("utf-8")
    # the modeline first, relative to the site's published schemas (generator/ is elsewhere)
    assert yaml_text.splitlines()[0] == (
        "# yaml-language-server: $schema=../../site/schemas/source.schema.json"
    )
    got = fields(yaml_path)
    assert got == {
        "id": ARTICLE_ID,
        "title": "Council connects nearly 8,000 homes to fibre network",
        "type": "news-article",
        "outlet": "The Harbour Gazette",
        "published": "2024-03-05",
        "url": f"{server}/article.html",
        "accessed": dt.date.today().isoformat(),
        "language": "en-GB",
    }
    assert "authors:\n  - family: Okafor\n    given: Hannah\n" in yaml_text
    assert "TODO" not in yaml_text
    assert f"  sha256: {hashlib.sha256(text).hexdigest()}" in yaml_text
    assert f"  file: {ARTICLE_ID}.txt" in yaml_text
    # the main text, without the page's navigation, cookie banner, related links or footer
    decoded = text.decode("utf-8")
    assert SENTENCE in decoded
    assert "“a milestone for the whole region”" in decoded
    for furniture in ("cookie", "Related stories", "Quay Street", "All rights reserved"):
        assert furniture not in decoded
    assert f"wrote {SOURCES}/{ARTICLE_ID}.txt" in run.out
    assert f"factsheet cite {ARTICLE_ID}" in run.out
    check = cli("check", cwd=project)
    assert check.code == 0, check.err


def test_a_page_without_metadata_gets_todo_markers(
    cli: Callable[..., Run], project: Path, server: str
) -> None:
    run = cli("add-source", f"{server}/bare.html", "--id", "water-main-burst", cwd=project)
    assert run.code == 0, run.err
    yaml_text = (project / SOURCES / "water-main-burst.yaml").read_text("utf-8")
    lines = yaml_text.splitlines()
    assert "# TODO: outlet not found — who published this? (outlet: NAME)" in lines
    for key in ("authors", "published date", "language"):
        assert any(line.startswith(f"# TODO: {key} not found") for line in lines), key
    title = next(line for line in lines if line.startswith("title:"))
    assert title.startswith(f'title: "[Untitled page from {server}/bare.html]"  # TODO: title')
    assert "accessed:" in yaml_text and "url:" in yaml_text
    assert "not found (marked '# TODO:' in the file): title, outlet, authors" in run.out
    # TODO-only optional fields are simply absent: the source passes check as it is
    check = cli("check", cwd=project)
    assert check.code == 0, check.err


def test_same_host_redirect_is_followed(
    cli: Callable[..., Run], project: Path, server: str
) -> None:
    run = cli("add-source", f"{server}/moved", "--id", "moved", cwd=project)
    assert run.code == 0, run.err
    assert f"note: followed a redirect to {server}/article.html" in run.out
    assert fields(project / SOURCES / "moved.yaml")["url"] == f"{server}/article.html"


def test_refuses_to_overwrite(cli: Callable[..., Run], project: Path, server: str) -> None:
    assert cli("add-source", f"{server}/article.html", cwd=project).code == 0
    before = snapshot(project)
    run = cli("add-source", f"{server}/article.html", cwd=project)
    assert run.code == 1
    assert run.err.startswith(
        f"{SOURCES}/{ARTICLE_ID}.txt:1:1: error: this file already exists; it was not overwritten"
    )
    assert "nothing was written." in run.err
    assert snapshot(project) == before
    # an id used by another source's YAML (whatever its file name) is refused too
    run = cli(
        "add-source", f"{server}/article.html", "--id", "reuters-2023-self-media", cwd=project
    )
    assert run.code == 1
    assert f"{REUTERS}.txt:1:1: error: this file already exists" in run.err
    sources = project / SOURCES
    (sources / "reuters-2023-self-media.txt").rename(sources / "other.txt")
    (sources / "reuters-2023-self-media.yaml").rename(sources / "other.yaml")
    edit(sources / "other.yaml", "file: reuters-2023-self-media.txt", "file: other.txt")
    before = snapshot(project)
    run = cli(
        "add-source", f"{server}/article.html", "--id", "reuters-2023-self-media", cwd=project
    )
    assert run.code == 1
    assert (
        f"{SOURCES}/other.yaml:2:5: error: a source with id 'reuters-2023-self-media' al" in run.err
    )
    assert snapshot(project) == before


# -- failures: a clear message, and nothing written ---------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/report.pdf", "is not an HTML page (Content-Type: application/pdf)"),
        ("/photo.png", "is not an HTML page (Content-Type: image/png)"),
        ("/missing", "the server answered HTTP 404 Not Found for"),
        ("/broken", "the server answered HTTP 500 Internal Server Error for"),
        ("/huge.html", "is larger than 5 MB; that is not a news article's page"),
        ("/huge-declared.html", f"is larger than 5 MB ({MAX_BYTES * 4:,} bytes)"),
        (
            "/elsewhere",
            "the page redirects to another host, example.invalid "
            "(http://example.invalid/article.html); only redirects within 127.0.0.1 are followed",
        ),
        ("/no-text.html", "no main text could be extracted from"),
    ],
)
def test_failures_write_nothing(
    cli: Callable[..., Run], project: Path, server: str, path: str, message: str
) -> None:
    before = snapshot(project)
    run = cli("add-source", f"{server}{path}", cwd=project)
    assert run.code == 1, run.out
    assert run.err.startswith("factsheet add-source: error: ")
    assert message in run.err
    assert run.err.rstrip().endswith("nothing was written.")
    assert "Traceback" not in run.err
    assert snapshot(project) == before


def test_timeout(cli: Callable[..., Run], project: Path, server: str) -> None:
    before = snapshot(project)
    started = time.monotonic()
    run = cli("add-source", f"{server}/slow.html", "--timeout", "0.5", cwd=project)
    assert time.monotonic() - started < 2.5
    assert run.code == 1
    assert "no answer from 127.0.0.1:" in run.err and "within 0.5 s (timed out)" in run.err
    assert snapshot(project) == before


def test_connection_refused(cli: Callable[..., Run], project: Path) -> None:
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = snapshot(project)
    run = cli("add-source", f"http://127.0.0.1:{port}/article.html", cwd=project)
    assert run.code == 1
    assert (
        f"factsheet add-source: error: cannot connect to 127.0.0.1:{port}: connection refused"
        in run.err
    )
    assert snapshot(project) == before


def test_dns_failure(
    cli: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_host(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    before = snapshot(project)
    run = cli("add-source", "https://news.example/article.html", cwd=project)
    assert run.code == 1
    assert (
        "error: cannot find the host news.example (DNS lookup failed: Name or service not known)"
    ) in run.err
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "args",
    [
        ("ftp://example.org/a.html",),
        ("file:///etc/passwd",),
        ("http:///no-host",),
        ("http://127.0.0.1/a", "--id", "Not An Id"),
        ("http://127.0.0.1/a", "--file", "x.txt"),
        ("http://127.0.0.1/a", "--url", "http://127.0.0.1/b"),
        ("http://127.0.0.1/a", "--timeout", "0"),
        (),
    ],
)
def test_usage_errors(cli: Callable[..., Run], project: Path, args: tuple[str, ...]) -> None:
    before = snapshot(project)
    run = cli("add-source", *args, cwd=project)
    assert run.code == 2, run.err
    assert snapshot(project) == before


# -- adding local files -------------------------------------------------------------------


def test_a_txt_is_archived_byte_for_byte(
    cli: Callable[..., Run], project: Path, tmp_path: Path
) -> None:
    """How the bundled Reuters text would have been added: its bytes and hash unchanged."""
    original = project / f"{REUTERS}.txt"
    saved = tmp_path / "saved.txt"
    shutil.copy(original, saved)
    run = cli(
        "add-source", "--file", str(saved), "--id", "reuters-copy",
        "--url", "https://example.org/reuters", cwd=project,
    )  # fmt: skip
    assert run.code == 0, run.err
    copy = project / SOURCES / "reuters-copy.txt"
    assert copy.read_bytes() == original.read_bytes()
    got = fields(project / SOURCES / "reuters-copy.yaml")
    recorded = fields(project / f"{REUTERS}.yaml")  # the bundled YAML's hash
    yaml_text = (project / SOURCES / "reuters-copy.yaml").read_text("utf-8")
    assert "3140fcd16909c91c47e67c371d0156135207f5a8879cd65b01900cb1cb68ed33" in yaml_text
    assert recorded["id"] == "reuters-2023-self-media"
    assert got["url"] == "https://example.org/reuters"
    assert got["title"] == "[Untitled: saved.txt]"
    assert "# TODO: accessed date not known" in yaml_text
    assert cli("check", cwd=project).code == 0


def test_a_txt_already_in_place_keeps_its_bytes(cli: Callable[..., Run], project: Path) -> None:
    """The rewrite's text saved first in content/sources/: only its YAML is written."""
    (project / f"{REWRITE}.yaml").unlink()
    text_before = (project / f"{REWRITE}.txt").read_bytes()
    run = cli("add-source", "--file", f"{REWRITE}.txt", cwd=project)
    assert run.code == 0, run.err
    assert f"kept {REWRITE}.txt as it is" in run.out
    assert (project / f"{REWRITE}.txt").read_bytes() == text_before
    yaml_text = (project / f"{REWRITE}.yaml").read_text("utf-8")
    assert "id: rewrite-2023-05-28-self-media" in yaml_text
    assert "  file: rewrite-2023-05-28-self-media.txt" in yaml_text
    assert "80c0d62f00d5f555d16762ebef858b6b631d80fac1dc2955ce644cbe235bb616" in yaml_text
    check = cli("check", cwd=project)  # every quote of the rewrite is found again
    assert check.code == 0, check.err


def test_an_html_file(cli: Callable[..., Run], project: Path) -> None:
    run = cli("add-source", "--file", str(PAGES / "article.html"), cwd=project)
    assert run.code == 0, run.err
    yaml_text = (project / SOURCES / f"{ARTICLE_ID}.yaml").read_text("utf-8")
    assert "# TODO: url not known" in yaml_text
    assert "# TODO: accessed date not known" in yaml_text
    assert "outlet: The Harbour Gazette" in yaml_text
    assert cli("check", cwd=project).code == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("latin1.txt", "café".encode("latin-1"), "file is not valid UTF-8 (byte 0xe9)"),
        ("bidi.txt", "abc \u202e def".encode(), "forbidden character U+202E"),
        ("empty.txt", b"  \n", "the file is empty"),
        ("doc.pdf", b"%PDF-1.4", "only .txt and .html files can be added"),
        ("nav.html", (PAGES / "no-text.html").read_bytes(), "no main text could be extracted"),
    ],
)
def test_bad_files_write_nothing(
    cli: Callable[..., Run], project: Path, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(project)
    run = cli("add-source", "--file", str(path), cwd=project)
    assert run.code == 1
    assert message in run.err
    assert snapshot(project) == before


# -- the editor's flow: URL -> source -> citation -> fact, checked --------------------------


def test_from_url_to_a_checked_fact(cli: Callable[..., Run], project: Path, server: str) -> None:
    # 1. archive the page
    run = cli("add-source", f"{server}/article.html", cwd=project)
    assert run.code == 0, run.err
    # 2. check a sentence of it and get the citation block
    cite = cli("cite", ARTICLE_ID, SENTENCE, cwd=project)
    assert cite.code == 0, cite.err
    assert "      # states: nearly 8,000 (qualifier nearly)\n" in cite.out
    assert f"      - source: {ARTICLE_ID}\n" in cite.out
    # 3. a fact skeleton in the file of the sheet's 'context' facts
    facts = project / SHEET_DIR / "facts" / "7-context.yaml"
    original = facts.read_text("utf-8")
    new = cli(
        "new", "fact", "--sheet", "china-self-media-2023", "--topic", "context",
        "--id", "harbour-fibre-homes", cwd=project,
    )  # fmt: skip
    assert new.code == 0, new.err
    assert f"added a fact skeleton to {SHEET_DIR}/facts/7-context.yaml:" in new.out
    edited = facts.read_text("utf-8")
    assert edited.startswith(original)  # the editor's file, comments and all, untouched
    # the skeleton alone tells the editor what is missing
    check = cli("check", cwd=project)
    assert check.code == 1
    assert "'statement' is empty; it is required in fact" in check.err
    assert "'source' is empty; it is required in citation" in check.err
    # 4. the editor writes the statement and the value, and pastes the citation block
    skeleton = edited[len(original) :]
    statement = next(line for line in skeleton.splitlines() if "statement:" in line)
    citations = skeleton[skeleton.index("      - source:") :]
    filled = skeleton.replace(
        statement,
        "    statement: Nearly 8,000 homes in the harbour district were connected to fibre.\n"
        "    value:\n"
        "      amount: 8000\n"
        "      unit: homes\n"
        "      qualifier: nearly",
    ).replace(citations, cite.out)
    facts.write_text(original + filled, "utf-8")
    check = cli("check", cwd=project)
    assert check.code == 0, check.err
    assert check.out.startswith("ok: 24 facts in 1 sheet, 3 sources")


# -- helpers ---------------------------------------------------------------------------------


def test_ids() -> None:
    meta = Metadata(title="China cracks down on ‘self-media’ accounts", outlet="Gadgets 360")
    meta.published = "2023-05"
    assert make_id(meta, "x") == "gadgets-360-2023-05-china-cracks-down-self"
    assert make_id(Metadata(title="自媒体"), "news.example.org story") == "news-example-org-story"
    assert make_id(Metadata(), "") == "source"


@pytest.mark.parametrize(
    ("value", "tag"),
    [("en", "en"), ("EN-gb", "en-gb"), ("en_US", "en-US"), ("zh-Hans", "zh-Hans"), ("x", None)],
)
def test_language_tags(value: str, tag: str | None) -> None:
    assert normalise_language(value) == tag

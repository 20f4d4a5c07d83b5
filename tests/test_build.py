"""End to end: build the bundled fact sheet into a temporary directory and read the site."""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from generator.generate import check
from generator.text.numbers import find_numbers

from .conftest import REUTERS, SHEET_DIR, Run, build_bundled, edit
from .sites import wait_no_scratch
from .test_atomic_build import snapshot

SHEET_HTML = "sheets/china-self-media-2023/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project built once for this module (by the real command)."""
    return build_bundled(tmp_path_factory.mktemp("built"))


def text_of(page: str) -> str:
    """Visible text of an HTML page, tags dropped and entities decoded, whitespace folded."""
    body = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(body).split())


def test_every_page_is_built(built: Path) -> None:
    for page in (
        "index.html",
        SHEET_HTML,
        "sheets/china-self-media-2023/differences/index.html",
        "sources/index.html",
        "sources/reuters-2023-self-media/index.html",
        "sources/rewrite-2023-05-28-self-media/index.html",
        "format/index.html",
    ):
        assert (built / page).is_file(), page
    for download in (
        "facts.json",
        "facts.csv",
        "sources.csl.json",
        "sheets/china-self-media-2023/facts.json",
        "schemas/facts.schema.json",
    ):
        assert (built / download).is_file(), download


def test_every_fact_has_its_anchor_figure_and_citations(built: Path) -> None:
    page = (built / SHEET_HTML).read_text(encoding="utf-8")
    loaded, _ = check(Path(__file__).parent.parent / "content")
    for fact in loaded.content.facts.values():
        match = re.search(
            rf'<article class="fs-fact[^"]*">\s*<h3[^>]*\bid="{fact.id}"(.*?)</article>', page, re.S
        )
        assert match, fact.id
        card = match.group(1)
        # one disclosure per card holds every citation, each with its quote
        assert card.count('<details class="fs-fact-more"') == 1, fact.id
        assert card.count('<li class="fs-citation"') == len(fact.citations), fact.id
        text = text_of(card)
        for citation in fact.citations:
            assert " ".join(citation.quote.split()) in text, (fact.id, citation.quote)


@pytest.mark.parametrize(
    ("fact", "figure"),
    [
        ("posts-deleted", "1.4 million posts"),
        ("accounts-closed", "67,000 accounts"),
        ("fake-news-closures", "Nearly 8,000 accounts"),
        ("lesser-penalties", "About 930,000 accounts"),
        ("military-impersonation", "Nearly 13,000 accounts"),
        ("news-anchor-impersonation", "More than 100,000 accounts"),
        ("unqualified-advice", "More than 430,000 accounts"),
        ("posts-hundreds-of-thousands", "Hundreds of thousands of posts (no number given;"),
    ],
)
def test_figures_keep_their_qualifier(built: Path, fact: str, figure: str) -> None:
    page = (built / SHEET_HTML).read_text(encoding="utf-8")
    start = re.search(rf'<h3[^>]*\bid="{fact}"', page)
    assert start
    card = page[start.start() : page.index("</article>", start.start())]
    figure_html = re.search(r'<p class="fs-fact-line">(.*?)</p>', card, re.S)
    assert figure_html
    assert text_of(figure_html.group(1)).startswith(figure)


def test_site_shows_every_figure_of_both_texts(built: Path) -> None:
    """Each number stated in a report body is the value of a fact on the sheet."""
    loaded, findings = check(Path(__file__).parent.parent / "content")
    values = {
        f.value.amount
        for f in loaded.content.facts.values()
        if f.value is not None and f.value.amount is not None
    }
    page = text_of((built / SHEET_HTML).read_text(encoding="utf-8"))
    for source in loaded.content.sources.values():
        assert source.text is not None
        furniture = findings.quotes.resolve().furniture.get(source.id, [])
        for number in find_numbers(source.text):
            if any(s.start <= number.start < s.end for s in furniture):
                continue
            assert number.value in values, (source.id, number.text)
            assert f"{int(number.value):,}" in page or number.value == Decimal(1400000)
    assert "1.4 million" in page


def test_corroboration_and_disputes_are_shown(built: Path) -> None:
    page = text_of((built / SHEET_HTML).read_text(encoding="utf-8"))
    assert "1 source, repeated by 1 outlet" in page
    assert "2 independent sources" not in page
    differences = text_of(
        (built / "sheets/china-self-media-2023/differences/index.html").read_text("utf-8")
    )
    for needle in (
        "Counter-Terrorism Committee",
        "Cyberspace Administration of China",
        "Chinese Red Army Command",
        "China Red Army Command",
        "Nearly 187,000",
        "Only in Reuters",
    ):
        assert needle in differences, needle


def test_search_index_finds_facts_and_quotes(built: Path) -> None:
    index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    entry = docs["sheets/china-self-media-2023/#accounts-closed"]
    assert "67,000" in entry["title"] + entry["text"]
    assert "it closed 67,000 social media accounts" in entry["text"]
    weibo = [loc for loc, d in docs.items() if "Weibo" in d["title"] + d["text"]]
    assert "sheets/china-self-media-2023/#platforms" in weibo
    assert any(
        "Cyberspace Administration" in d["text"] and loc.endswith("#posts-deleted")
        for loc, d in docs.items()
    )


def test_facts_json(built: Path) -> None:
    data = json.loads((built / "facts.json").read_text(encoding="utf-8"))
    assert data["format"] == "factsheet-facts"
    assert data["version"] == 2
    facts = {f["id"]: f for f in data["facts"]}
    assert len(facts) == 23
    fact = facts["military-impersonation"]
    assert fact["value"]["text"] == "nearly 13,000 accounts"
    assert fact["value"]["max"] == 13000 and fact["value"]["min"] is None
    assert fact["disputed"] is True  # the sources name different speakers
    assert fact["differences"] == ["qualifier", "speaker"]
    assert fact["corroboration"]["independent_origins"] == 1
    reuters = json.loads((built / "facts.json").read_text("utf-8"))["sources"][0]
    archived = built / reuters["archive"]["file"]
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == reuters["archive"]["sha256"]


def test_archived_texts_are_published_byte_for_byte(built: Path) -> None:
    from .conftest import ROOT

    original = (ROOT / f"{REUTERS}.txt").read_bytes()
    assert (built / "sources/reuters-2023-self-media.txt").read_bytes() == original


def test_site_is_offline(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        # resources a browser fetches when the page opens (links to follow are fine)
        for url in re.findall(
            r'\bsrc="(https?://[^"]+)"|<link\b[^>]*\bhref="(https?://[^"]+)"', text
        ):
            pytest.fail(f"{page} loads {url}")


def test_plain_mkdocs_build_strict_gives_the_same_pages(built: Path, tmp_path: Path) -> None:
    project = built.parent
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "plain")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    # every file alike: factsheet build keeps pages' HTML, Markdown and downloads on disk
    # while it builds, plain MkDocs keeps them in memory (only the sitemap's date differs)
    plain, ours = snapshot(tmp_path / "plain"), snapshot(built)
    for dated in ("sitemap.xml", "sitemap.xml.gz"):
        plain.pop(dated, None)
        ours.pop(dated, None)
    assert plain.keys() == ours.keys()
    assert [p for p in ours if plain[p] != ours[p]] == []
    assert SHEET_HTML in ours and "facts.json" in ours


def test_editor_text_is_shown_as_written(cli: Callable[..., Run], project: Path) -> None:
    facts = project / f"{SHEET_DIR}/facts/3-accounts.yaml"
    edit(
        facts,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: '67,000 {{ 7*7 }} {% if 1 %}x{% endif %} <b>bold</b> *em* [l](http://x)'",
    )
    # The numbers of the template syntax are grounded as the editor's own "calculations",
    # whose explanation is editor text too.
    how = "<i>seven</i> {{ 7*7 }} *em* [l](http://x)"
    edit(
        facts,
        "    citations:\n      - source: reuters-2023-self-media\n        quote: it closed",
        "    derived:\n"
        f"      - {{figure: '7', from: [accounts-closed], how: '{how}'}}\n"
        "      - {figure: '1 %', from: [accounts-closed], how: plain}\n"
        "    citations:\n      - source: reuters-2023-self-media\n        quote: it closed",
    )
    run = cli("build", "--site-dir", str(project / "out"), cwd=project)
    assert run.code == 0, run.err
    page = (project / "out" / SHEET_HTML).read_text(encoding="utf-8")
    card = page[re.search(r'<h3[^>]*\bid="accounts-closed"', page).start() :]  # type: ignore[union-attr]
    heading = card[: card.index("</h3>")]
    assert "<b>" not in heading and "<em>" not in heading and "<a href" not in heading
    assert "67,000 {{ 7*7 }} {% if 1 %}x{% endif %} <b>bold</b> *em* [l](http://x)" in text_of(
        heading
    )
    derived = card[card.index('class="fs-calculation"') : card.index("</article>")]
    derived = derived[: derived.index("</p>")]
    assert "<i>" not in derived and "<em>" not in derived and 'href="http' not in derived
    assert f"Editor's calculation: 7 ({how}), from Accounts closed" in text_of(derived)
    assert '<a href="#accounts-closed">Accounts closed</a>' in derived


def test_failed_build_leaves_the_site_alone(cli: Callable[..., Run], project: Path) -> None:
    site = project / "site"
    assert cli("build", cwd=project).code == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit(project / f"{SHEET_DIR}/facts/3-accounts.yaml", "amount: 67000", "amount: 68000")
    run = cli("build", cwd=project)
    assert run.code == 1
    assert "the published site was left as it was" in run.err
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    wait_no_scratch(project)


def test_downloads_validate_against_their_documented_format(built: Path) -> None:
    import csv
    import io

    import jsonschema

    from generator.downloads.exports import CSV_COLUMNS

    schema = json.loads((built / "schemas/facts-download.v2.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in ("facts.json", "sheets/china-self-media-2023/facts.json"):
        jsonschema.validate(json.loads((built / path).read_text("utf-8")), schema)
    rows = list(csv.reader(io.StringIO((built / "facts.csv").read_text("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 24 and all(len(r) == len(CSV_COLUMNS) for r in rows)
    by_id = {r[0]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_id["military-impersonation"]["figure"] == "nearly 13,000 accounts"
    assert by_id["military-impersonation"]["disputed"] == "yes"
    csl = json.loads((built / "sources.csl.json").read_text("utf-8"))
    assert [item["id"] for item in csl] == [
        "reuters-2023-self-media",
        "rewrite-2023-05-28-self-media",
    ]
    for item in csl:
        assert item["type"] == "article-newspaper" and item["title"]
        assert all(isinstance(p, int) for p in item["issued"]["date-parts"][0])


def test_published_json_schemas_match_the_format() -> None:
    from generator.content.format import json_schemas
    from generator.downloads.exports import dump_json

    from .conftest import ROOT

    for name, schema in json_schemas().items():
        shipped = (ROOT / "generator/schemas" / name).read_bytes()
        assert shipped == dump_json(schema, pretty=True), (
            "run: factsheet schema --write generator/schemas"
        )


def test_every_internal_link_and_anchor_resolves(built: Path) -> None:
    """Raw HTML links are not checked by MkDocs: every href on the site must land somewhere."""
    from urllib.parse import unquote, urljoin, urlsplit

    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            text = page.read_text(encoding="utf-8")
            ids[page] = set(re.findall(r'\bid="([^"]+)"', text))
        return ids[page]

    checked = 0
    for page in sorted(built.rglob("*.html")):
        base = "http://site/" + page.relative_to(built).as_posix()
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', page.read_text("utf-8")):
            url = urlsplit(urljoin(base, html.unescape(href)))
            if url.netloc != "site":
                continue
            target = built / unquote(url.path.lstrip("/"))
            if url.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page}: {href}"
            if url.fragment and target.suffix == ".html":
                assert url.fragment in anchors(target), f"{page}: {href}"
            checked += 1
    assert checked > 200

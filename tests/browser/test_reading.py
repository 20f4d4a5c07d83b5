"""Reading the sheet: compact cards that open, a page half as tall, print to PDF, contrast of
the charts in both schemes, numbered markers on source pages, and screenshots of every page
kind at both widths in both schemes (test-artifacts/screenshots/, gitignored) for a person
to look at.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import (
    ARTIFACTS,
    DESKTOP,
    DIFFERENCES,
    PHONE,
    SHEET,
    SOURCE,
    new_context,
    open_page,
)
from .test_accessibility import SCHEMES, SchemePage, report, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

SHEET_ID = "china-self-media-2023"
REWRITE = "sources/rewrite-2023-05-28-self-media/"

# The sheet page at 1280 px was 17,116 px tall before the cards were made compact
# (issue 18; the issue itself measured 15,270 px on an earlier, shorter sheet). The goal
# is half of that, with nothing lost: everything else is behind one control per card.
HEIGHT_BEFORE = 17_116
HEIGHT_GOAL = HEIGHT_BEFORE // 2

PAGE_KINDS = {
    "home": "",
    "sheet": SHEET,
    "differences": DIFFERENCES,
    "corrections": f"sheets/{SHEET_ID}/corrections/",
    "source": SOURCE,
    "source-rewrite": REWRITE,
    "sources": "sources/",
    "format": "format/",
    "404": "404.html",
}


def card(page: Page, fact: str) -> Locator:
    return page.locator(f"article.fs-fact:has(> h3#{fact})")


def folded(text: str) -> str:
    return " ".join(text.split())


def sheet_facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {fid: f for fid, f in facts.items() if f["sheet"] == SHEET_ID}


# --- progressive disclosure ----------------------------------------------------------------


def test_cards_start_compact_with_statement_figure_speaker_and_backing(
    page: Page, facts: dict[str, Any]
) -> None:
    open_page(page, SHEET)
    for fid, fact in sheet_facts(facts).items():
        c = card(page, fid)
        line = c.locator("p.fs-fact-line")
        assert line.is_visible(), fid
        shown = folded(line.inner_text())
        assert fact["corroboration"]["words"] in shown, (fid, shown)
        if fact["value"] and fact["value"]["text"]:
            assert shown.lower().startswith(fact["value"]["text"].lower()), (fid, shown)
        if fact["attributed_to"]:
            assert fact["attributed_to"] in shown, (fid, shown)
        # quotes, dates and "cite this" wait behind the one closed control
        more = c.locator("details.fs-fact-more")
        assert more.count() == 1, fid
        assert more.get_attribute("open") is None, fid
        assert not c.locator("blockquote.fs-quote").first.is_visible(), fid
        assert not c.locator("p.fs-cite").is_visible(), fid


def test_keyboard_tab_reaches_the_control_and_enter_opens_it(
    page: Page, facts: dict[str, Any]
) -> None:
    open_page(page, SHEET)
    fid = "accounts-closed"
    # start keyboard navigation at the card's title (sequential focus starts from a click)
    card(page, fid).locator("h3").click()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; return [e.tagName,"
        " e.parentElement.className, e.closest('article').querySelector('h3').id]; }"
    )
    assert focused == ["SUMMARY", "fs-fact-more", fid], focused
    page.keyboard.press("Enter")
    more = card(page, fid).locator("details.fs-fact-more")
    assert more.get_attribute("open") is not None
    quotes = card(page, fid).locator("blockquote.fs-quote")
    assert quotes.count() == len(facts[fid]["citations"])
    for i, citation in enumerate(facts[fid]["citations"]):
        assert quotes.nth(i).is_visible()
        assert folded(quotes.nth(i).inner_text()) == folded(citation["quote"])
    # everything inside is reachable by keyboard: the next stops are its links and Copy
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return (e.closest('details.fs-fact-more') ? 'in:' : 'out:')"
                " + e.tagName + ':' + e.textContent.trim().slice(0, 40); }"
            )
        )
        if reached[-1].startswith("out:"):
            break
    inside = [r for r in reached if r.startswith("in:")]
    assert any("See the passage" in r for r in inside), reached
    assert any(r.startswith("in:BUTTON:Copy") for r in inside), reached
    assert any(r.startswith("in:A:Permalink") for r in inside), reached
    page.keyboard.press("Shift+Tab")
    # Enter on the summary again closes it
    card(page, fid).locator("summary").focus()
    page.keyboard.press("Enter")
    assert more.get_attribute("open") is None


def test_a_link_to_a_fact_opens_its_card(page: Page) -> None:
    page.goto(f"{SHEET}#lesser-penalties", wait_until="load")
    opened = card(page, "lesser-penalties").locator("details.fs-fact-more")
    page.wait_for_function("d => d.open", arg=opened.element_handle())
    closed = card(page, "accounts-closed").locator("details.fs-fact-more")
    assert closed.get_attribute("open") is None
    # a key figure links to its fact within the page (hashchange): that card opens too
    page.locator("a.fs-key[href='#fake-news-closures']").click()
    other = card(page, "fake-news-closures").locator("details.fs-fact-more")
    page.wait_for_function("d => d.open", arg=other.element_handle())
    assert card(page, "fake-news-closures").locator("blockquote.fs-quote").first.is_visible()


def test_key_figures_carry_the_qualifier_in_the_number(page: Page, facts: dict[str, Any]) -> None:
    open_page(page, SHEET)
    keys = page.locator("a.fs-key")
    assert keys.count() >= 4
    qualified = 0
    for i in range(keys.count()):
        key = keys.nth(i)
        fid = key.get_attribute("href").lstrip("#")  # type: ignore[union-attr]
        number = key.locator(".fs-key-number")
        text = folded(number.inner_text())
        value = facts[fid]["value"]
        # the number as a reader copies it: with its qualifier, at the number's own size
        assert text.lower() == re.sub(rf"\s*{re.escape(value['unit'])}$", "", value["text"]).lower()
        if value["qualifier"] not in ("exact", None):
            qualified += 1
            assert text.split()[0].lower() in ("nearly", "about", "more", "at", "up", "fewer")
    assert qualified >= 2


def test_sheet_page_is_at_most_half_as_tall_at_1280_px(page: Page) -> None:
    assert page.viewport_size == DESKTOP
    open_page(page, SHEET)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= HEIGHT_GOAL, f"the sheet is {height} px tall at 1280 px; goal {HEIGHT_GOAL}"


def test_how_to_read_this_sheet_is_near_the_top(page: Page) -> None:
    open_page(page, SHEET)
    howto = page.locator("details.fs-howto")
    assert howto.count() == 1
    box = howto.bounding_box()
    assert box is not None and box["y"] < 400, box
    howto.locator("summary").click()
    text = folded(howto.inner_text())
    for words in ("origin", "outlet", "nearly 8,000", "conflict", "word it differently", "dashed"):
        assert words in text, words


# --- print -----------------------------------------------------------------------------------


def pdf_text(page: Page) -> str:
    from pypdf import PdfReader

    data = page.pdf(format="A4")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages)


def squeezed(text: str) -> str:
    """Without white space, and quotes alike: a PDF's text breaks lines where it likes."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", "", text)


def test_print_to_pdf_holds_every_fact_figure_quote_and_address(
    browser: Browser, base_url: str, facts: dict[str, Any]
) -> None:
    context, _ = new_context(browser, base_url, viewport=DESKTOP)
    try:
        page = context.new_page()
        open_page(page, SHEET)
        text = pdf_text(page)
        # printing leaves the cards as the reader had them
        assert page.locator("details.fs-fact-more[open]").count() == 0
    finally:
        context.close()
    flat = squeezed(text)
    assert squeezed("China's 2023 crackdown") in flat
    assert squeezed("As of 28 May 2023") in flat
    for fid, fact in sheet_facts(facts).items():
        assert squeezed(fact["statement"]) in flat, fid
        if fact["value"] and fact["value"]["text"]:
            assert squeezed(fact["value"]["text"]).lower() in flat.lower(), fid
        for citation in fact["citations"]:
            assert squeezed(citation["quote"]) in flat, (fid, citation["number"])
        # the address of each cited passage, in full
        assert squeezed(f"{base_url}sources/") in flat
    for number in ("1.4 million", "67,000", "Nearly 8,000", "About 930,000"):
        assert squeezed(number) in flat, number
    # no navigation, search or buttons
    for chrome in ("Table of contents", "Search", "Copy", "Permalink", "Made with"):
        assert chrome not in text, chrome


# --- contrast and axe in both schemes -------------------------------------------------------


@pytest.fixture(scope="module", params=list(SCHEMES))
def scheme_page(
    request: pytest.FixtureRequest, browser: Browser, base_url: str
) -> Iterator[SchemePage]:
    context, _ = new_context(browser, base_url, viewport=DESKTOP, color_scheme=request.param)
    try:
        yield SchemePage(context.new_page(), request.param)
    finally:
        context.close()


CONTRAST_JS = """
() => {
  const lum = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    const ch = m.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const bg = getComputedStyle(document.body).backgroundColor;
  const out = [];
  const check = (sel, prop) => {
    for (const el of document.querySelectorAll(sel)) {
      const c = getComputedStyle(el)[prop];
      if (!c || c === "none") { out.push([sel, prop, c, 0]); continue; }
      out.push([sel, prop, c, Math.round(ratio(c, bg) * 100) / 100]);
    }
  };
  check(".fs-bar-fill", "fill");
  check(".fs-band", "stroke");
  check(".fs-fuzz", "stroke");
  check(".fs-open", "stroke");
  check(".fs-arrow", "fill");
  check(".fs-cap", "stroke");
  check("ol.fs-timeline", "borderTopColor");
  return {bg, marks: out};
}
"""


def test_chart_marks_meet_3_to_1_in_both_schemes(scheme_page: SchemePage) -> None:
    scheme_page.open(SHEET)
    found = scheme_page.page.evaluate(CONTRAST_JS)
    marks = found["marks"]
    kinds = {m[0] for m in marks}
    assert {".fs-bar-fill", ".fs-band", ".fs-fuzz", ".fs-open", ".fs-cap"} <= kinds, kinds
    weak = [m for m in marks if m[3] < 3]
    assert not weak, f"{scheme_page.scheme} (page {found['bg']}): under 3:1: {weak}"


def test_passage_edges_meet_3_to_1_in_both_schemes(scheme_page: SchemePage) -> None:
    scheme_page.open(SOURCE)
    passages = 'check("mark.fs-cited", "borderLeftColor"); check("a.fs-marker", "borderTopColor");'
    script = CONTRAST_JS.replace('check(".fs-bar-fill", "fill");', passages)
    found = scheme_page.page.evaluate(script)
    marks = [m for m in found["marks"] if m[0] in ("mark.fs-cited", "a.fs-marker")]
    assert marks
    weak = [m for m in marks if m[3] < 3]
    assert not weak, f"{scheme_page.scheme}: under 3:1: {weak[:5]}"


@pytest.mark.parametrize("path", [SHEET, SOURCE, "404.html", "format/"])
def test_axe_with_every_card_open_in_both_schemes(
    scheme_page: SchemePage, axe_source: str, path: str
) -> None:
    """axe skips what is hidden: open every card and the explainer first."""
    scheme_page.open(path)
    scheme_page.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = run_axe(scheme_page.page, axe_source)
    assert not violations, f"axe on /{path} ({scheme_page.scheme}), opened:\n" + report(violations)


# --- source pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SOURCE, REWRITE])
def test_source_markers_number_each_citation_and_name_its_fact(
    page: Page, facts: dict[str, Any], path: str
) -> None:
    open_page(page, path)
    source_id = path.rstrip("/").rsplit("/", 1)[-1]
    want = {
        (fid, c["number"])
        for fid, f in facts.items()
        for c in f["citations"]
        if c["source"] == source_id
    }
    markers = page.locator(".fs-archive a.fs-marker")
    got = set()
    for i in range(markers.count()):
        marker = markers.nth(i)
        fid = (marker.get_attribute("href") or "").rsplit("#", 1)[-1]
        number = int(marker.locator("span").first.inner_text())
        got.add((fid, number))
        box = marker.bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, (fid, box)
        assert f"Citation {number} of the fact" in (marker.get_attribute("aria-label") or "")
    assert got == want

    # the fact's label shows on hover and on keyboard focus
    first = markers.first
    label = first.locator(".fs-marker-label")
    assert not label.is_visible()
    first.hover()
    assert label.is_visible() and label.inner_text().strip()
    page.mouse.move(0, 0)
    assert not label.is_visible()
    first.focus()
    assert label.is_visible()


def test_cited_passage_shows_where_it_starts_and_ends(page: Page) -> None:
    open_page(page, SOURCE)
    # an edge where a passage starts, one where it ends, none where a line wraps
    edges = page.evaluate(
        """() => [...document.querySelectorAll("mark.fs-cited")].map(m => {
            const s = getComputedStyle(m);
            return [m.id !== "", s.borderLeftWidth, s.borderRightWidth,
                    m.nextElementSibling !== null
                        && m.nextElementSibling.classList.contains("fs-cited-by"),
                    s.boxDecorationBreak || s.webkitBoxDecorationBreak];
        })"""
    )
    assert edges
    for starts, left, right, ends, decoration in edges:
        assert (left == "2px") == starts, edges
        assert (right == "2px") == ends, edges
        assert decoration == "slice", edges


# --- screenshots -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_every_page_kind(
    browser: Browser, base_url: str, scheme: str, size: str
) -> None:
    """test-artifacts/screenshots/KIND-SIZE-SCHEME.png, full page, for a person to look at."""
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    viewport = DESKTOP if size == "desktop" else PHONE
    context, log = new_context(browser, base_url, viewport=viewport, color_scheme=scheme)
    try:
        page = context.new_page()
        for kind, path in PAGE_KINDS.items():
            shot = out / f"{kind}-{size}-{scheme}.png"
            shot.unlink(missing_ok=True)
            open_page(page, path)
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
            page.screenshot(path=str(shot), full_page=True, timeout=90_000)
            assert shot.stat().st_size > 10_000, shot
        assert not log.problems(), log.problems()
    finally:
        context.close()


# --- 404 and format pages ---------------------------------------------------------------------


def test_not_found_page_is_in_the_sites_style_with_links_back(page: Page, base_url: str) -> None:
    open_page(page, "404.html")
    assert page.locator("article.md-content__inner h1").inner_text() == "Page not found"
    links = page.locator("article.md-content__inner ul a")
    assert links.count() == 3
    for i in range(links.count()):
        href = links.nth(i).evaluate("a => a.href")
        assert href.startswith(base_url), href
        response = page.request.get(href)
        assert response.ok, href


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_format_keys_never_break_mid_word(browser: Browser, base_url: str, viewport: Any) -> None:
    context, _ = new_context(browser, base_url, viewport=viewport)
    try:
        page = context.new_page()
        open_page(page, "format/")
        broken = page.evaluate(
            """() => [...document.querySelectorAll("td:first-child > code")]
                .filter(c => c.getClientRects().length > 1)
                .map(c => c.textContent)"""
        )
        assert not broken, broken
        assert page.locator("td:first-child > code").count() > 20
    finally:
        context.close()

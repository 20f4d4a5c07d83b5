"""Fact cards behave: citations expand to their quote, cite lines copy, permalinks link."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import SHEET, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser


def card(page: Page, fact: str) -> Locator:
    return page.locator(f"article.fs-fact:has(> h3#{fact})")


def folded(text: str) -> str:
    return " ".join(text.split())


def test_citation_expands_to_its_quote(page: Page, facts: dict[str, Any]) -> None:
    open_page(page, SHEET)
    more = card(page, "accounts-closed").locator("details.fs-fact-more")
    citations = more.locator("li.fs-citation")
    assert citations.count() == len(facts["accounts-closed"]["citations"])
    first = citations.first
    quote = first.locator("blockquote.fs-quote")
    assert more.get_attribute("open") is None
    assert not quote.is_visible()

    # the disclosure triangle, left of the summary's words
    more.locator("summary").click(position={"x": 6, "y": 8})
    assert more.get_attribute("open") is not None
    assert quote.is_visible()
    assert folded(quote.inner_text()) == folded(facts["accounts-closed"]["citations"][0]["quote"])
    assert first.locator("a", has_text="See the passage").is_visible()

    more.locator("summary").click(position={"x": 6, "y": 8})
    assert more.get_attribute("open") is None


def test_every_cite_line_has_a_copy_button(
    page: Page, base_url: str, facts: dict[str, Any]
) -> None:
    open_page(page, SHEET)
    on_sheet = [fid for fid, f in facts.items() if f["sheet"] == "china-self-media-2023"]
    cite_lines = page.locator("p.fs-cite")
    assert cite_lines.count() == len(on_sheet)
    # the cite lines are inside each card's details: open them all
    page.evaluate("document.querySelectorAll('details.fs-fact-more').forEach(d => d.open = true)")
    for i in range(cite_lines.count()):
        line = cite_lines.nth(i)
        assert line.locator("button.fs-copy").count() == 1, line.inner_text()
        assert line.locator("button.fs-copy").is_visible()

    # the cite text carries the fact's full address, and Copy puts exactly that text on
    # the clipboard
    line = card(page, "accounts-closed").locator("p.fs-cite")
    text = line.locator(".fs-cite-text").inner_text()
    assert text.endswith(f"{base_url}{SHEET}#accounts-closed"), text
    button = line.locator("button.fs-copy")
    assert button.get_attribute("aria-label")
    button.click()
    page.wait_for_function(
        "b => b.textContent === 'Copied'", arg=button.element_handle(), timeout=5_000
    )
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_permalink_updates_the_address(page: Page) -> None:
    open_page(page, SHEET)
    card(page, "lesser-penalties").locator("summary").click()
    permalink = card(page, "lesser-penalties").locator("a.fs-permalink")
    permalink.click()
    assert page.evaluate("location.hash") == "#lesser-penalties"
    assert page.url.endswith(f"/{SHEET}#lesser-penalties")
    heading = page.locator("h3#lesser-penalties")
    page.wait_for_function(
        "h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=heading.element_handle(),
    )


def test_cite_line_names_the_page_opened_from_disk(page: Page, site: Path) -> None:
    """Opened as a file (the README says: open site/index.html), a cite line carries the
    file's address (factsheet.js does not build it from location.origin, which Firefox
    gives as "null" for file:// pages)."""
    sheet = site / SHEET / "index.html"
    page.goto(sheet.as_uri(), wait_until="load")
    page.locator("button.fs-copy").first.wait_for(state="attached")
    # inside the card's closed details: its text, not what is rendered
    text = card(page, "accounts-closed").locator(".fs-cite-text").text_content() or ""
    assert text.endswith(f"{sheet.as_uri()}#accounts-closed"), text

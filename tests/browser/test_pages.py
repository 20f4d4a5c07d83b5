"""Pages open offline and cleanly: nothing fetched from outside 127.0.0.1, nothing logged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import DIFFERENCES, SHEET, SOURCE, PageLog, search

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Markdown that was not rendered: [text](target), **strong**
RAW_MARKDOWN = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)|\*\*[^*\n]+\*\*")


@pytest.mark.parametrize("path", ["", SHEET, SOURCE])
def test_page_is_offline_and_quiet(fresh: tuple[Page, PageLog], path: str) -> None:
    page, log = fresh
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    # the search worker and its index load on first use: exercise them too
    search(page, "accounts")
    page.wait_for_load_state("networkidle")
    assert page.locator("article.md-content__inner h1").count() == 1
    assert not log.problems(), "\n".join(log.problems())


def test_every_page_renders_its_markdown(page: Page, site: Path) -> None:
    """No page shows Markdown source (a link or emphasis that was not converted)."""
    pages = sorted(
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if p.parent != site
    )
    assert {SHEET, SOURCE, DIFFERENCES} <= set(pages)
    page.goto("", wait_until="domcontentloaded")
    # each page's article as the browser parses it, without scripts (JSON-LD)
    texts: dict[str, str] = page.evaluate(
        """async paths => {
            const texts = {};
            for (const path of paths) {
                const html = await (await fetch(path)).text();
                const doc = new DOMParser().parseFromString(html, "text/html");
                const article = doc.querySelector("article.md-content__inner");
                article.querySelectorAll("script, style").forEach(el => el.remove());
                texts[path] = article.textContent;
            }
            return texts;
        }""",
        ["./", *pages],
    )
    shown = {path: RAW_MARKDOWN.findall(text)[:5] for path, text in texts.items()}
    shown = {path: raw for path, raw in shown.items() if raw}
    assert not shown, f"Markdown shown as text: {shown}"

"""Material's built-in search, typed into like a reader does, lands on the fact itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from .conftest import SHEET, open_page, result_links, search, wait_until_fact_shown

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def fact_anchors(hrefs: list[str], facts: dict[str, Any]) -> list[str]:
    """The facts (ids) of the sheet page that these result links point to."""
    found = []
    for href in hrefs:
        url = urlsplit(href)
        if url.path == f"/{SHEET}" and url.fragment in facts:
            found.append(url.fragment)
    return found


@pytest.mark.parametrize(
    ("query", "fact"),
    [
        # a figure as written: the separator in mkdocs.yml keeps "67,000" one token
        ("67,000", "accounts-closed"),
        # a name
        ("Weibo", "platforms"),
        # Chinese: jieba segments the index (自 / 媒体, joined by U+200B, which the
        # separator must split on); Material segments the query against the index
        ("自媒体", "self-media"),
    ],
)
def test_search_lands_on_the_fact(page: Page, facts: dict[str, Any], query: str, fact: str) -> None:
    assert fact in facts
    open_page(page, SHEET)
    search(page, query)
    hrefs = result_links(page)
    assert fact in fact_anchors(hrefs, facts), (
        f"no search result for fact {fact!r} when searching {query!r}; results: {hrefs}"
    )

    page.locator(f"a.md-search-result__link[href$='#{fact}']").first.click()
    page.wait_for_url(lambda url: urlsplit(url).fragment == fact)
    page.wait_for_load_state("load")
    url = urlsplit(page.url)
    assert url.path == f"/{SHEET}"
    assert url.fragment == fact

    heading = page.locator(f"h3#{fact}")
    wait_until_fact_shown(page, fact)
    box = heading.bounding_box()
    header = page.locator("header.md-header").bounding_box()
    assert box is not None and header is not None
    viewport = page.viewport_size
    assert viewport is not None
    # fully visible, and not hidden under Material's fixed header
    assert box["y"] >= header["y"] + header["height"] - 1, (box, header)
    assert box["y"] + box["height"] <= viewport["height"], (box, viewport)


def test_search_finds_facts_by_an_organisation(page: Page, facts: dict[str, Any]) -> None:
    open_page(page, SHEET)
    search(page, "Cyberspace Administration")
    found = set(fact_anchors(result_links(page), facts))
    attributed = {
        fid
        for fid, f in facts.items()
        if (f.get("attributed_to") or "").startswith("Cyberspace Administration")
    }
    assert attributed, "the bundled sheet attributes facts to the Cyberspace Administration"
    missing = attributed - found
    assert len(found) >= 5 and not missing, (
        f"search found facts {sorted(found)}; missing facts attributed to the CAC: {missing}"
    )


def test_chinese_words_are_highlighted_whole(page: Page) -> None:
    """自媒体 is indexed as 自 | 媒体; the result highlights the whole word, not 自 alone."""
    open_page(page, SHEET)
    search(page, "自媒体")
    marks = page.locator(".md-search-result__item mark")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.md-search-result__item mark')]
            .some(m => m.textContent.replace(/\\u200b/g, '') === '自媒体')""",
        timeout=5_000,
    )
    texts = {t.replace("\u200b", "") for t in marks.all_text_contents()}
    assert "自媒体" in texts, texts
    assert "自" not in texts, texts


def test_a_fact_stating_the_word_ranks_above_those_naming_it_as_speaker(
    page: Page, facts: dict[str, Any]
) -> None:
    """ "Cyberspace" is in one statement and in many attributions ("Cyberspace
    Administration of China"): the statement comes first among the facts."""
    open_page(page, SHEET)
    search(page, "Cyberspace")
    found = fact_anchors(result_links(page), facts)
    stating = [fid for fid in found if "cyberspace" in facts[fid]["statement"].lower()]
    assert stating, found
    assert found[0] in stating, found


def test_snippets_read_as_the_card_does(page: Page, facts: dict[str, Any]) -> None:
    """A result starts with the figure as shown ("About 25,000 accounts"), not with index
    spellings ("25,000 25000")."""
    open_page(page, SHEET)
    search(page, "25,000")
    fid = "public-institution-impersonation"
    link = page.locator(f"a.md-search-result__link[href$='#{fid}']").first
    text = " ".join(link.inner_text().split())
    figure = facts[fid]["value"]["text"]
    assert figure.lower() in text.lower(), text
    assert "25,000 25000" not in text, text
    body = text.split(facts[fid]["statement"], 1)[-1].strip()
    assert body.lower().startswith(figure.lower()), body

"""A page's HTML kept aside on disk comes back exactly as it went in."""

from __future__ import annotations

from generator.speed.htmlstore import HtmlStore


def test_html_comes_back_exactly() -> None:
    store = HtmlStore()
    pages = {
        "a.md": "<p>plain</p>",
        "b.md": "<p>自媒体 — “quoted” 😀</p>",
        "c.md": "lone surrogate \ud800 kept",
        "d.md": "",
    }
    for uri, html in pages.items():
        store.put(uri, html)
    assert len(store) == 4 and "a.md" in store and "x.md" not in store
    for uri in reversed(list(pages)):
        assert store.take(uri) == pages[uri]
    assert store.take("b.md") == pages["b.md"]  # still there: a page can be taken again
    store.close()

"""Raw HTML blocks set aside during Markdown conversion come back exactly as they were."""

from __future__ import annotations

import markdown

from generator.site.rawhtml import lift, restore


def test_blocks_come_back_in_place_and_only_once() -> None:
    page = (
        "# Title\n\n"
        '<article class="fs-fact">\n<h3 id="one">One</h3>\n</article>\n\n'
        "Some *text*.\n\n"
        '<div class="fs-chart">\n<div><p id="two">Two</p></div>\n</div>\n'
    )
    lifted = lift(page)
    assert len(lifted.blocks) == 2 and lifted.anchors == {"one", "two"}
    html = markdown.markdown(lifted.markdown)
    restored = restore(html, lifted)
    assert restored == markdown.markdown(page)
    # a block is put back once: its own text is never taken for another placeholder
    first, second = lifted.blocks
    lifted.blocks[first] = f"<p>{second}</p>"
    twice = restore(f"{first}\n{second}\n{second}", lifted)
    assert twice == f"<p>{second}</p>\n{lifted.blocks[second]}\n{second}"


def test_lists_definitions_and_json_ld_are_set_aside_too() -> None:
    """Source pages' lists and the sheet's JSON-LD are most of what Markdown still parsed."""
    page = (
        "# Source\n\n"
        '<dl class="fs-source-meta">\n<div><dt>Type</dt><dd id="t">news</dd></div>\n</dl>\n\n'
        '<ul class="fs-citing">\n<li><a href="#f1">One</a></li>\n<li>Two</li>\n</ul>\n\n'
        '<script type="application/ld+json">{"@id": "#a", "text": "</b>"}</script>\n\n'
        "Closing *words*.\n"
    )
    lifted = lift(page)
    assert len(lifted.blocks) == 3 and lifted.anchors == {"t"}
    assert "<li>" not in lifted.markdown and "ld+json" not in lifted.markdown
    assert restore(markdown.markdown(lifted.markdown), lifted) == markdown.markdown(page)


def test_a_script_that_is_not_whole_on_its_line_stays() -> None:
    page = '<script type="application/ld+json">{"a": 1}</script> and text\n'
    assert lift(page).blocks == {}

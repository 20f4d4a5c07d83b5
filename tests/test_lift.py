"""Raw HTML blocks set aside during Markdown conversion come back exactly as they were."""

from __future__ import annotations

import markdown

from generator.lift import lift, restore


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

"""A retracted fact is shown as retracted in every output, and stands nowhere as a figure."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from generator.generate import generate
from generator.render.charts import sheet_charts
from generator.render.timeline import sheet_timeline

from .conftest import SHEET_DIR, Run, line_of
from .test_exports import site_view

REASON = "The figure was the regional, not the national, total."


def retract(project: Path, fact_id: str, date: str = "2023-06-05") -> None:
    """Mark a fact retracted in its facts file (after its id, so key order does not matter)."""
    for path in (project / SHEET_DIR / "facts").glob("*.yaml"):
        text = path.read_text("utf-8")
        line = f"  - id: {fact_id}\n"
        if line in text:
            block = f"    retracted:\n      date: {date}\n      reason: {REASON}\n"
            path.write_text(text.replace(line, line + block, 1), "utf-8")
            return
    raise AssertionError(f"fact {fact_id} not found")


def test_a_retracted_fact_is_retracted_in_every_output(project: Path) -> None:
    view = site_view(project)
    sheet = view.sheets[0]
    keys = {k.fact.id for k in sheet.key_figures}
    charted = [b.fact.id for c in sheet_charts(sheet) for b in c.bars if b.fact.id not in keys]
    dated = [e.fact.id for e in sheet_timeline(sheet) if e.fact.id not in keys]
    assert charted and dated, "the bundled sheet has a chart and a timeline"
    chosen = {charted[0], dated[0]}
    for fact_id in chosen:
        retract(project, fact_id)

    # charts and the timeline leave them out
    sheet = site_view(project).sheets[0]
    assert chosen.isdisjoint(b.fact.id for c in sheet_charts(sheet) for b in c.bars)
    assert chosen.isdisjoint(e.fact.id for e in sheet_timeline(sheet))

    result = generate(project / "content", project / "templates")
    assert result.site is not None, [p.format() for p in result.problems]
    files, pages = result.site.downloads, result.site.pages
    for prefix in ("", f"sheets/{sheet.id}/"):
        facts = {f["id"]: f for f in json.loads(files[prefix + "facts.json"])["facts"]}
        rows = list(csv.DictReader(io.StringIO(files[prefix + "facts.csv"].decode("utf-8-sig"))))
        for row in rows:
            record = facts[row["id"]]
            if row["id"] in chosen:
                assert record["retracted"] == {"date": "2023-06-05", "reason": REASON}
                assert (row["retracted"], row["retraction_date"], row["retraction_reason"]) == (
                    "yes",
                    "2023-06-05",
                    REASON,
                )
            else:
                assert record["retracted"] is None
                assert (row["retracted"], row["retraction_date"], row["retraction_reason"]) == (
                    "no",
                    "",
                    "",
                )
        assert len(rows) == len(facts)

    page = pages[f"sheets/{sheet.id}/index.md"]
    assert isinstance(page, str)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert script is not None
    claims = {c["@id"][1:]: c for c in json.loads(script.group(1))["@graph"] if "@id" in c}
    for fact_id, claim in claims.items():
        if fact_id in chosen:
            assert claim["creativeWorkStatus"] == "Retracted"
            assert claim["correction"] == {
                "@type": "CorrectionComment",
                "datePublished": "2023-06-05",
                "text": REASON,
            }
            assert "about" not in claim  # the figure is not asserted
            assert claim["text"] == view.content.facts[fact_id].statement
        else:
            assert "creativeWorkStatus" not in claim and "correction" not in claim

    entries = {e.anchor: e for e in result.site.search if e.page == f"sheets/{sheet.id}/index.md"}
    for fact_id in chosen:
        assert entries[fact_id].title.startswith("Retracted: ")
        assert f"Retracted on 5 June 2023: {REASON}" in entries[fact_id].text
    others = [e for a, e in entries.items() if a in view.content.facts and a not in chosen]
    assert others and not any(e.title.startswith("Retracted") for e in others)

    # the timeline on the page links to none of them
    timeline = page[page.index('<ol class="fs-timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert not any(f'href="#{fact_id}"' in timeline for fact_id in chosen)


def test_a_key_figure_naming_a_retracted_fact_is_a_located_error(
    cli: Callable[..., Run], project: Path
) -> None:
    view = site_view(project)
    key = view.sheets[0].key_figures[0].fact.id
    retract(project, key)
    run = cli("check", cwd=project)
    assert run.code == 1
    sheet_yaml = project / SHEET_DIR / "sheet.yaml"
    line = line_of(sheet_yaml, f"fact: {key}")
    col = len("  - fact: ") + 1
    expected = (
        f"{SHEET_DIR}/sheet.yaml:{line}:{col}: error: key figure '{key}' is retracted; "
        "remove it from key_figures"
    )
    assert expected in run.err

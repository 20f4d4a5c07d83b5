"""Downloads are assembled from each fact's encoded record; the bytes are those of one dump."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.exports import (
    CSV_COLUMNS,
    dump_json,
    fact_records,
    facts_csv,
    facts_document,
    files,
)
from generator.generate import check
from generator.history import read_history
from generator.views import SiteView, build_views


def site_view(project: Path) -> SiteView:
    loaded, findings = check(project / "content")
    assert not loaded.problems and not findings.problems
    return build_views(loaded.content, findings.quotes, read_history(project / "content"))


def test_assembled_downloads_equal_a_single_dump(project: Path) -> None:
    view = site_view(project)
    records = {k: e.record for k, e in fact_records(view).items()}
    out = files(view)
    assert out["facts.json"] == dump_json(facts_document(view, view.sheets, records))
    all_facts = [f for s in view.sheets for f in s.facts]
    assert out["facts.csv"] == facts_csv(all_facts, records)
    for sheet in view.sheets:
        base = f"sheets/{sheet.id}/"
        assert out[base + "facts.json"] == dump_json(facts_document(view, [sheet], records))
        assert out[base + "facts.csv"] == facts_csv(sheet.facts, records)


def test_csv_rows_follow_the_records(project: Path) -> None:
    view = site_view(project)
    out = files(view)
    rows = list(csv.reader(io.StringIO(out["facts.csv"].decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    document = json.loads(out["facts.json"])
    assert [r[0] for r in rows[1:]] == [f["id"] for f in document["facts"]]
    # a statement with a comma or a newline stays one cell
    statements = {r[0]: r[CSV_COLUMNS.index("statement")] for r in rows[1:]}
    for fact in document["facts"]:
        assert statements[fact["id"]] == fact["statement"]

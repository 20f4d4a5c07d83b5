"""Downloads are assembled from each fact's encoded record; the bytes are those of one dump."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.analysis.history import read_history
from generator.analysis.views import SiteView, build_views
from generator.downloads.exports import (
    CSV_COLUMNS,
    csl_item,
    downloads,
    dump_json,
    encode_facts,
    facts_document,
)
from generator.generate import check


def site_view(project: Path) -> SiteView:
    loaded, findings = check(project / "content")
    assert not loaded.problems and not findings.problems
    return build_views(loaded.content, findings.quotes, read_history(project / "content"))


def test_assembled_downloads_equal_a_single_dump(project: Path) -> None:
    view = site_view(project)
    records = {k: e.record for k, e in encode_facts(view).items()}
    out = downloads(view)
    assert out["facts.json"] == dump_json(facts_document(view, view.sheets, records))
    sources = list(view.content.sources.values())
    assert out["sources.csl.json"] == dump_json([csl_item(s) for s in sources])
    site_rows = read_csv(out["facts.csv"])
    sheet_rows = [CSV_COLUMNS]
    for sheet in view.sheets:
        base = f"sheets/{sheet.id}/"
        assert out[base + "facts.json"] == dump_json(facts_document(view, [sheet], records))
        assert out[base + "sources.csl.json"] == dump_json([csl_item(s) for s in sheet.sources])
        rows = read_csv(out[base + "facts.csv"])
        assert rows[0] == CSV_COLUMNS
        sheet_rows.extend(rows[1:])
    # the site's CSV is one header, then the sheets' rows in order
    assert site_rows == sheet_rows
    assert len(site_rows) == 1 + len(records)


def read_csv(data: bytes) -> list[tuple[str, ...]]:
    return [tuple(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))]


def test_csv_rows_follow_the_records(project: Path) -> None:
    view = site_view(project)
    out = downloads(view)
    rows = read_csv(out["facts.csv"])
    assert rows[0] == CSV_COLUMNS
    document = json.loads(out["facts.json"])
    assert [r[0] for r in rows[1:]] == [f["id"] for f in document["facts"]]
    # a statement with a comma or a newline stays one cell
    statements = {r[0]: r[CSV_COLUMNS.index("statement")] for r in rows[1:]}
    for fact in document["facts"]:
        assert statements[fact["id"]] == fact["statement"]


def test_a_sheets_sources_keep_the_content_order(tmp_path: Path) -> None:
    """A sheet citing a few of many sources lists them as the site does, in content order."""
    import subprocess
    import sys

    from generator.downloads.exports import _cited

    root = Path(__file__).parent.parent
    content = tmp_path / "content"
    made = subprocess.run(
        [sys.executable, str(root / "bench/make_content.py"), "2000", str(content)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    view = site_view(tmp_path)
    few = 0
    for sheet in view.sheets:
        sources = _cited(view, [sheet])
        cited = {c.source.id for f in sheet.facts for c in f.citations}
        assert [s.id for s in sources] == [s for s in view.content.sources if s in cited]
        few += len(cited) * 4 < len(view.content.sources)
    assert few, "no sheet cites only a few of the sources"


def test_a_build_writes_the_same_downloads_as_it_makes_them(project: Path, tmp_path: Path) -> None:
    from generator.paths import Urls
    from generator.render.pages import _downloads_to_disk

    view = site_view(project)
    for site_url in (None, "https://example.org/factsheets/"):
        in_memory = downloads(view, site_url=site_url)
        folder = tmp_path / f"files-{bool(site_url)}"
        written = _downloads_to_disk(view, folder, Urls(site_url))
        assert list(written) == list(in_memory)  # same files, same order
        for path, data in in_memory.items():
            assert written[path].path == folder / path
            assert written[path].path.read_bytes() == data, path
        assert (site_url or "sheets/") in in_memory["facts.json"].decode()

"""What readers see: key figures, charts that stay honest, the timeline, JSON-LD, several sheets."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from generator.analysis import views
from generator.analysis.coverage import source_coverage
from generator.analysis.views import SiteView, build_views
from generator.generate import check
from generator.render.charts import sheet_charts
from generator.render.timeline import sheet_timeline
from generator.speed.memo import memoised

from .conftest import ROOT, Run, build_bundled

SHEET_HTML = "sheets/china-self-media-2023/index.html"


@pytest.fixture(scope="module")
def site_view() -> SiteView:
    loaded, findings = check(ROOT / "content")
    return build_views(loaded.content, findings.quotes)


def test_charts_never_mix_scopes_or_units(site_view: SiteView) -> None:
    (sheet,) = site_view.sheets
    charts = sheet_charts(sheet)
    assert [c.title for c in charts] == [
        "Posts: CAC investigation, 10 March – 22 May 2023",
        "Accounts: CAC investigation, 10 March – 22 May 2023",
        "Accounts: Categories reported without a stated campaign",
    ]
    for chart in charts:
        scopes = {b.fact.fact.scope for b in chart.bars}
        units = {b.fact.fact.value.unit for b in chart.bars if b.fact.fact.value}
        assert len(scopes) == 1 and len(units) == 1
        assert "total" not in chart.description.lower()
        assert "not added up" in chart.description


def test_charts_keep_qualifiers(site_view: SiteView) -> None:
    (sheet,) = site_view.sheets
    bars = {b.fact.id: b for chart in sheet_charts(sheet) for b in chart.bars}
    assert bars["unqualified-advice"].kind == "lower"  # more than 430,000
    assert bars["military-impersonation"].kind == "upper"  # nearly 13,000
    assert bars["lesser-penalties"].kind == "approx"  # about 930,000
    assert bars["accounts-closed"].kind == "exact"
    band = bars["posts-hundreds-of-thousands"]
    assert band.kind == "band" and band.x0 > 4  # drawn between the bounds, not from zero
    # the sources differ on who said it and word the qualifier differently, not on the number
    assert not bars["military-impersonation"].disputed
    # linear scale: lengths compare truthfully within a chart
    closed, fake = bars["accounts-closed"], bars["fake-news-closures"]
    ratio = (fake.x1 - fake.x0) / (closed.x1 - closed.x0)
    assert ratio == pytest.approx(8000 / 67000, rel=0.05)
    # the separate crackdown (one figure) is not charted against anything
    assert "news-anchor-impersonation" not in bars


def test_chart_has_a_text_alternative(site_view: SiteView) -> None:
    (sheet,) = site_view.sheets
    chart = sheet_charts(sheet)[2]
    for words in (
        "Unqualified advice: more than 430,000 accounts",
        "Fake military accounts: nearly 13,000 accounts",
    ):
        assert words in chart.description
    assert "(sources differ)" not in chart.description  # no source gives another number


def test_timeline_orders_dated_facts(site_view: SiteView) -> None:
    (sheet,) = site_view.sheets
    entries = sheet_timeline(sheet)
    assert [(e.when, e.fact.id, e.inferred) for e in entries] == [
        ("since 2021", "since-2021", False),
        ("10 March – 22 May 2023", "campaign-period", False),
        ("26 May 2023", "statement-date", True),
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bundled(tmp_path_factory.mktemp("reader"))


def test_sheet_page_shows_charts_and_timeline(built: Path) -> None:
    page = (built / SHEET_HTML).read_text(encoding="utf-8")
    svgs = re.findall(r"<svg class=\"fs-chart-svg\"[^>]*>", page)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert page.count("<desc id=") == 3
    assert '<ol class="fs-timeline">' in page
    # a period is two <time> elements: an interval is not a valid datetime (Nu checker)
    assert (
        '<time datetime="2023-03-10">10 March 2023</time> – '
        '<time datetime="2023-05-22">22 May 2023</time>'
    ) in page
    assert 'datetime="2023-03-10/' not in page


def jsonld(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD"
    data = json.loads(match.group(1))
    assert isinstance(data, dict)
    return data


def test_json_ld_claims_with_bounded_quantities(built: Path) -> None:
    data = jsonld((built / SHEET_HTML).read_text(encoding="utf-8"))
    assert data["@context"] == "https://schema.org"
    graph = data["@graph"]
    assert isinstance(graph, list)
    claims = {c["@id"]: c for c in graph if c["@type"] == "Claim"}
    assert len(claims) == 23
    nearly = claims["#military-impersonation"]["about"]
    assert nearly == {
        "@type": "QuantitativeValue",
        "description": "nearly 13,000 accounts",
        "maxValue": 13000,
        "unitText": "accounts",
    }
    more = claims["#unqualified-advice"]["about"]
    assert more["minValue"] == 430000 and "maxValue" not in more and "value" not in more
    about = claims["#lesser-penalties"]["about"]
    assert "minValue" not in about and "maxValue" not in about and "value" not in about
    exact = claims["#accounts-closed"]["about"]
    assert exact["value"] == exact["minValue"] == exact["maxValue"] == 67000
    appearances = claims["#accounts-closed"]["appearance"]
    assert appearances[0]["headline"].startswith("China cracks down")
    assert len(appearances) == 2


def test_several_sheets_share_one_site(cli: Callable[..., Run], project: Path) -> None:
    shutil.copytree(
        Path(__file__).parent / "fixtures/second-sheet",
        project / "content/sheets/test-second-sheet",
    )
    run = cli("build", cwd=project)
    assert run.code == 0, run.err
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "China's 2023 crackdown" in home and "Second sheet (test fixture)" in home
    second = (site / "sheets/test-second-sheet/index.html").read_text(encoding="utf-8")
    assert 'id="test-posts"' in second
    # both sheets are sections of the navigation, each with its differences page
    for page in (home, second):
        assert page.count("Where sources differ") >= 2
    data = json.loads((site / "sheets/test-second-sheet/facts.json").read_text("utf-8"))
    assert [f["id"] for f in data["facts"]] == ["test-posts", "test-platforms"]
    everything = json.loads((site / "facts.json").read_text("utf-8"))
    assert len(everything["facts"]) == 25 and len(everything["sheets"]) == 2
    assert Decimal(1400000) == Decimal(data["facts"][0]["value"]["amount"])


def test_a_build_works_out_coverage_when_the_source_page_is_rendered() -> None:
    # most of the views' time at scale: left to the page, which renders on any core
    loaded, findings = check(ROOT / "content")
    built = build_views(loaded.content, findings.quotes)
    served = build_views(loaded.content, findings.quotes, steps=memoised(views.PLAIN))
    for lazy, memo in zip(built.sources, served.sources, strict=True):
        assert lazy.known_coverage is None and memo.known_coverage is None
        expected = source_coverage(lazy.source, findings.quotes)
        assert lazy.coverage == memo.coverage == expected
        assert expected.total > 0
        assert lazy.coverage is lazy.coverage  # worked out once

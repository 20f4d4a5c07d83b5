"""axe-core on the main pages, in the light and the dark (slate) palette, and on search results.

axe-core comes from npm (package.json pins it; ``npm ci`` installs it into node_modules/).
Violations with impact "serious" or "critical" fail the test; they are printed in full.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import DESKTOP, DIFFERENCES, SHEET, SOURCE, new_context, search

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

FAILING_IMPACTS = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}


@dataclass
class SchemePage:
    page: Page
    scheme: str  # "light" or "dark"

    def open(self, path: str) -> None:
        self.page.goto(path, wait_until="load")
        palette = self.page.locator("body").get_attribute("data-md-color-scheme")
        assert palette == SCHEMES[self.scheme], (self.scheme, palette)


@pytest.fixture(scope="module", params=list(SCHEMES))
def scheme_page(
    request: pytest.FixtureRequest, browser: Browser, base_url: str
) -> Iterator[SchemePage]:
    """One page per colour scheme, reused by this module's tests (Material follows the
    system's preference: prefers-color-scheme: dark selects the slate palette)."""
    context, _ = new_context(browser, base_url, viewport=DESKTOP, color_scheme=request.param)
    try:
        yield SchemePage(context.new_page(), request.param)
    finally:
        context.close()


def run_axe(page: Page, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(" "),
                    html: n.html.slice(0, 200),
                    summary: n.failureSummary,
                })),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            lines.append(f"    {node['target']}")
            lines.append(f"        {node['html']}")
            lines.append("        " + " ".join(node["summary"].split()))
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more nodes")
    return "\n".join(lines)


@pytest.mark.parametrize("path", [SHEET, SOURCE, DIFFERENCES, "", f"{SHEET}facts/accounts-closed/"])
def test_page_has_no_serious_accessibility_violation(
    scheme_page: SchemePage, axe_source: str, path: str
) -> None:
    scheme_page.open(path)
    violations = run_axe(scheme_page.page, axe_source)
    assert not violations, f"axe on /{path} ({scheme_page.scheme}):\n" + report(violations)


def test_search_results_have_no_serious_accessibility_violation(
    scheme_page: SchemePage, axe_source: str
) -> None:
    """The open search overlay with highlighted results (on a source page, so that the
    overlay's own problems are not mixed with the sheet page's)."""
    scheme_page.open(SOURCE)
    search(scheme_page.page, "67,000")
    assert scheme_page.page.locator(".md-search-result__item mark").count() > 0
    violations = run_axe(scheme_page.page, axe_source)
    assert not violations, f"axe with search results open ({scheme_page.scheme}):\n" + report(
        violations
    )

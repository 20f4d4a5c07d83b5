"""The sheet page on a phone and on a desktop: screenshots for people, checks for machines.

Full-page screenshots go to test-artifacts/ (gitignored) for a person to look at:
sheet-phone.png (390 px wide at device scale 2) and sheet-desktop.png (1280 px wide).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import (
    ARTIFACTS,
    DESKTOP,
    DIFFERENCES,
    PHONE,
    SHEET,
    SOURCE,
    new_context,
    open_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

MIN_TARGET = 24  # CSS pixels: WCAG 2.2 success criterion 2.5.8, target size (minimum)


@pytest.fixture(scope="module")
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    context, _ = new_context(
        browser, base_url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshots_of_the_sheet(phone: Page, page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(phone, SHEET)
    open_page(page, SHEET)
    shots = {
        "phone": (phone, ARTIFACTS / "sheet-phone.png", PHONE["width"] * 2),
        "desktop": (page, ARTIFACTS / "sheet-desktop.png", DESKTOP["width"]),
    }
    for name, (shown, path, width) in shots.items():
        path.unlink(missing_ok=True)
        # a 20,000 px page at device scale 2 takes a while to encode on a busy machine
        shown.screenshot(path=str(path), full_page=True, timeout=90_000)
        assert path.is_file(), name
        assert path.stat().st_size > 100_000, (name, path.stat().st_size)
        got_width, got_height = png_size(path)
        assert got_width == width, (name, got_width)
        assert got_height > 3 * got_width, f"{name}: a full page is far taller ({got_height})"


@pytest.mark.parametrize("path", [SHEET, SOURCE, DIFFERENCES, "sources/", "format/"])
def test_phone_page_does_not_scroll_sideways(phone: Page, path: str) -> None:
    """Nothing sticks out of a 390 px screen, unless inside a box that scrolls on its own
    (Material wraps tables in one)."""
    open_page(phone, path)
    widths = phone.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    sticking_out = phone.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const found = [];
            for (const el of document.querySelectorAll(".md-content *")) {
                const box = el.getBoundingClientRect();
                if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
                let scrolls = false;
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    const style = getComputedStyle(a);
                    if (style.overflowX !== "visible" && style.overflowX !== "clip") {
                        const outer = a.getBoundingClientRect();
                        if (outer.right <= width + 1 && outer.left >= -1) { scrolls = true; break; }
                    }
                }
                if (!scrolls) found.push(`${el.tagName.toLowerCase()}.${el.className} `
                    + `[${Math.round(box.left)}, ${Math.round(box.right)}]`);
            }
            return found;
        }"""
    )
    assert not sticking_out, f"wider than the {PHONE['width']} px screen: {sticking_out[:10]}"


@pytest.mark.parametrize("path", [SHEET, DIFFERENCES])
def test_phone_tables_fit_the_screen(phone: Page, path: str) -> None:
    """The side-by-side tables of disputed facts need no sideways scrolling on a phone."""
    open_page(phone, path)
    too_wide = phone.evaluate(
        """() => {
            const content = document.querySelector("article.md-content__inner");
            const right = content.getBoundingClientRect().right;
            return [...content.querySelectorAll("table")]
                .map(t => t.getBoundingClientRect())
                .filter(box => box.right > right + 1)
                .map(box => `${Math.round(box.width)} px wide, ends at ${Math.round(box.right)}`
                    + ` (content ends at ${Math.round(right)})`);
        }"""
    )
    assert not too_wide, f"tables wider than a {PHONE['width']} px screen on /{path}: {too_wide}"


@pytest.mark.parametrize("path", [SHEET, SOURCE])
def test_phone_tap_targets_are_big_enough(phone: Page, path: str) -> None:
    open_page(phone, path)
    # the buttons and links inside each card count too: open them
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    small = phone.evaluate(
        """min => {
            const found = [];
            const selector = "button.fs-copy, a.fs-permalink, details > summary, "
                + "a.fs-key, a.fs-marker, .md-header__button, .md-search__input";
            for (const el of document.querySelectorAll(selector)) {
                const box = el.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;  // not shown
                if (box.width < min || box.height < min)
                    found.push(`${el.tagName.toLowerCase()}.${el.className}: `
                        + `${Math.round(box.width)}x${Math.round(box.height)}`);
            }
            return found;
        }""",
        MIN_TARGET,
    )
    assert not small, f"tap targets under {MIN_TARGET}x{MIN_TARGET} px: {sorted(set(small))}"

"""Every kind of page is valid HTML by the Nu HTML Checker (vnu.jar, from npm's vnu-jar).

Zero errors from our templates. The Material theme's own known errors are listed below,
each by its message and the theme markup it is about, and filtered one by one: any other
error, or one of these on markup that is not the theme's, fails the test.

The checker runs on the system's Java (``java -jar node_modules/vnu-jar/build/dist/vnu.jar``);
``npm ci`` installs vnu-jar next to axe-core (see package.json). Without Java or vnu.jar
the test fails and says which is missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.browser

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PAGES = [
    "index.html",
    "404.html",
    "format/index.html",
    "sources/index.html",
    "sources/reuters-2023-self-media/index.html",
    "sources/rewrite-2023-05-28-self-media/index.html",
    "sheets/china-self-media-2023/index.html",
    "sheets/china-self-media-2023/differences/index.html",
    "sheets/china-self-media-2023/corrections/index.html",
    "sheets/china-self-media-2023/facts/accounts-closed/index.html",
]

# (name, message pattern, pattern the offending markup must match): Material 9's own markup.
THEME_ERRORS = [
    (
        # <input class="md-toggle" type="checkbox" autocomplete="off">: the drawer and search
        # toggles (Material sets autocomplete so that Firefox does not restore them)
        "material-toggle-autocomplete",
        r"^Attribute “autocomplete” is only allowed when the input type is",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
    ),
    (
        # <label class="md-nav__link" for="__nav_N" tabindex="">: section labels of the nav
        "material-nav-label-tabindex",
        r"^Bad value “” for attribute “tabindex” on element “label”",
        r'<label class="md-nav__link[^"]*" for="__nav_\d+"',
    ),
    (
        # <label class="md-nav__title" for="__toc">: the table of contents' title, pointing
        # at a toggle Material hides
        "material-toc-title-label",
        r"^The value of the “for” attribute of the “label” element must be the ID of a "
        r"non-hidden form control",
        r'<label class="md-nav__title" for="__toc"',
    ),
]


def known(message: dict[str, object]) -> str | None:
    text = str(message.get("message", ""))
    extract = str(message.get("extract", ""))
    for name, pattern, markup in THEME_ERRORS:
        if re.search(pattern, text) and re.search(markup, extract):
            return name
    return None


def test_every_page_kind_is_valid_html(site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed: the Nu HTML Checker (vnu.jar) needs it "
            "(Debian: apt-get install default-jre-headless)",
            pytrace=False,
        )
    if not VNU.is_file():
        pytest.fail(
            f"{VNU.relative_to(ROOT)} is missing: run `npm ci` at the repository root "
            "(./setup.sh does) to install vnu-jar",
            pytrace=False,
        )
    files = [site / p for p in PAGES]
    for f in files:
        assert f.is_file(), f
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    seen: dict[str, int] = {}
    ours = []
    for m in errors:
        name = known(m)
        if name:
            seen[name] = seen.get(name, 0) + 1
        else:
            where = str(m.get("url", "")).split(str(site))[-1]
            ours.append(
                f"{where}:{m.get('lastLine')}: {m.get('message')}\n"
                f"    {' '.join(str(m.get('extract', '')).split())}"
            )
    assert not ours, "Nu HTML Checker errors:\n" + "\n".join(ours)
    # the filters still match what the theme writes (a theme upgrade that fixes one shows
    # here, and the filter goes)
    assert set(seen) == {name for name, _, _ in THEME_ERRORS}, seen

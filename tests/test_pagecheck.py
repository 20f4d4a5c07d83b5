"""Pages checked while MkDocs writes the rest count exactly as a check of the whole site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.site.sanitize import Finding, check_file, check_site
from generator.speed.pagecheck import CheckAsWritten

from .test_sanitize import page


def site(root: Path) -> None:
    pages = {
        "index.html": page("<p>Safe.</p>"),
        "a/index.html": page('<p>Bad <img src="x" onerror="alert(1)"></p>'),
        "b/index.html": page("<p>Fine too.</p>"),
        "404.html": page("<p>Also <script>alert(2)</script> bad.</p>"),
    }
    for rel, html in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html, encoding="utf-8")


def test_pages_named_are_checked_in_the_other_process(tmp_path: Path) -> None:
    site(tmp_path)
    check = CheckAsWritten(tmp_path)
    for rel in ("index.html", "a/index.html", "b/index.html", "gone/index.html"):
        check.written(rel)
    found = check.finish(stop=False)
    # every page named and present, with the findings of the same check here; no others
    assert set(found) == {"index.html", "a/index.html", "b/index.html"}
    for rel, findings in found.items():
        assert findings == check_file(tmp_path / rel)
    assert found["a/index.html"] and not found["b/index.html"]
    # given those, the site check does the rest (the 404 page) and finds the same problems
    problems = check_site(tmp_path, checked=found)
    assert problems == check_site(tmp_path)
    assert {p.message.split(" (")[0] for p in problems} == {
        "unsafe markup on page a/index.html",
        "unsafe markup on page 404.html",
    }


def test_the_site_check_uses_what_it_is_given_and_checks_the_rest(tmp_path: Path) -> None:
    site(tmp_path)
    planted = {"b/index.html": [Finding(3, 4, "planted finding")], "index.html": []}
    problems = [p.message for p in check_site(tmp_path, checked=planted)]
    assert any("page b/index.html" in m and "planted finding" in m for m in problems)
    assert any("page a/index.html" in m for m in problems)  # not given: checked here
    assert any("page 404.html" in m for m in problems)


def test_stopping_early_returns_only_pages_checked(tmp_path: Path) -> None:
    site(tmp_path)
    check = CheckAsWritten(tmp_path)
    for _ in range(200):
        check.written("a/index.html")
    check.written("b/index.html")
    found = check.finish()  # stopped at once: whatever was reached, each one complete
    assert set(found) <= {"a/index.html", "b/index.html"}
    for rel, findings in found.items():
        assert findings == check_file(tmp_path / rel)


def test_a_stopped_check_leaves_no_process_or_file(tmp_path: Path) -> None:
    site(tmp_path)
    check = CheckAsWritten(tmp_path)
    check.written("index.html")
    check.abandon()
    assert not check.worker.folder.exists()
    with pytest.raises(ProcessLookupError):  # ended and reaped, not left as a zombie
        os.kill(check.worker.pid, 0)


def test_the_content_is_loaded_only_to_place_a_problem(tmp_path: Path) -> None:
    # a build no longer holds the content: it is read again only if a page needs it
    loads: list[int] = []

    def content() -> None:
        loads.append(1)
        return None

    (tmp_path / "index.html").write_text(page("<p>Safe.</p>"), encoding="utf-8")
    assert check_site(tmp_path, content) == []
    assert loads == []
    site(tmp_path)
    problems = check_site(tmp_path, content)
    assert len(problems) > 1
    assert loads == [1]  # once, however many problems

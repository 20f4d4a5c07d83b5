"""The preview's quick path: one sheet's pages from that sheet alone equal the whole run's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.generate import Generated, Memo, generate
from generator.paths import sheet_page
from generator.speed.scoped import edited_sheet, sheet_pages

from .conftest import REUTERS, SHEET_DIR, edit
from .sites import make_project


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 synthetic facts on 5 sheets (100 sources, some derived from others)."""
    return make_project(tmp_path_factory.mktemp("scoped"), 1000)


def full(project: Path, memo: Memo | None = None) -> Generated:
    result = generate(project / "content", project / "templates", memo, history="allow-shallow")
    assert result.ok, [p.format() for p in result.problems]
    return result


def facts_files(project: Path, sheet_dir: Path) -> list[Path]:
    return sorted(p for p in sheet_dir.rglob("*.yaml") if p.name != "sheet.yaml")


def each_sheet(project: Path) -> list[Path]:
    return sorted(p for p in (project / "content/sheets").iterdir() if p.is_dir())


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_every_sheet_alone_renders_as_in_the_whole_site(
    which: str, project: Path, synthetic: Path
) -> None:
    root = project if which == "bundled" else synthetic
    if which == "synthetic":
        shutil.copytree(project / "templates", root / "templates", dirs_exist_ok=True)
    whole = full(root)
    assert whole.site is not None
    for sheet_dir in each_sheet(root):
        # a memo of its own, with nothing in it: every page is rendered from the part
        got = sheet_pages(
            whole,
            Memo(),
            root / "content",
            root / "templates",
            facts_files(root, sheet_dir)[:1],
            history="allow-shallow",
        )
        assert got is not None, sheet_dir
        assert sheet_page(got.sheet_id) in got.pages
        assert len(got.pages) > 3
        for path, markdown in got.pages.items():
            assert markdown == whole.site.pages[path], path


def test_an_edited_fact_gives_the_pages_a_fresh_run_gives(project: Path) -> None:
    memo = Memo()
    last = full(project, memo)
    facts = project / SHEET_DIR / "facts/3-accounts.yaml"
    edit(
        facts,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: 67,000 social media accounts were closed for good.",
    )
    got = sheet_pages(last, memo, project / "content", project / "templates", [facts])
    assert got is not None
    fresh = full(project)
    assert fresh.site is not None
    changed = [p for p, md in got.pages.items() if md != last.site.pages[p]]  # type: ignore[union-attr]
    assert changed, "the edit shows nowhere"
    assert any("closed for good" in got.pages[p] for p in changed)
    for path, markdown in got.pages.items():
        assert markdown == fresh.site.pages[path], path
    # the full run that follows, with the same memo, is a fresh run's too
    again = full(project, memo)
    assert again.site is not None
    assert again.site.pages == fresh.site.pages
    assert again.site.downloads == fresh.site.downloads


@pytest.mark.parametrize(
    "change",
    [
        "source",  # a file outside the sheet's facts
        "sheet record",  # sheet.yaml: its title is in the navigation
        "problem",  # a quote no longer in its source
        "new fact",  # a page that does not exist yet
        "taken id",  # a fact id another sheet already uses
    ],
)
def test_edits_the_part_cannot_answer_for_go_to_the_full_run(
    change: str, project: Path, synthetic: Path
) -> None:
    root = synthetic if change == "taken id" else project
    if root is synthetic:
        shutil.copytree(project / "templates", root / "templates", dirs_exist_ok=True)
    memo = Memo()
    last = full(root, memo)
    sheet_dir = each_sheet(root)[0]
    target = facts_files(root, sheet_dir)[0]
    text = target.read_text(encoding="utf-8")
    if change == "source":
        target = project / f"{REUTERS}.yaml"
        edit(target, "title:", "title: Edited", count=1)
    elif change == "sheet record":
        target = sheet_dir / "sheet.yaml"
        edit(target, "title: ", "title: Edited ")
    elif change == "problem":
        quote = "quote: "
        assert quote in text
        target.write_text(text.replace(quote, quote + "Not in the source ", 1), encoding="utf-8")
    elif change == "new fact":
        blocks = text.split("\n  - id: ")
        assert len(blocks) >= 2, target
        copy = "\n  - id: copied-" + blocks[1].rstrip("\n") + "\n"
        target.write_text(text.rstrip("\n") + copy, encoding="utf-8")
    else:
        other = facts_files(root, each_sheet(root)[1])[0].read_text(encoding="utf-8")
        taken = other.split("id: ", 1)[1].split("\n", 1)[0]
        mine = text.split("id: ", 1)[1].split("\n", 1)[0]
        target.write_text(text.replace(f"id: {mine}\n", f"id: {taken}\n", 1), encoding="utf-8")
    assert target.read_text(encoding="utf-8") != text or change in ("source", "sheet record")
    got = sheet_pages(last, memo, root / "content", root / "templates", [target])
    assert got is None


def test_the_edited_sheet_is_found_only_when_one_sheets_facts_changed(project: Path) -> None:
    content = project / "content"
    facts = sorted((project / SHEET_DIR / "facts").glob("*.yaml"))
    assert edited_sheet(content, facts[:2]) == (project / SHEET_DIR).resolve()
    assert edited_sheet(content, [project / SHEET_DIR / "sheet.yaml"]) is None
    assert edited_sheet(content, [project / f"{REUTERS}.yaml"]) is None
    assert edited_sheet(content, [project / SHEET_DIR / "facts/gone.yaml"]) is None
    assert edited_sheet(content, []) is None
    swap = project / SHEET_DIR / "facts/.3-accounts.yaml.swp"  # an editor's, renamed over
    assert edited_sheet(content, [swap, facts[0]]) == (project / SHEET_DIR).resolve()
    assert edited_sheet(content, [swap]) is None

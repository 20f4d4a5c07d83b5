"""The preview's incremental pipeline gives exactly what a fresh run gives, after every edit."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from generator.generate import Generated, Memo, generate
from generator.speed.memo import PerFile, PerItem

from .conftest import REUTERS, REWRITE, SHEET_DIR, edit


def outputs(result: Generated) -> tuple[object, ...]:
    site = result.site
    assert site is not None, [p.format() for p in result.problems]
    return (site.pages, site.downloads, site.nav, site.search, site.search_pages)


def rendered(memo: Memo) -> int:
    """Pages the last run rendered (the others came from the memo)."""
    page = memo.pages.page
    assert isinstance(page, PerItem)
    return page.computed


def pages_made(memo: Memo) -> int:
    """Pages the last run made, rendered or from the memo."""
    page = memo.pages.page
    assert isinstance(page, PerItem)
    return len(page.current)


def file_reads(memo: Memo) -> int:
    """Content files the last run read (the others were told unchanged by their stat)."""
    load = memo.load.file
    assert isinstance(load, PerFile)
    return load.stamps.reads


def check_same(project: Path, memo: Memo) -> Generated:
    incremental = generate(project / "content", project / "templates", memo)
    fresh = generate(project / "content", project / "templates")
    assert outputs(incremental) == outputs(fresh)
    return incremental


def test_incremental_runs_match_fresh_runs(project: Path) -> None:
    memo = Memo()
    check_same(project, memo)
    first = rendered(memo)
    assert first == pages_made(memo)

    # nothing changed: nothing is rendered again
    check_same(project, memo)
    assert rendered(memo) == 0

    edits: list[Callable[[], None]] = [
        # one fact's statement
        lambda: edit(
            project / f"{SHEET_DIR}/facts/3-accounts.yaml",
            "statement: 67,000 social media accounts were closed permanently.",
            "statement: 67,000 social media accounts were closed for good.",
        ),
        # a figure's qualifier (its quote says "About"; the rewrite says "Around")
        lambda: edit(
            project / f"{SHEET_DIR}/facts/4-impersonation.yaml",
            "    note: The examples of institutions are only in the Reuters text.\n",
            "    note: The examples are only in the Reuters text.\n",
        ),
        # the sheet itself
        lambda: edit(project / f"{SHEET_DIR}/sheet.yaml", "title: Context", "title: Background"),
        # a source's metadata
        lambda: edit(
            project / f"{REWRITE}.yaml",
            "label: Rewrite of the Reuters report",
            "label: Rewrite (28 May 2023)",
        ),
        # a source's authors
        lambda: edit(
            project / f"{REWRITE}.yaml",
            "published: 2023-05-28\n",
            "authors:\n  - organisation: Rewrite Desk\npublished: 2023-05-28\n",
        ),
        # whom a furniture byline names
        lambda: edit(
            project / f"{REUTERS}.yaml",
            "affiliation: Thomson Reuters Foundation",
            "affiliation: the Thomson Reuters Foundation",
        ),
    ]
    for change in edits:
        change()
        check_same(project, memo)
        assert 0 < rendered(memo) < first


def test_archived_text_and_template_edits(project: Path) -> None:
    memo = Memo()
    check_same(project, memo)
    archive = project / f"{REWRITE}.txt"
    archive.write_bytes(archive.read_bytes() + b"\n\nAn added line, with no figure.")
    text = (project / f"{REWRITE}.yaml").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "sha256:" in line).split()[-1]
    edit(project / f"{REWRITE}.yaml", old, hashlib.sha256(archive.read_bytes()).hexdigest())
    check_same(project, memo)
    assert rendered(memo) >= 1

    template = project / "templates/home.md.j2"
    template.write_text(template.read_text("utf-8") + "\nUpdated home.\n", "utf-8")
    result = check_same(project, memo)
    assert result.site is not None and "Updated home." in result.site.pages["index.md"]


def test_broken_then_fixed(project: Path) -> None:
    memo = Memo()
    check_same(project, memo)
    facts = project / f"{SHEET_DIR}/facts/3-accounts.yaml"
    edit(facts, "amount: 67000", "amount: 012")
    broken = generate(project / "content", project / "templates", memo)
    assert broken.site is None and broken.problems
    edit(facts, "amount: 012", "amount: 67000")
    check_same(project, memo)


def test_old_files_are_trusted_by_stat_and_an_edit_redoes_one_fact(project: Path) -> None:
    # Files written long ago: the loader tells unchanged ones by their stat, not reading them.
    old = time.time_ns() - 60 * 10**9
    for path in (project / "content").rglob("*"):
        os.utime(path, ns=(old, old))
    memo = Memo()
    check_same(project, memo)
    second = check_same(project, memo)
    assert file_reads(memo) == 0
    assert second.loaded is not None
    before = dict(second.loaded.content.facts)
    facts = project / f"{SHEET_DIR}/facts/3-accounts.yaml"
    edit(
        facts,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement: 67,000 social media accounts were closed for good.",
    )
    third = check_same(project, memo)
    assert file_reads(memo) == 1
    assert third.loaded is not None
    now = third.loaded.content.facts
    # The other facts of the edited file are the objects of the last run: only pages that
    # show the edited fact are rendered again.
    changed = sorted(k for k, f in now.items() if before.get(k) is not f)
    edited = next(k for k, f in now.items() if "for good" in f.statement)
    assert changed == [edited]
    # its sheet's page, differences and corrections, its own page, and the page of each
    # source it cites (the other facts' own pages stay as they were)
    cited = {c.source for c in now[edited].citations}
    assert rendered(memo) == 3 + 1 + len(cited)


def test_citations_and_facts_removed_and_restored(project: Path) -> None:
    # A source losing a cited passage, a fact leaving, and both coming back: the source
    # pages that show them change, and the others stay as they were.
    memo = Memo()
    check_same(project, memo)
    path = project / f"{SHEET_DIR}/facts/7-context.yaml"
    original = path.read_text(encoding="utf-8")
    second_citation = original[original.rindex("      - source: rewrite-2023-05-28-self-media") :]
    path.write_text(original.replace(second_citation, ""), encoding="utf-8")
    check_same(project, memo)
    assert 0 < rendered(memo) < pages_made(memo)
    path.write_text(original[: original.index("  - id: arrests-and-detentions")], encoding="utf-8")
    check_same(project, memo)
    path.write_text(original, encoding="utf-8")
    check_same(project, memo)
    assert 0 < rendered(memo) < pages_made(memo)


def test_commits_and_a_history_made_whole_are_seen(project: Path, tmp_path: Path) -> None:
    """The history is an input too: a new commit, or a shallow clone fetched whole."""
    from .test_history import commit, git, shallow_clone

    git(project, "init", "-q", "-b", "main")
    commit(project, "Publish the sheet", "2023-06-01T12:00:00Z")
    memo = Memo()
    check_same(project, memo)
    edit(
        project / f"{SHEET_DIR}/facts/2-posts.yaml",
        "      - source: reuters-2023-self-media\n        quote: deleting 1.4 million "
        "social media posts\n",
        "",
    )
    check_same(project, memo)  # not committed yet: no correction
    commit(project, "Drop the headline citation", "2023-06-02T12:00:00Z")
    result = check_same(project, memo)
    assert result.site is not None
    feed = result.site.downloads["sheets/china-self-media-2023/corrections.xml"]
    assert isinstance(feed, bytes) and b"Drop the headline citation" in feed

    clone = shallow_clone(project, tmp_path / "clone")
    memo = Memo()
    shallow = generate(clone / "content", clone / "templates", memo, history="allow-shallow")
    assert shallow.site is not None
    git(clone, "fetch", "-q", "--unshallow")
    check_same(clone, memo)

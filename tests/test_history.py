"""Corrections and history from git: every change to what readers rely on, and only that."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.history import read_history

from .conftest import SHEET_DIR, Run, edit

ACCOUNTS = f"{SHEET_DIR}/facts/3-accounts.yaml"
CAMPAIGN = f"{SHEET_DIR}/facts/1-campaign.yaml"
CONTEXT = f"{SHEET_DIR}/facts/7-context.yaml"


def git(root: Path, *args: str, date: str = "2023-06-01T12:00:00Z") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(project: Path) -> Path:
    git(project, "init", "-q", "-b", "main")
    commit(project, "Publish the sheet", "2023-06-01T12:00:00Z")
    # wording and layout only: not a correction
    edit(
        project / ACCOUNTS,
        "    topic: accounts\n    label: Accounts closed\n",
        "    label: Accounts closed\n    topic: accounts\n",
    )
    edit(
        project / ACCOUNTS,
        "statement: 67,000 social media accounts were closed permanently.",
        "statement:   67,000 social media accounts were closed   permanently.",
    )
    commit(project, "Tidy the accounts file", "2023-06-02T12:00:00Z")
    # a real correction: attribution, and a citation dropped
    edit(
        project / ACCOUNTS,
        "    attributed_to: Cyberspace Administration of China\n"
        "    citations:\n      - source: reuters-2023-self-media\n        quote: it closed",
        "    attributed_to: the CAC's statement\n"
        "    citations:\n      - source: reuters-2023-self-media\n        quote: it closed",
    )
    posts = project / f"{SHEET_DIR}/facts/2-posts.yaml"
    edit(
        posts,
        "      - source: reuters-2023-self-media\n        quote: deleting 1.4 million "
        "social media posts\n",
        "",
    )
    commit(
        project,
        "Attribute the closures to the statement; drop the headline citation",
        "2023-06-03T12:00:00Z",
    )
    # a figure taken off a fact (and out of its statement: prose gives only the record's)
    impersonation = project / f"{SHEET_DIR}/facts/4-impersonation.yaml"
    edit(
        impersonation,
        "    value:\n      amount: 430000\n      unit: accounts\n      qualifier: more-than\n",
        "",
    )
    edit(impersonation, "More than 430,000 accounts allegedly", "Accounts allegedly")
    commit(project, "The advice accounts are an allegation, not a count", "2023-06-04T12:00:00Z")
    # a retraction
    edit(
        project / CONTEXT,
        "    attributed_to: Reuters (background, not the CAC's statement)\n"
        "    note: >-\n      The Reuters text says",
        "    attributed_to: Reuters (background, not the CAC's statement)\n"
        "    retracted:\n      date: 2023-06-05\n      reason: Background, not a figure of "
        "the campaign.\n    note: >-\n      The Reuters text says",
    )
    commit(project, "Retract the background on arrests", "2023-06-05T12:00:00Z")
    return project


def test_history_lists_exactly_the_corrections(repo: Path) -> None:
    history = read_history(repo / "content")
    assert history.available
    rows = [(c.date, c.fact, c.what, c.old, c.new, c.message) for c in history.changes]
    assert rows == [
        (
            "2023-06-05",
            "arrests-and-detentions",
            "retraction",
            "published",
            "retracted on 2023-06-05: Background, not a figure of the campaign.",
            "Retract the background on arrests",
        ),
        (
            "2023-06-04",
            "unqualified-advice",
            "figure",
            "more than 430,000 accounts",
            "no figure",
            "The advice accounts are an allegation, not a count",
        ),
        (
            "2023-06-03",
            "posts-deleted",
            "citations",
            "reuters-2023-self-media: “deleting 1.4 million social media posts”",
            "—",
            "Attribute the closures to the statement; drop the headline citation",
        ),
        (
            "2023-06-03",
            "accounts-closed",
            "attribution",
            "Cyberspace Administration of China",
            "the CAC's statement",
            "Attribute the closures to the statement; drop the headline citation",
        ),
    ]
    assert history.fact_changed["accounts-closed"] == "2023-06-03"
    assert history.fact_changed["fake-news-closures"] == "2023-06-01"
    assert history.sheet_updated["china-self-media-2023"] == "2023-06-05"


def test_corrections_page_and_retracted_fact_on_the_site(
    cli: Callable[..., Run], repo: Path
) -> None:
    run = cli("build", cwd=repo)
    assert run.code == 0, run.err
    site = repo / "site/sheets/china-self-media-2023"
    page = (site / "corrections/index.html").read_text("utf-8")
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", page, re.S)
    assert len(rows) == 4
    assert "5 June 2023" in rows[0] and "Retract the background on arrests" in rows[0]
    sheet = (site / "index.html").read_text("utf-8")
    assert "updated 5 June 2023" in sheet and "4 corrections" in sheet
    card = sheet[sheet.index('id="arrests-and-detentions"') :]
    card = card[: card.index("</article>")]
    assert "<del>" in card and "Retracted" in card and "Background, not a figure" in card
    assert "Last changed" in sheet


def test_no_git_means_no_history(cli: Callable[..., Run], project: Path) -> None:
    history = read_history(project / "content")
    assert not history.available
    run = cli("build", cwd=project)
    assert run.code == 0, run.err
    page = (project / "site/sheets/china-self-media-2023/corrections/index.html").read_text("utf-8")
    assert "No change history is available for this build" in page


def test_the_preview_reads_the_history_again_only_when_head_moves(repo: Path) -> None:
    from generator.generate import Memo

    memo = Memo()
    first = memo.history_of(repo / "content")
    assert first.available and first == read_history(repo / "content")
    assert memo.history_of(repo / "content") is first  # same HEAD: kept
    edit(
        repo / CAMPAIGN, "The CAC ran a two-month investigation", "The CAC ran a two-month inquiry"
    )
    assert memo.history_of(repo / "content") is first  # uncommitted edits are not history
    commit(repo, "Reword the investigation", "2023-07-01T12:00:00Z")
    again = memo.history_of(repo / "content")
    assert again is not first and again == read_history(repo / "content")
    assert again != first

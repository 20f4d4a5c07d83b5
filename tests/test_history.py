"""Corrections and history from git: every change to what readers rely on, and only that."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.analysis.history import read_history

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
        "    attributed_to: Cyberspace Administration of China (CAC)\n"
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
        "    note: >-\n      The Reuters text says",
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
            "Cyberspace Administration of China (CAC)",
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
    sheet = (project / "site/sheets/china-self-media-2023/index.html").read_text("utf-8")
    assert "change dates unknown: the content is not in a git repository with commits" in sheet
    assert "Last changed" not in sheet


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


# -- what counts for "last changed" ------------------------------------------------------------


def test_an_edit_to_date_note_alone_changes_last_changed(repo: Path) -> None:
    before = read_history(repo / "content")
    path, fact_id = _fact_with(repo, "date_note: >-\n")
    edit(path, "date_note: >-\n", "date_note: >-\n      Checked against both reports.\n")
    commit(repo, "Say how the date was checked", "2023-07-01T12:00:00Z")
    after = read_history(repo / "content")
    assert before.fact_changed[fact_id] != "2023-07-01"
    assert after.fact_changed[fact_id] == "2023-07-01"
    # not a correction: the figure, qualifier, attribution and citations are as they were
    assert after.changes == before.changes
    # and nothing else moved
    others = {k: v for k, v in after.fact_changed.items() if k != fact_id}
    assert others == {k: v for k, v in before.fact_changed.items() if k != fact_id}


def _fact_with(repo: Path, needle: str) -> tuple[Path, str]:
    """The first facts file holding ``needle``, and the id of the fact it is in."""
    for path in sorted((repo / SHEET_DIR / "facts").glob("*.yaml")):
        text = path.read_text("utf-8")
        if needle in text:
            ids = re.findall(r"^  - id: (\S+)$", text[: text.index(needle)], re.M)
            return path, ids[-1]
    raise AssertionError(f"no fact holds {needle!r}")


def test_last_changed_compares_every_field_of_the_record() -> None:
    """A field added to the format counts without being listed: the record is generic."""
    import dataclasses
    from decimal import Decimal

    from generator.analysis.history import _record
    from generator.content.fields import PartialDate
    from generator.content.model import Citation, Fact, Period, Quantity, Retraction, Stated

    day = PartialDate(2023, 5, 26)
    fact = Fact(
        id="f",
        topic="t",
        statement="A  statement.",
        citations=[
            Citation(
                "s", "a quote", "pre", "suf", Stated(Decimal(1), None, "about", "X", ["n"]), "cn"
            )
        ],
        label="L",
        value=Quantity("about", "accounts", Decimal(5), None, None, None, None),
        scope="sc",
        date=day,
        date_note="dn",
        period=Period(day, day),
        attributed_to="X",
        names=["n"],
        tags=["tag"],
        note="note",
        retracted=Retraction(day, "why"),
    )
    seen: set[str] = set()

    def names(record: object) -> None:
        """Collect 'Type.field' for every record met (a record: its type, then pairs)."""
        if not isinstance(record, tuple):
            return
        pairs = record[1:]
        if (
            record
            and isinstance(record[0], str)
            and all(isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str) for x in pairs)
        ):
            for name, value in pairs:
                seen.add(f"{record[0]}.{name}")
                names(value)
        else:
            for item in record:
                names(item)

    names(_record(fact))
    expected = {
        f"{cls.__name__}.{f.name}"
        for cls in (Fact, Citation, Stated, Quantity, Retraction, Period, PartialDate)
        for f in dataclasses.fields(cls)
        if f.name != "where"
    }
    assert seen == expected
    # whitespace within text does not count; anything else does
    assert _record(fact) == _record(dataclasses.replace(fact, statement=" A statement. "))
    for change in (
        {"date_note": "dn2"},
        {"citations": [dataclasses.replace(fact.citations[0], note="other")]},
        {"tags": ["tag", "more"]},
        {"label": "L2"},
    ):
        assert _record(fact) != _record(dataclasses.replace(fact, **change)), change


# -- the corrections log as Atom feeds ---------------------------------------------------------

FEED_BASE = "https://example.org/site/"


def parse_feed(site: Path, path: str) -> Any:
    import feedparser

    # as a server gives it: relative links resolve against the feed's own address
    headers = {"content-location": FEED_BASE + path, "content-type": "application/atom+xml"}
    feed = feedparser.parse((site / path).read_bytes(), response_headers=headers)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    for key in ("id", "title", "updated", "author"):
        assert feed.feed.get(key), key
    return feed


def test_feeds_list_every_correction_and_retraction(cli: Callable[..., Run], repo: Path) -> None:
    from generator.downloads.feeds import change_id

    run = cli("build", cwd=repo)
    assert run.code == 0, run.err
    site = repo / "site"
    history = read_history(repo / "content")
    sheet_feed = parse_feed(site, "sheets/china-self-media-2023/corrections.xml")
    site_feed = parse_feed(site, "corrections.xml")
    assert sheet_feed.feed.id != site_feed.feed.id
    assert sheet_feed.feed.updated.startswith(history.changes[0].date)
    for feed in (sheet_feed, site_feed):
        assert len(feed.entries) == len(history.changes) == 4
        for entry, change in zip(feed.entries, history.changes, strict=True):
            assert entry.id == change_id(change)
            assert entry.updated == change.time and entry.updated.startswith(change.date)
            assert entry.tags[0].term == change.what
            summary = " ".join(entry.summary.split())
            for part in (change.fact, change.old, change.new, change.message):
                assert " ".join(part.split()) in summary, part
            # the link lands on the fact, on its sheet's page
            url, _, anchor = entry.link.partition("#")
            assert anchor == change.fact
            assert url.startswith(FEED_BASE)
            page = site / url[len(FEED_BASE) :] / "index.html"
            assert f'id="{change.fact}"' in page.read_text("utf-8")
    assert len({e.id for e in site_feed.entries}) == 4
    retraction = sheet_feed.entries[0]
    assert retraction.title.startswith("Retracted: ")
    assert "Background, not a figure of the campaign." in retraction.summary
    # linked from the sheet's downloads, its corrections page and the front page
    sheet_page = (site / "sheets/china-self-media-2023/index.html").read_text("utf-8")
    assert '<a href="corrections.xml">corrections.xml</a>' in sheet_page
    fixes = (site / "sheets/china-self-media-2023/corrections/index.html").read_text("utf-8")
    assert 'href="../corrections.xml"' in fixes and 'href="../../../corrections.xml"' in fixes
    home = (site / "index.html").read_text("utf-8")
    assert '<a href="corrections.xml">corrections.xml</a>' in home
    # not in the head: Material would fetch a sitemap.xml next to the feed (see feeds.py)
    assert 'rel="alternate" type="application/atom+xml"' not in sheet_page


def test_a_fact_first_published_retracted_is_a_retraction(repo: Path) -> None:
    facts = repo / SHEET_DIR / "facts/8-withdrawn.yaml"
    accounts = (repo / ACCOUNTS).read_text("utf-8")
    first = accounts[accounts.index("  - id: accounts-closed") :]
    first = first[: first.index("\n  - id: ", 1)]
    retracted = first.replace("id: accounts-closed", "id: accounts-closed-draft").replace(
        "    topic: accounts\n",
        "    topic: accounts\n    retracted:\n      date: 2023-07-02\n      reason: A draft.\n",
    )
    facts.write_text("facts:\n" + retracted + "\n", "utf-8")
    commit(repo, "Publish the withdrawn draft for the record", "2023-07-02T12:00:00Z")
    change = read_history(repo / "content").changes[0]
    assert (change.fact, change.what, change.old, change.new) == (
        "accounts-closed-draft",
        "retraction",
        "not published before",
        "retracted on 2023-07-02: A draft.",
    )


def test_feeds_without_history_are_valid_and_empty(cli: Callable[..., Run], project: Path) -> None:
    run = cli("build", cwd=project)
    assert run.code == 0, run.err
    for path in ("corrections.xml", "sheets/china-self-media-2023/corrections.xml"):
        feed = parse_feed(project / "site", path)
        assert feed.entries == []
        assert "No change history is available" in feed.feed.subtitle


def test_feeds_are_written_alike_in_memory_and_streamed(repo: Path, tmp_path: Path) -> None:
    from generator.downloads.exports import downloads
    from generator.paths import Urls
    from generator.render.pages import _downloads_to_disk

    from .test_exports import site_view

    view = site_view(repo)
    site_url = "https://example.org/sub/"
    for directory_urls, absolute in ((True, False), (False, False), (True, True)):
        urls = Urls(site_url if absolute else None, directory_urls)
        in_memory = downloads(view, directory_urls=directory_urls, site_url=urls.site_url)
        folder = tmp_path / f"{directory_urls}-{absolute}"
        written = _downloads_to_disk(view, folder, urls)
        assert list(written) == list(in_memory)
        for path, data in in_memory.items():
            assert written[path].path.read_bytes() == data, path
        feed = in_memory["sheets/china-self-media-2023/corrections.xml"]
        assert feed.count(b"<entry>") == 4
        if absolute:
            link = f"{site_url}sheets/china-self-media-2023/#arrests-and-detentions".encode()
        else:
            link = b"./#arrests-and-detentions" if directory_urls else b"index.html#arrests"
        assert link in feed


# -- shallow clones ----------------------------------------------------------------------------


def shallow_clone(repo: Path, dest: Path) -> Path:
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(dest)],
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        ["git", "-C", str(dest), "rev-parse", "--is-shallow-repository"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "true"
    return dest


def test_a_shallow_clone_fails_the_build_with_how_to_fetch_the_history(
    cli: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    clone = shallow_clone(repo, tmp_path / "clone")
    assert read_history(clone / "content").shallow
    run = cli("build", cwd=clone)
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith("content:1:1: error: the git history of the content is shallow")
    for advice in ("git fetch --unshallow", "fetch-depth: 0", "--allow-shallow-history"):
        assert advice in errors[0]
    assert not (clone / "site").exists()

    # fetched whole, the same history as the repository's, dates and all
    git(clone, "fetch", "-q", "--unshallow")
    full = read_history(clone / "content")
    original = read_history(repo / "content")
    assert full.available and not full.shallow
    assert (full.changes, full.fact_changed) == (original.changes, original.fact_changed)


def test_a_shallow_clone_builds_without_dates_when_told_to(
    cli: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    import json

    clone = shallow_clone(repo, tmp_path / "clone")
    run = cli("build", "--allow-shallow-history", cwd=clone)
    assert run.code == 0, run.err
    site = clone / "site"
    sheet = (site / "sheets/china-self-media-2023/index.html").read_text("utf-8")
    assert "Last changed" not in sheet and "updated" not in sheet.split("fs-dateline")[1][:300]
    assert "change dates unknown: the site was built from a shallow copy of the git history" in (
        " ".join(re.sub(r"<[^>]+>", "", sheet).split())
    )
    fixes = (site / "sheets/china-self-media-2023/corrections/index.html").read_text("utf-8")
    assert "shallow copy of the git history" in fixes and "<tbody>" not in fixes
    facts = json.loads((site / "facts.json").read_bytes())
    assert {f["last_changed"] for f in facts["facts"]} == {None}
    for path in ("corrections.xml", "sheets/china-self-media-2023/corrections.xml"):
        feed = parse_feed(site, path)
        assert feed.entries == [] and "shallow" in feed.feed.subtitle

    # the same through the plugin's option in mkdocs.yml
    edit(clone / "mkdocs.yml", "  - factsheet\n", "  - factsheet:\n      history: allow-shallow\n")
    again = cli("build", "--site-dir", str(tmp_path / "again"), cwd=clone)
    assert again.code == 0, again.err
    assert (tmp_path / "again/facts.json").read_bytes() == (site / "facts.json").read_bytes()


def test_plain_mkdocs_refuses_a_shallow_history_unless_the_plugin_allows_it(
    repo: Path, tmp_path: Path
) -> None:
    import sys

    from .conftest import ROOT

    clone = shallow_clone(repo, tmp_path / "clone")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "out")]
    refused = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True)
    assert refused.returncode == 1
    assert "the git history of the content is shallow" in refused.stderr
    assert "git fetch --unshallow" in refused.stderr
    edit(clone / "mkdocs.yml", "  - factsheet\n", "  - factsheet:\n      history: allow-shallow\n")
    allowed = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
    assert "Last changed" not in (
        tmp_path / "out/sheets/china-self-media-2023/index.html"
    ).read_text("utf-8")


def test_the_preview_reads_the_history_again_once_it_is_fetched_whole(
    repo: Path, tmp_path: Path
) -> None:
    from generator.generate import Memo, generate

    clone = shallow_clone(repo, tmp_path / "clone")
    memo = Memo()
    refused = generate(clone / "content", clone / "templates", memo)
    assert refused.site is None and "shallow" in refused.problems[0].message
    allowed = generate(clone / "content", clone / "templates", memo, history="allow-shallow")
    assert allowed.ok
    git(clone, "fetch", "-q", "--unshallow")  # HEAD stays; the history becomes whole
    whole = generate(clone / "content", clone / "templates", memo)
    assert whole.ok and whole.site is not None
    fresh = generate(clone / "content", clone / "templates")
    assert fresh.site is not None
    assert (whole.site.pages, whole.site.downloads) == (fresh.site.pages, fresh.site.downloads)
    assert allowed.site is not None and whole.site.downloads != allowed.site.downloads


def test_the_history_option_takes_two_values(project: Path) -> None:
    from generator.site.project import ProjectError, find_project

    assert find_project(project / "mkdocs.yml").history == "require"
    edit(project / "mkdocs.yml", "  - factsheet\n", "  - factsheet:\n      history: ignore\n")
    with pytest.raises(ProjectError, match="'history' is 'ignore'; write require or allow-shallow"):
        find_project(project / "mkdocs.yml")


def test_feeds_carry_editors_text_and_commit_messages_as_text(repo: Path) -> None:
    import feedparser

    from generator.downloads.exports import downloads

    from .test_exports import site_view

    edit(
        repo / f"{SHEET_DIR}/sheet.yaml",
        "title: China's 2023",
        'title: <b onmouseover="x()">China</b> & “its” 2023',
    )
    edit(
        repo / CONTEXT,
        "      reason: Background, not a figure of the campaign.",
        "      reason: Background <script>alert(origin)</script>, not a figure of the campaign.",
    )
    commit(repo, 'Say <script>alert("x")</script> & \x01why\x7f', "2023-07-01T12:00:00Z")
    feed_bytes = downloads(site_view(repo))["sheets/china-self-media-2023/corrections.xml"]
    headers = {"content-type": "application/atom+xml"}
    feed = feedparser.parse(feed_bytes, response_headers=headers)
    assert feed.bozo == 0, feed.get("bozo_exception")
    title = 'Corrections and changes: <b onmouseover="x()">China</b> & “its” 2023 crackdown'
    assert feed.feed.title.startswith(title)
    entry = feed.entries[0]
    assert entry.title.startswith("Retraction changed: ")
    assert 'Reason: Say <script>alert("x")</script> & why' in entry.summary
    assert "Background <script>alert(origin)</script>, not a figure" in entry.summary
    # in the HTML content, the same text is text, never markup
    html_content = entry.content[0].value
    assert "<script" not in html_content
    assert "&lt;script&gt;alert(origin)&lt;/script&gt;" in html_content


def test_serve_takes_the_option_too(
    cli: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mkdocs.commands.serve
    from mkdocs.config import load_config

    from generator.site.plugin import FactsheetPlugin

    seen: list[str] = []

    def fake_serve(config_file: str, **kwargs: object) -> None:
        plugin = load_config(config_file).plugins["factsheet"]
        assert isinstance(plugin, FactsheetPlugin)
        seen.append(plugin.history_policy)

    monkeypatch.setattr(mkdocs.commands.serve, "serve", fake_serve)
    assert cli("serve", cwd=project).code == 0
    assert cli("serve", "--allow-shallow-history", cwd=project).code == 0
    allow = "  - factsheet:\n      history: allow-shallow\n"
    edit(project / "mkdocs.yml", "  - factsheet\n", allow)
    assert cli("serve", cwd=project).code == 0
    assert seen == ["require", "allow-shallow", "allow-shallow"]
    assert FactsheetPlugin.history_override is None  # for the rest of the process

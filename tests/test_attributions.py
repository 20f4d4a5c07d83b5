"""Who said it is proven like the numbers, and differences between sources have a kind.

`check` rules (each with the file, line and column of the error), how differences are
classified, and what a built site shows and exports for a fact whose sources name
different speakers and for one whose sources name none.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from generator.analysis.disagreements import classify, versions
from generator.checks.attributions import names_in
from generator.checks.figures import _date_states
from generator.content.fields import PartialDate
from generator.content.model import Citation, Fact, Quantity, Source, Stated
from generator.text.numbers import find_dates

from .conftest import SHEET_DIR, Run, build_bundled, edit, line_of
from .test_validation import assert_error, error_lines

CAMPAIGN = f"{SHEET_DIR}/facts/1-campaign.yaml"
ACCOUNTS = f"{SHEET_DIR}/facts/3-accounts.yaml"
IMPERSONATION = f"{SHEET_DIR}/facts/4-impersonation.yaml"
RESPONSE = f"{SHEET_DIR}/facts/6-response.yaml"
SHEET = f"{SHEET_DIR}/sheet.yaml"
SHEET_HTML = "sheets/china-self-media-2023/index.html"
DIFFERENCES_HTML = "sheets/china-self-media-2023/differences/index.html"


def attributed_line(path: Path, fact_id: str) -> int:
    """Line of the fact's own ``attributed_to`` (the first after its id)."""
    return line_of(path, "    attributed_to:", _occurrence(path, fact_id, "    attributed_to:"))


def _occurrence(path: Path, fact_id: str, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = line_of(path, f"- id: {fact_id}")
    return sum(1 for line in lines[: start - 1] if needle in line) + 1


# -- grounding: by the quote, by an attribution passage, by a declared alias --------------


def test_names_are_found_as_whole_words_after_normalisation() -> None:
    assert names_in(["CAC"], "nearly 8,000 were deleted, according to the CAC.")
    assert names_in(["cac"], "according to the CAC")  # case does not matter
    assert not names_in(["CAC"], "the CACHE of posts")  # a whole word, not a part
    assert not names_in(["Cyberspace Administration of China"], "the Cyberspace Administration")
    # curly and straight apostrophes alike, line breaks folded, as for quotes
    assert names_in(["China's cyberspace regulator"], "China’s cyberspace\n regulator said")
    assert names_in(["the Counter-Terrorism Committee"], "The Counter–Terrorism Committee said")


def test_without_aliases_only_the_name_itself_grounds(
    cli: Callable[..., Run], project: Path
) -> None:
    sheet = project / SHEET
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text[: text.index("speakers:")], encoding="utf-8")
    run = cli("check", cwd=project)
    assert run.code == 1
    failing = {re.search(r"fact '([^']+)'", line).group(1) for line in error_lines(run)}  # type: ignore[union-attr]
    # named by an alias only: "according to the CAC", "China's cyberspace regulator",
    # "the regulator", "The Cyberspace Administration"
    assert {"fake-news-closures", "investigation", "news-anchor-impersonation"} <= failing
    assert {"coordination", "call-on-citizens", "posts-deleted"} <= failing
    # named in full in the quote ("The Cyberspace Administration of China (CAC) said")
    assert "campaign-period" not in failing and "statement-date" not in failing
    # named in full in the citation's attribution passage
    assert "accounts-closed" not in failing and "posts-hundreds-of-thousands" not in failing
    facts = project / ACCOUNTS
    line = attributed_line(facts, "fake-news-closures")
    (message,) = [m for m in error_lines(run) if "'fake-news-closures'" in m]
    assert message.startswith(f"{ACCOUNTS}:{line}:20: error: fact 'fake-news-closures', ")
    assert "citation 1 (source 'reuters-2023-self-media')" in message
    assert "names 'Cyberspace Administration of China'" in message
    for advice in ("'attribution:'", "'speakers'", "'speaker_unstated: true'", "'states'"):
        assert advice in message


def test_a_declared_alias_grounds_the_name(cli: Callable[..., Run], project: Path) -> None:
    edit(project / SHEET, "      - CAC\n", "")
    run = cli("check", cwd=project)
    line = attributed_line(project / ACCOUNTS, "fake-news-closures")
    assert_error(run, ACCOUNTS, line, "fact 'fake-news-closures', citation 1")
    edit(project / SHEET, "      - the regulator\n", "      - the regulator\n      - the CAC\n")
    assert cli("check", cwd=project).code == 0


def test_the_attribution_passage_grounds_the_name(cli: Callable[..., Run], project: Path) -> None:
    facts = project / ACCOUNTS
    edit(
        facts,
        "        attribution: >-\n          The Cyberspace Administration of China (CAC) said"
        " in a statement on\n          Friday\n",
        "",
    )
    run = cli("check", cwd=project)
    assert_error(
        run,
        ACCOUNTS,
        attributed_line(facts, "accounts-closed"),
        "fact 'accounts-closed', citation 1 (source 'reuters-2023-self-media')",
        "no quote or attribution passage names 'Cyberspace Administration of China'",
    )


def test_an_attribution_passage_must_be_in_its_source(
    cli: Callable[..., Run], project: Path
) -> None:
    facts = project / ACCOUNTS
    edit(
        facts,
        "said in a statement on\n          Friday\n",
        "said in a statement on\n          Monday\n",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "        attribution: >-")
    assert_error(
        run,
        ACCOUNTS,
        line,
        "fact 'accounts-closed', citation 1: attribution passage not found in source "
        "'reuters-2023-self-media'",
    )
    assert f"{ACCOUNTS}:{line}:22: error:" in run.err
    assert "[-Monday-] {+Friday+}" in run.err  # the closest passage, with a word diff


def test_a_source_grounds_its_speaker_once_for_all_its_citations(
    cli: Callable[..., Run], project: Path
) -> None:
    # posts-deleted cites Reuters twice; only the first quote names the regulator
    posts = project / f"{SHEET_DIR}/facts/2-posts.yaml"
    assert cli("check", cwd=project).code == 0
    edit(posts, "China’s cyberspace regulator said 1.4 million", "Reportedly 1.4 million")
    edit(
        project / "content/sources/reuters-2023-self-media.txt",
        "China’s cyberspace regulator said 1.4 million",
        "Reportedly 1.4 million",
    )
    run = cli("check", cwd=project)
    messages = [m for m in error_lines(run) if "'posts-deleted'" in m]
    assert len(messages) == 1, run.err
    assert "citations 1 and 2 (source 'reuters-2023-self-media')" in messages[0]


# -- the speaker not stated -------------------------------------------------------------------


def test_attributed_to_and_speaker_unstated_exclude_each_other(
    cli: Callable[..., Run], project: Path
) -> None:
    facts = project / IMPERSONATION
    edit(
        facts,
        "    speaker_unstated: true\n    speaker_context: >-\n      the Counter-Terrorism Committee"
        " or the CAC: in the Reuters text it follows",
        "    attributed_to: Counter-Terrorism Committee\n    speaker_unstated: true\n"
        "    speaker_context: >-\n      the Counter-Terrorism Committee or the CAC: in the "
        "Reuters text it follows",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "    speaker_unstated: true", 1)
    message = assert_error(run, IMPERSONATION, line, "not both")
    assert message.startswith(f"{IMPERSONATION}:{line}:23:")


def test_speaker_context_needs_speaker_unstated(cli: Callable[..., Run], project: Path) -> None:
    facts = project / IMPERSONATION
    edit(facts, "    speaker_unstated: true\n    speaker_context:", "    speaker_context:")
    run = cli("check", cwd=project)
    assert_error(
        run,
        IMPERSONATION,
        line_of(facts, "    speaker_context:"),
        "'speaker_context' is only for a fact with 'speaker_unstated: true'",
    )


def test_a_fact_that_names_no_speaker_checks_nothing(
    cli: Callable[..., Run], project: Path
) -> None:
    """The reports' own voice: no attributed_to, no speaker_unstated, nothing to ground."""
    facts = project / f"{SHEET_DIR}/facts/7-context.yaml"
    assert "attributed_to" not in facts.read_text(encoding="utf-8")
    assert cli("check", cwd=project).code == 0


# -- what each citation's source states -------------------------------------------------------


def test_states_attributed_to_is_grounded_in_its_own_citation(
    cli: Callable[..., Run], project: Path
) -> None:
    facts = project / RESPONSE
    edit(
        facts,
        "          attributed_to: Cyberspace Administration of China\n",
        "          attributed_to: Ministry of Public Security\n",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "attributed_to: Ministry of Public Security")
    message = assert_error(
        run,
        RESPONSE,
        line,
        "fact 'call-on-citizens', citation 2 (source 'rewrite-2023-05-28-self-media')",
        "this citation's 'states: attributed_to'",
    )
    assert message.startswith(f"{RESPONSE}:{line}:26:")


def test_states_speaker_unstated(cli: Callable[..., Run], project: Path) -> None:
    facts = project / ACCOUNTS
    # the rewrite's "Out of the 67,000 ... nearly 8,000" names nobody
    edit(
        facts,
        "          down for spreading fake news, rumors, and harmful information.\n"
        "        states:\n          speaker_unstated: true\n",
        "          down for spreading fake news, rumors, and harmful information.\n",
    )
    run = cli("check", cwd=project)
    assert_error(
        run,
        ACCOUNTS,
        attributed_line(facts, "fake-news-closures"),
        "fact 'fake-news-closures', citation 2 (source 'rewrite-2023-05-28-self-media')",
    )


def test_states_speaker_unstated_contradicting_the_fact(
    cli: Callable[..., Run], project: Path
) -> None:
    facts = project / RESPONSE
    edit(
        facts,
        "          attributed_to: Cyberspace Administration of China\n",
        "          speaker_unstated: true\n",
    )
    run = cli("check", cwd=project)
    assert_error(
        run,
        RESPONSE,
        line_of(facts, "          speaker_unstated: true"),
        "the fact already says the speaker is not stated",
    )


def test_states_with_both_a_speaker_and_none(cli: Callable[..., Run], project: Path) -> None:
    facts = project / ACCOUNTS
    edit(
        facts,
        "        quote: led to the closure of 67,000 social media accounts\n        states:\n"
        "          speaker_unstated: true\n",
        "        quote: led to the closure of 67,000 social media accounts\n        states:\n"
        "          speaker_unstated: true\n          attributed_to: Cyberspace Administration"
        " of China\n",
    )
    run = cli("check", cwd=project)
    line = line_of(facts, "          speaker_unstated: true")
    assert_error(run, ACCOUNTS, line, "both 'attributed_to' and 'speaker_unstated'")


def test_an_alias_is_not_a_speaker_name(cli: Callable[..., Run], project: Path) -> None:
    facts = project / ACCOUNTS
    line = attributed_line(facts, "fake-news-closures")
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = "    attributed_to: the CAC\n"
    facts.write_text("".join(lines), encoding="utf-8")
    edit(project / SHEET, "      - CAC\n", "      - CAC\n      - the CAC\n")
    run = cli("check", cwd=project)
    assert_error(
        run,
        ACCOUNTS,
        line,
        "'the CAC' is declared as an alias of speaker 'Cyberspace Administration of China'",
        "write its name",
    )


def test_a_name_or_alias_stands_for_one_speaker(cli: Callable[..., Run], project: Path) -> None:
    sheet = project / SHEET
    edit(
        sheet,
        "  - name: Counter-Terrorism Committee\n",
        "  - name: Counter-Terrorism Committee\n    aliases:\n      - The Regulator\n",
    )
    run = cli("check", cwd=project)
    line = line_of(sheet, "      - The Regulator")
    message = assert_error(run, SHEET, line, "'The Regulator' is already declared for speaker")
    assert message.startswith(f"{SHEET}:{line}:7:")


# -- a source's own date ----------------------------------------------------------------------


def test_a_date_in_a_quote_states_a_date_as_precisely_as_given() -> None:
    (day,) = find_dates("said on May 26 that")
    assert _date_states(day, PartialDate(2023, 5, 26))
    assert _date_states(day, PartialDate(2023, 5))
    assert not _date_states(day, PartialDate(2023, 5, 27))
    (weekday,) = find_dates("said on Friday that")
    assert not _date_states(weekday, PartialDate(2023, 5, 26))  # a weekday proves no date
    (full,) = find_dates("on 26 May 2023")
    assert not _date_states(full, PartialDate(2024, 5, 26))


def test_states_date_is_checked_against_its_quote(cli: Callable[..., Run], project: Path) -> None:
    facts = project / CAMPAIGN
    edit(
        facts,
        "          The Cyberspace Administration of China (CAC) said in a statement on\n"
        "          Friday\n",
        "          The Cyberspace Administration of China (CAC) said in a statement on\n"
        "          Friday\n        states:\n          date: 2023-05-25\n",
    )
    run = cli("check", cwd=project)
    assert_error(
        run,
        CAMPAIGN,
        line_of(facts, "          date: 2023-05-25"),
        "'states' gives the date 2023-05-25, but the quote does not state it",
    )


# -- differences by kind ----------------------------------------------------------------------


def _source(sid: str) -> Source:
    from generator.content.model import Archive

    return Source(sid, sid, "news-article", Archive(f"{sid}.txt", "0" * 64))


SOURCES = {"a": _source("a"), "b": _source("b")}


def _fact(second: Stated | None, **fact: Any) -> Fact:
    return Fact(
        id="f",
        topic="t",
        statement="s",
        citations=[Citation("a", "nearly 13,000 accounts"), Citation("b", "q", states=second)],
        value=Quantity("nearly", "accounts", Decimal(13000)),
        **fact,
    )


def _kinds(fact: Fact) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    found = classify(fact.id, versions(fact, SOURCES))
    return None if found is None else (found.kinds, found.conflicts)


def test_alike_sources_do_not_differ() -> None:
    assert _kinds(_fact(None, attributed_to="CAC")) is None


def test_a_qualifier_worded_differently_is_not_a_dispute() -> None:
    assert _kinds(_fact(Stated(qualifier="about"))) == (("qualifier",), ())


def test_another_number_is_a_dispute() -> None:
    assert _kinds(_fact(Stated(amount=Decimal(14000)))) == (("number",), ("number",))
    # with another qualifier too, the number is what conflicts
    both = _kinds(_fact(Stated(amount=Decimal(14000), qualifier="about")))
    assert both == (("number",), ("number",))


def test_another_named_speaker_is_a_dispute() -> None:
    fact = _fact(Stated(attributed_to="Counter-Terrorism Committee"), attributed_to="CAC")
    assert _kinds(fact) == (("speaker",), ("speaker",))


def test_a_speaker_one_source_leaves_unsaid_is_not_a_dispute() -> None:
    assert _kinds(_fact(Stated(speaker_unstated=True), attributed_to="CAC")) == (
        ("speaker",),
        (),
    )
    unstated = _fact(Stated(attributed_to="CAC"), speaker_unstated=True)
    assert _kinds(unstated) == (("speaker",), ())
    (a, b) = versions(unstated, SOURCES)
    assert (a.attributed_to, a.speaker_unstated) == (None, True)
    assert (b.attributed_to, b.speaker_unstated) == ("CAC", False)


def test_other_names_and_another_date_are_disputes() -> None:
    names = _fact(Stated(names=["Other"]), names=["One"])
    assert _kinds(names) == (("names",), ("names",))
    date = _fact(Stated(date=PartialDate(2023, 5, 25)), date=PartialDate(2023, 5, 26))
    assert _kinds(date) == (("date",), ("date",))


# -- what readers and machines receive --------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bundled(tmp_path_factory.mktemp("attributions"))


def _card(page: str, fact_id: str) -> str:
    start = page.index(f'id="{fact_id}"')
    return page[page.rindex("<article", 0, start) : page.index("</article>", start)]


def _text(markup: str) -> str:
    import html

    inline = re.sub(r"</?(?:strong|em|span|a|del|time)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def _meta(card: str, term: str) -> tuple[str, str]:
    """The class of the speaker entry ``term`` on the card's first line, and its value."""
    match = re.search(
        rf'<span class="([^"]*)"><span class="fs-line-label">{term}</span> (.*?)</span>'
        r' <span class="fs-corroboration"',
        card,
        re.S,
    )
    assert match, term
    return match.group(1), _text(match.group(2))


def _detail(card: str, term: str) -> str:
    """The value of the entry ``term`` in the card's details, as text."""
    match = re.search(rf"<div><dt>{term}</dt><dd>(.*?)</dd></div>", card, re.S)
    assert match, term
    return _text(match.group(1))


def _claims(page: str) -> dict[str, dict[str, Any]]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found
    graph = json.loads(found.group(1))["@graph"]
    return {c["@id"][1:]: c for c in graph if c.get("@type") == "Claim"}


def _csv(built: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((built / "facts.csv").read_text("utf-8-sig")))
    return {r["id"]: r for r in rows}


def test_a_disputed_speaker_is_shown_with_every_version(built: Path) -> None:
    page = (built / SHEET_HTML).read_text("utf-8")
    card = _card(page, "military-impersonation")
    assert "fs-fact--disputed" in card[: card.index(">")]
    assert "Sources differ on who said it." in _text(card)
    assert "Sources word the figure differently: “nearly 13,000” (Reuters)" in _text(card)
    kind, said = _meta(card, "Attributed to")
    assert "fs-speaker--differs" in kind
    assert said == (
        "Counter-Terrorism Committee (Reuters); "
        "Cyberspace Administration of China (Rewrite of the Reuters report)"
    )
    row = _csv(built)["military-impersonation"]
    assert row["attributed_to"] == (
        "Counter-Terrorism Committee [reuters-2023-self-media]; "
        "Cyberspace Administration of China [rewrite-2023-05-28-self-media]"
    )
    assert (row["speaker_unstated"], row["disputed"]) == ("no", "yes")
    assert row["differences"] == "qualifier; speaker"
    claim = _claims(page)["military-impersonation"]
    assert "author" not in claim  # never one speaker where the sources differ
    tied = {(w["appearance"]["headline"][:20], w["author"]["name"]) for w in claim["workExample"]}
    assert tied == {
        ("China cracks down on", "Counter-Terrorism Committee"),
        ("[Untitled rewrite of", "Cyberspace Administration of China"),
    }


def test_an_unstated_speaker_is_said_in_words_and_exported_as_unstated(built: Path) -> None:
    page = (built / SHEET_HTML).read_text("utf-8")
    card = _card(page, "public-institution-impersonation")
    kind, said = _meta(card, "Speaker")
    assert "fs-speaker--unstated" in kind
    assert said == "not stated in the sources"
    # the editor's reading of who it may be is in the card's details
    assert _detail(card, "Who said it").startswith(
        "Not stated in the sources; context suggests the Counter-Terrorism Committee or the CAC"
    )
    assert '"fs-line-label">Attributed to<' not in card
    # only the qualifier differs ("About 25,000" / "25,000"): a milder flag, no dispute
    assert "fs-flag--disputed" not in card and "fs-fact--disputed" not in card
    assert "fs-flag--worded" in card and "fs-fact--worded" in card
    row = _csv(built)["public-institution-impersonation"]
    assert (row["attributed_to"], row["speaker_unstated"], row["disputed"]) == ("", "yes", "no")
    assert row["speaker_context"].startswith("the Counter-Terrorism Committee or the CAC")
    facts = {f["id"]: f for f in json.loads((built / "facts.json").read_text("utf-8"))["facts"]}
    fact = facts["public-institution-impersonation"]
    assert (fact["attributed_to"], fact["speaker_unstated"], fact["disputed"]) == (
        None,
        True,
        False,
    )
    assert fact["differences"] == ["qualifier"]
    assert all(v["speaker_unstated"] and v["attributed_to"] is None for v in fact["versions"])
    claim = _claims(page)["public-institution-impersonation"]
    assert "author" not in claim and "workExample" not in claim


def test_every_output_carries_every_speaker_version(built: Path) -> None:
    """Over every fact: card, CSV and JSON-LD agree with facts.json's versions."""
    page = (built / SHEET_HTML).read_text("utf-8")
    claims = _claims(page)
    rows = _csv(built)
    facts = json.loads((built / "facts.json").read_text("utf-8"))["facts"]
    checked = 0
    for fact in facts:
        said = {(v["attributed_to"], v["speaker_unstated"]) for v in fact["versions"]}
        names = {n for n, _ in said if n}
        row, claim, card = rows[fact["id"]], claims[fact["id"]], _card(page, fact["id"])
        assert row["speaker_unstated"] == ("yes" if fact["speaker_unstated"] else "no")
        if len(said) > 1:
            checked += 1
            assert "author" not in claim
            assert {w.get("author", {}).get("name") for w in claim["workExample"]} - {None} == names
            for v in fact["versions"]:
                assert (
                    f"{v['attributed_to'] or 'not stated'} [{v['source']}]" in row["attributed_to"]
                )
            assert "fs-speaker--differs" in card
        elif names:
            (name,) = names
            assert claim["author"]["name"] == name == row["attributed_to"]
            assert _meta(card, "Attributed to")[1] == name
        else:
            assert "author" not in claim and row["attributed_to"] == ""
            assert ("fs-speaker--unstated" in card) == fact["speaker_unstated"]
    assert checked >= 3


def test_the_differences_page_groups_conflicts_and_wording(built: Path) -> None:
    page = (built / DIFFERENCES_HTML).read_text("utf-8")
    conflicts = page[page.index('id="disputed"') : page.index('id="worded"')]
    worded = page[page.index('id="worded"') : page.index('id="only-in"')]
    assert 'id="differ-military-impersonation"' in conflicts
    assert "Sources differ on who said it" in _text(conflicts)
    assert 'id="differ-public-institution-impersonation"' in worded
    assert 'id="differ-public-institution-impersonation"' not in conflicts
    assert "Not every source says who said it" in _text(worded)  # e.g. call-on-citizens
    sheet = _text((built / SHEET_HTML).read_text("utf-8"))
    assert re.search(r"Sources differ on 3 facts, word \d+ other facts differently", sheet)


def test_the_preview_checks_attributions_again_after_an_edit(project: Path) -> None:
    """With the preview's memo, an edit to the speakers or to a passage is seen at once."""
    from generator.generate import Memo, generate

    def problems(memo: Memo | None) -> list[str]:
        found = generate(project / "content", project / "templates", memo).problems
        return sorted(p.format() for p in found)

    memo = Memo()
    assert problems(memo) == []
    edit(project / SHEET, "      - CAC\n", "")
    kept = problems(memo)
    assert kept == problems(None) and len(kept) == 1 and "'fake-news-closures'" in kept[0]
    edit(project / SHEET, "      - the regulator\n", "      - the regulator\n      - CAC\n")
    assert problems(memo) == []
    edit(project / ACCOUNTS, "statement on\n          Friday\n", "statement on\n          Monday\n")
    kept = problems(memo)
    assert kept == problems(None) and len(kept) == 1 and "attribution passage" in kept[0]

"""Write a deterministic synthetic content directory in the project's real format.

Usage::

    python bench/make_content.py N DIR

writes ``DIR`` (a content directory: ``sources/*.yaml`` + ``*.txt`` and
``sheets/<id>/sheet.yaml`` + ``sheets/<id>/facts/*.yaml``) holding N facts in
N/20 topics on N/200 sheets (at least 1), citing N/10 sources (at least 2).
Next to it, in ``DIR/..``, it writes a ``mkdocs.yml`` (the project's, with the
site name changed) and a copy of the project's ``templates/``, so that::

    factsheet check --content DIR
    factsheet build -f DIR/../mkdocs.yml

work.  The usual layout is ``bench/out/N/{mkdocs.yml, content/, templates/}``.

Everything is drawn from ``random.Random`` seeded with N, and nothing depends on
hash order or the clock: the same N gives byte-identical files.  The content is
built to pass every check:

* every quote is a sentence or clause of its source's archived text, carrying a
  place name unique to its fact, so it occurs exactly once, on word boundaries;
* numbers are written in the quotes with separators and the fact's qualifier
  ("nearly 8,000" for amount 8000 qualifier nearly), ranges as "between 10,000
  and 20,000", vague amounts in words ("hundreds of thousands");
* about one fact in eight has a citation recording, under ``states:``, that its
  source gives another qualifier, amount, attribution or names (disputes),
  each backed by its own quote;
* every attribution is grounded: the quote names the speaker, or its citation
  gives the sentence's ``attribution`` passage ("The X said on Monday that"),
  or, where a source does not say who said it, ``states: speaker_unstated``;
* about a quarter of the sources are ``derived_from`` an earlier source, so
  there are no loops, and facts often cite an original together with a repeat;
* each archive's SHA-256 is recorded, and some sources mark page furniture;
* every sheet has its topics (about 20 facts each), scopes and key figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

FACTS_PER_TOPIC = 20
FACTS_PER_SHEET = 200
FACTS_PER_SOURCE = 10

# -- vocabulary ----------------------------------------------------------------------------

# fmt: off
_SYLLABLES = (
    "ka", "mo", "rel", "tu", "li", "mar", "ven", "sa", "dor", "pe", "ri", "lo", "an", "bel",
    "cor", "dra", "fen", "gol", "har", "is", "jun", "kel", "lum", "nor", "ost", "pra", "quin",
    "ros", "tal", "ub", "val", "wen", "yor", "zan", "bri", "cal", "dun", "el", "fal", "gri",
)
# fmt: on

AGENCIES = (
    "Cyberspace Administration",
    "Ministry of Public Security",
    "National Media Board",
    "Internet Information Office",
    "State Broadcasting Authority",
    "Communications Regulator",
    "Market Supervision Bureau",
    "Counter-Fraud Centre",
)
OUTLETS = (
    "Harbour Times",
    "Morning Ledger",
    "Daily Courier",
    "Evening Standard-Post",
    "Valley Gazette",
    "Northern Wire",
    "Coastal Review",
    "Metro Chronicle",
    "Capital Observer",
    "Eastern Herald",
)
WIRES = ("Reuters", "Associated Press", "Agence France-Presse", "Xinhua")
FIRST_NAMES = ("Joanna", "Li", "Amir", "Sofia", "Kenji", "Maria", "Tomas", "Aisha", "Ruth", "Wei")
LAST_NAMES = ("Swanson", "Chen", "Haddad", "Rossi", "Tanaka", "Novak", "Okafor", "Berg", "Zhou")
THEMES = (
    ("self-media", "self-media accounts"),
    ("rumours", "online rumours"),
    ("impersonation", "impersonation of officials"),
    ("fraud", "online fraud"),
    ("livestreams", "illegal livestreams"),
    ("ads", "misleading advertising"),
)
TOPIC_THEMES = (
    ("accounts", "Accounts closed"),
    ("posts", "Posts taken down"),
    ("penalties", "Penalties and warnings"),
    ("impersonation", "Impersonation"),
    ("platforms", "Platforms targeted"),
    ("campaign", "The campaign"),
    ("response", "Official response"),
    ("context", "Context"),
    ("arrests", "Arrests and prosecutions"),
    ("complaints", "Complaints from the public"),
)
UNITS = (
    ("accounts", "closed", "shut down"),
    ("posts", "deleted", "removed"),
    ("videos", "taken down", "pulled"),
    ("websites", "blocked", "taken offline"),
    ("groups", "dissolved", "disbanded"),
    ("apps", "removed from stores", "delisted"),
    ("users", "warned", "sanctioned"),
    ("channels", "suspended", "closed"),
)
REASONS = (
    "for spreading fake news, rumours and harmful information",
    "for impersonating government officials",
    "for illegal profiteering",
    "for inflating hot issues and chasing influence",
    "for posing as news outlets",
    "for giving career advice without the relevant qualifications",
    "for selling counterfeit goods",
    "for running unlicensed gambling promotions",
)
QUALIFIER_PHRASES = {
    "exact": ("",),
    "about": ("about", "around", "roughly", "approximately"),
    "nearly": ("nearly", "almost"),
    "more-than": ("more than", "over"),
    "at-least": ("at least",),
    "up-to": ("up to", "as many as"),
    "fewer-than": ("fewer than",),
}
VAGUE = (
    ("hundreds of thousands", 200_000, 900_000),
    ("tens of thousands", 20_000, 90_000),
    ("thousands", 2_000, 9_000),
    ("millions", 2_000_000, 9_000_000),
)
FILLERS = (
    "The announcement came as officials stepped up scrutiny of popular platforms.",
    "Critics say the rules are vague and can be used against legitimate reporting.",
    "The platforms did not immediately respond to requests for comment.",
    "Officials have repeatedly promised to clean up the online environment.",
    "The regulator publishes figures of this kind every few months.",
    "Similar campaigns were announced last year with comparable results.",
    "Some of the accounts had large followings and ran paid promotions.",
    "Observers noted that the statement gave no breakdown by platform.",
    "The agency has about 1,200 staff working on online content.",
    "Several companies said they had already tightened their own rules.",
    "A spokesperson declined to say how the accounts were identified.",
    "The statement was posted on the regulator's official social media account.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SOURCE_TYPES = ("news-article", "wire-report", "news-article", "statement", "report", "web-page")


def coined_name(index: int, salt: int = 0) -> str:
    """A pronounceable name unique to ``index`` (digits of the index in syllables)."""
    n = index * 7919 + salt
    parts: list[str] = []
    base = len(_SYLLABLES)
    while True:
        parts.append(_SYLLABLES[n % base])
        n //= base
        if n == 0:
            break
    if len(parts) == 1:
        parts.append("a")
    return "".join(parts).capitalize()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def amount_text(amount: int) -> str:
    """How the quotes write an amount: '1.4 million', '67,000'."""
    if amount >= 1_000_000 and amount % 100_000 == 0:
        millions = amount / 1_000_000
        shown = f"{millions:.1f}".rstrip("0").rstrip(".")
        return f"{shown} million"
    return f"{amount:,}"


# -- the plan ------------------------------------------------------------------------------


@dataclass
class CitationPlan:
    source: int
    quote: str
    sentence: str
    states: dict[str, object] | None = None
    note: str | None = None
    attribution: str | None = None


@dataclass
class FactPlan:
    index: int
    id: str
    topic: str
    sheet: int
    statement: str
    label: str | None = None
    citations: list[CitationPlan] = field(default_factory=list)
    value: dict[str, object] | None = None
    scope: str | None = None
    date: str | None = None
    date_note: str | None = None
    period: tuple[str, str] | None = None
    attributed_to: str | None = None
    names: list[str] | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    derived: list[dict[str, object]] = field(default_factory=list)
    place: str = ""
    headline: str | None = None
    """The fact's figure in a clause for the sheet's summary ("nearly 8,000 posts were
    deleted in Kamo"), for facts with an amount."""


@dataclass
class TopicPlan:
    id: str
    title: str
    intro: str | None
    facts: list[FactPlan] = field(default_factory=list)


@dataclass
class SheetPlan:
    index: int
    id: str
    title: str
    region: str
    theme: str
    year: int
    topics: list[TopicPlan] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)


@dataclass
class SourcePlan:
    index: int
    id: str
    title: str
    type: str
    outlet: str | None
    agency: str | None
    publisher: str | None
    authors: list[dict[str, str]]
    """Each a person ({family, given}) or an organisation ({organisation})."""
    published: str
    url: str | None
    language: str
    derived_from: list[int]
    label: str | None
    sentences: list[str] = field(default_factory=list)
    furniture_top: str | None = None
    furniture_bottom: str | None = None
    byline_box: tuple[str, str] | None = None
    """(given, family) of the writer a republisher's author box names (page furniture)."""

    def byline_box_text(self) -> str:
        assert self.byline_box is not None
        given, family = self.byline_box
        return f"About the author: {given} {family} writes for this site. Box {self.index}."


class Generator:
    def __init__(self, n: int) -> None:
        self.n = n
        self.rng = random.Random(f"factsheet-bench-{n}")
        self.n_sheets = max(1, n // FACTS_PER_SHEET)
        self.n_topics = max(1, n // FACTS_PER_TOPIC)
        self.n_sources = max(2, n // FACTS_PER_SOURCE)
        self.sheets: list[SheetPlan] = []
        self.sources: list[SourcePlan] = []
        self.facts: list[FactPlan] = []
        self._topic_sheet: dict[str, SheetPlan] = {}
        self._repeats: dict[int, list[int]] = {}
        """Source index -> the sources derived from it, in order."""

    # -- sources -----------------------------------------------------------------------

    def plan_sources(self) -> None:
        rng = self.rng
        groups: dict[int, list[int]] = {}
        for j in range(self.n_sources):
            group = j * self.n_sheets // self.n_sources
            kind = rng.choice(SOURCE_TYPES)
            year = 2023 + group % 3
            month = rng.randint(1, 12)
            day = rng.randint(1, 28)
            outlet = rng.choice(OUTLETS)
            agency = rng.choice(WIRES) if kind == "wire-report" else None
            publisher = f"{outlet} Media Group" if rng.random() < 0.3 else None
            authors: list[dict[str, str]] = [
                {"given": rng.choice(FIRST_NAMES), "family": rng.choice(LAST_NAMES)}
                for _ in range(rng.choice((0, 1, 1, 2)))
            ]
            if not authors and j % 4 == 1:  # an agency's or outlet's staff byline
                authors.append({"organisation": f"{agency or outlet} Staff"})
            sid = f"{slug(outlet)}-{year}-{month:02d}-{day:02d}-{j:05d}"
            derived: list[int] = []
            siblings = list(groups.get(group, ()))  # earlier sources of the same sheet
            groups.setdefault(group, []).append(j)
            if siblings and rng.random() < 0.25:
                derived.append(rng.choice(siblings))
                if rng.random() < 0.1 and len(siblings) > 1:
                    other = rng.choice(siblings)
                    if other not in derived:
                        derived.append(other)
            elif j > 0 and rng.random() < 0.02:
                derived.append(rng.randrange(j))  # across sheets: still no loops
            region = coined_name(group, salt=3)
            title = (
                f"{region} regulator reports new figures in its campaign "
                f"(report {j + 1} of {self.n_sources})"
            )
            self.sources.append(
                SourcePlan(
                    index=j,
                    id=sid,
                    title=title,
                    type=kind,
                    outlet=outlet if kind != "statement" else None,
                    agency=agency,
                    publisher=publisher if kind != "statement" else f"{region} {AGENCIES[0]}",
                    authors=authors,
                    published=f"{year}-{month:02d}-{day:02d}"
                    if rng.random() < 0.8
                    else f"{year}-{month:02d}",
                    url=f"https://news.example.org/{year}/{month:02d}/{sid}"
                    if rng.random() < 0.7
                    else None,
                    language="en",
                    derived_from=derived,
                    label=f"{outlet} ({j})" if rng.random() < 0.2 else None,
                )
            )
            src = self.sources[-1]
            if rng.random() < 0.4:
                src.furniture_top = f"Share this story · Follow the {outlet} · Story {j}"
            if rng.random() < 0.4:
                src.furniture_bottom = f"© {outlet} {year}. All rights reserved. Ref {j}."
            boxed = (FIRST_NAMES[j % len(FIRST_NAMES)], LAST_NAMES[j % len(LAST_NAMES)])
            named = {(a.get("given"), a.get("family")) for a in authors}
            if derived and j % 3 == 0 and boxed not in named:
                src.byline_box = boxed  # a republisher's author box: furniture, not authors
        for source in self.sources:
            for parent in source.derived_from:
                self._repeats.setdefault(parent, []).append(source.index)

    # -- sheets, topics and facts ------------------------------------------------------

    def plan_fact(self, i: int, topic: TopicPlan) -> FactPlan:
        rng = self.rng
        sheet = self._topic_sheet[topic.id]
        place = coined_name(i, salt=11)
        agency = f"{sheet.region} {rng.choice(AGENCIES)}"
        fact = FactPlan(
            index=i,
            id=f"{slug(topic.id.split('-')[0])}-{slug(place)}-{i:06d}",
            topic=topic.id,
            sheet=sheet.index,
            statement="",
            place=place,
        )
        # which sources: a primary, then perhaps a repeat of it and/or an independent one
        pool = sheet.sources or [i % self.n_sources]
        primary = rng.choice(pool)
        if rng.random() < 0.05:
            primary = rng.randrange(self.n_sources)  # a source from another sheet
        cited = [primary]
        repeats = self._repeats.get(primary, [])
        roll = rng.random()
        if roll < 0.3:
            pass
        elif roll < 0.55 and repeats:
            cited.append(rng.choice(repeats))
        else:
            other = rng.choice(pool)
            if other not in cited:
                cited.append(other)
            if rng.random() < 0.25:
                third = rng.choice(repeats or pool)
                if third not in cited:
                    cited.append(third)
        kind = rng.choices(("value", "period", "date", "names", "plain"), (60, 8, 7, 10, 15))[0]
        if kind == "value":
            self._value_fact(fact, place, agency, cited)
        elif kind == "period":
            self._period_fact(fact, place, agency, cited, sheet.year)
        elif kind == "date":
            self._date_fact(fact, place, agency, cited, sheet.year)
        elif kind == "names":
            self._names_fact(fact, place, cited)
        else:
            self._plain_fact(fact, place, agency, cited)
        if rng.random() < 0.15:
            fact.tags = sorted({rng.choice(("definitions", "platforms", "figures", "law"))})
        if rng.random() < 0.12:
            fact.note = (
                f"The reports give no breakdown for {place}; the figure is as the "
                "regulator stated it."
            )
        value = fact.value
        if value is not None and value["qualifier"] == "range" and fact.note is None and i % 2:
            low, high = int(str(value["amount"])), int(str(value["upper"]))
            middle = amount_text((low + high) // 2)
            fact.note = f"The middle of the range, {middle}, is the editor's calculation."
            fact.derived = [
                {
                    "figure": middle,
                    "from": [fact.id],
                    "how": f"halfway between {amount_text(low)} and {amount_text(high)}",
                }
            ]
        return fact

    def _value_fact(self, fact: FactPlan, place: str, agency: str, cited: list[int]) -> None:
        rng = self.rng
        unit, verb, verb2 = rng.choice(UNITS)
        reason = rng.choice(REASONS)
        fact.attributed_to = agency
        fact.scope = "campaign" if rng.random() < 0.7 else "unstated"
        if rng.random() < 0.4:
            fact.label = f"{unit.capitalize()} {verb} in {place}"
        shape = rng.choices(("plain", "range", "vague"), (85, 8, 7))[0]
        if shape == "vague":
            words, low, high = rng.choice(VAGUE)
            fact.value = {"qualifier": "vague", "words": words, "min": low, "max": high}
            fact.value["unit"] = unit
            said = f"{words} of {unit}"
            fact.statement = (
                f"{words.capitalize()} of {unit} were {verb} in {place} {reason}, "
                f"according to the {agency}."
            )
            self._add_wordings(fact, place, agency, cited, said, verb, verb2, reason)
            return
        amount = self._amount()
        if shape == "range":
            upper = amount * rng.choice((2, 3, 5))
            fact.value = {"amount": amount, "upper": upper, "qualifier": "range", "unit": unit}
            said = f"between {amount_text(amount)} and {amount_text(upper)} {unit}"
            fact.statement = f"Between {amount_text(amount)} and {amount_text(upper)} {unit} " + (
                f"were {verb} in {place} {reason}."
            )
            self._add_wordings(fact, place, agency, cited, said, verb, verb2, reason)
            return
        qualifier = rng.choice(tuple(QUALIFIER_PHRASES))
        fact.value = {"amount": amount, "qualifier": qualifier, "unit": unit}
        phrase = rng.choice(QUALIFIER_PHRASES[qualifier])
        said = f"{phrase} {amount_text(amount)} {unit}".strip()
        fact.statement = f"{said[0].upper()}{said[1:]} were {verb} in {place} {reason}."
        fact.headline = f"{said} were {verb} in {place}"
        dispute = len(cited) > 1 and rng.random() < 0.25
        self._add_wordings(
            fact, place, agency, cited, said, verb, verb2, reason, dispute=dispute, amount=amount
        )

    def _amount(self) -> int:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return rng.randint(1, 999) * 1000
        if roll < 0.8:
            return rng.randint(11, 999) * 100
        return rng.randint(11, 99) * 100_000

    def _add_wordings(
        self,
        fact: FactPlan,
        place: str,
        agency: str,
        cited: list[int],
        said: str,
        verb: str,
        verb2: str,
        reason: str,
        *,
        dispute: bool = False,
        amount: int | None = None,
    ) -> None:
        rng = self.rng
        for number, source in enumerate(cited):
            states: dict[str, object] | None = None
            own = said
            own_agency = agency
            if dispute and number == len(cited) - 1 and fact.value is not None and amount:
                what = rng.choice(("qualifier", "amount", "attribution"))
                unit = str(fact.value["unit"])
                qualifier = str(fact.value["qualifier"])
                if what == "qualifier":
                    other = rng.choice([q for q in QUALIFIER_PHRASES if q != qualifier])
                    phrase = rng.choice(QUALIFIER_PHRASES[other])
                    own = f"{phrase} {amount_text(amount)} {unit}".strip()
                    states = {"qualifier": other}
                elif what == "amount":
                    other_amount = amount + rng.choice((1, 2, 3)) * (
                        100 if amount < 1_000_000 else 100_000
                    )
                    phrase = rng.choice(QUALIFIER_PHRASES[qualifier])
                    own = f"{phrase} {amount_text(other_amount)} {unit}".strip()
                    states = {"amount": other_amount}
                else:
                    own_agency = f"{agency.split()[0]} {rng.choice(AGENCIES)}"
                    if own_agency == agency:
                        own_agency = f"{agency.split()[0]} Police Bureau"
                    states = {"attributed_to": own_agency}
            attribution = None
            if number == 0:
                sentence, quote, attribution = self._original(own, place, own_agency, verb, reason)
            else:
                sentence, quote = self._rewrite(own, place, own_agency, verb2, reason)
            note = None
            if states is not None and rng.random() < 0.3:
                note = "The figures in these reports differ; neither explains why."
            fact.citations.append(CitationPlan(source, quote, sentence, states, note, attribution))

    def _original(
        self, said: str, place: str, agency: str, verb: str, reason: str
    ) -> tuple[str, str, str | None]:
        """The sentence, the quote, and the passage naming the speaker if the quote does not."""
        rng = self.rng
        pattern = rng.randrange(3)
        if pattern == 0:
            text = (
                f"{said[0].upper()}{said[1:]} were {verb} in {place} {reason}, the {agency} said."
            )
            return text, text, None
        if pattern == 1:
            day = rng.choice(WEEKDAYS)
            quote = f"{said} had been {verb} in {place} {reason}"
            lead = f"The {agency} said on {day} that"
            return f"{lead} {quote}.", quote, lead
        quote = f"In {place}, {said} were {verb} {reason}, according to the {agency}."
        return quote, quote, None

    def _rewrite(
        self, said: str, place: str, agency: str, verb: str, reason: str
    ) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            text = f"According to the {agency}, {said} in {place} were {verb} {reason}."
            return text, text
        quote = f"the {agency} said {said} had been {verb} in {place} {reason}"
        return f"Separately, {quote}.", quote

    def _period_fact(
        self, fact: FactPlan, place: str, agency: str, cited: list[int], year: int
    ) -> None:
        rng = self.rng
        m1 = rng.randint(1, 6)
        d1 = rng.randint(1, 28)
        m2 = m1 + rng.randint(1, 5)
        d2 = rng.randint(1, 28)
        fact.period = (f"{year}-{m1:02d}-{d1:02d}", f"{year}-{m2:02d}-{d2:02d}")
        fact.scope = "campaign"
        fact.attributed_to = agency
        span = f"between {MONTHS[m1 - 1]} {d1} and {MONTHS[m2 - 1]} {d2}"
        fact.statement = f"The campaign in {place} ran {span} {year}."
        fact.label = f"Campaign in {place}"
        fact.note = "The reports do not give the year; it follows from their dates."
        for number, source in enumerate(cited):
            states: dict[str, object] | None = None
            if number == 0:
                quote = f"the {agency} said the campaign in {place} ran {span}"
                sentence = f"In a statement, {quote}."
            else:  # a report that gives the dates without saying who gave them
                quote = f"The {place} probe, which ran {span}, was part of a broader campaign."
                sentence = quote
                states = {"speaker_unstated": True}
            fact.citations.append(CitationPlan(source, quote, sentence, states))

    def _date_fact(
        self, fact: FactPlan, place: str, agency: str, cited: list[int], year: int
    ) -> None:
        rng = self.rng
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        fact.date = f"{year}-{month:02d}-{day:02d}"
        fact.date_note = "Inferred: the report says only which weekday the statement came."
        fact.attributed_to = agency
        fact.statement = f"The {agency} announced the results for {place} in a statement."
        for number, source in enumerate(cited):
            weekday = rng.choice(WEEKDAYS)
            if number == 0:
                quote = f"The {agency} said in a statement on {weekday} that its work in {place}"
                sentence = f"{quote} was complete."
            else:
                quote = f"results for {place} were announced by the {agency}"
                sentence = f"On {weekday}, {quote}."
            fact.citations.append(CitationPlan(source, quote, sentence))

    def _names_fact(self, fact: FactPlan, place: str, cited: list[int]) -> None:
        rng = self.rng
        names = [f"{place} {rng.choice(('Red', 'Blue', 'Free'))} Army", f"{place} News Centre"]
        fact.names = names
        fact.scope = "unstated"
        fact.statement = (
            f"Fake accounts in {place} used names such as “{names[0]}” and “{names[1]}”."
        )
        dispute = len(cited) > 1 and rng.random() < 0.35
        for number, source in enumerate(cited):
            states: dict[str, object] | None = None
            own = names
            if dispute and number == len(cited) - 1:
                own = [names[0].replace("Army", "Command"), names[1]]
                states = {"names": own}
            if number == 0:
                quote = f"with names such as “{own[0]},” and “{own[1]}” in {place}"
                sentence = f"Fake accounts were found {quote}."
            else:
                quote = f"accounts in {place} called “{own[0]}” and “{own[1]}”"
                sentence = f"Other reports mention {quote}."
            fact.citations.append(CitationPlan(source, quote, sentence, states))

    def _plain_fact(self, fact: FactPlan, place: str, agency: str, cited: list[int]) -> None:
        rng = self.rng
        platforms = rng.sample(("WeChat", "Douyin", "Weibo", "Kuaishou", "Bilibili", "QQ"), 3)
        listed = f"{platforms[0]}, {platforms[1]} and {platforms[2]}"
        fact.statement = f"The crackdown in {place} targeted accounts on {listed}."
        fact.tags = ["platforms"]
        for number, source in enumerate(cited):
            if number == 0:
                quote = (
                    f"The crackdown in {place} targeted accounts on popular apps including {listed}"
                )
                sentence = f"{quote}, the {agency} said."
            else:
                quote = f"apps like {listed} were the focus in {place}"
                sentence = f"Popular {quote}, the report said."
            fact.citations.append(CitationPlan(source, quote, sentence))

    # -- the whole plan ----------------------------------------------------------------

    def plan(self) -> None:
        self.plan_sources()
        rng = self.rng
        for s in range(self.n_sheets):
            theme_id, theme_words = THEMES[s % len(THEMES)]
            region = coined_name(s, salt=3)
            year = 2023 + s % 3
            sheet = SheetPlan(
                index=s,
                id=f"{slug(region)}-{theme_id}-{year}-{s:04d}",
                title=f"{region}'s {year} crackdown on {theme_words}",
                region=region,
                theme=theme_words,
                year=year,
            )
            self.sheets.append(sheet)
        for source in self.sources:
            self.sheets[source.index * self.n_sheets // self.n_sources].sources.append(source.index)
        for t in range(self.n_topics):
            sheet = self.sheets[t * self.n_sheets // self.n_topics]
            theme_id, theme_title = TOPIC_THEMES[t % len(TOPIC_THEMES)]
            intro = (
                f"What the reports say about {theme_title.lower()} in {sheet.region}."
                if rng.random() < 0.5
                else None
            )
            title = f"{theme_title} in {coined_name(t, salt=5)}"
            topic = TopicPlan(f"{theme_id}-{t:05d}", title, intro)
            sheet.topics.append(topic)
            self._topic_sheet[topic.id] = sheet
        topics = [topic for sheet in self.sheets for topic in sheet.topics]
        for i in range(self.n):
            topic = topics[i * self.n_topics // self.n]
            fact = self.plan_fact(i, topic)
            topic.facts.append(fact)
            self.facts.append(fact)
        for fact in self.facts:
            for citation in fact.citations:
                self.sources[citation.source].sentences.append(citation.sentence)

    # -- writing -------------------------------------------------------------------------

    def archive_text(self, source: SourcePlan) -> str:
        rng = self.rng
        lines: list[str] = []
        if source.furniture_top:
            lines.append(source.furniture_top)
        lines.append(source.title)
        sentences = list(source.sentences)
        rng.shuffle(sentences)
        fillers = list(FILLERS)
        rng.shuffle(fillers)
        paragraph: list[str] = []
        for sentence in sentences:
            paragraph.append(sentence)
            if rng.random() < 0.3 and fillers:
                paragraph.append(fillers.pop())
            if len(paragraph) >= rng.choice((1, 2, 3)):
                lines.append(" ".join(paragraph))
                paragraph = []
        if paragraph:
            lines.append(" ".join(paragraph))
        if not sentences:
            lines.append(fillers.pop())
        if source.furniture_bottom:
            lines.append(source.furniture_bottom)
        if source.byline_box:
            lines.append(source.byline_box_text())
        return "\n\n".join(lines) + "\n"

    def write(self, content: Path) -> None:
        if content.exists():
            shutil.rmtree(content)
        (content / "sources").mkdir(parents=True)
        for source in self.sources:
            text = self.archive_text(source).encode("utf-8")
            (content / "sources" / f"{source.id}.txt").write_bytes(text)
            digest = hashlib.sha256(text).hexdigest()
            (content / "sources" / f"{source.id}.yaml").write_text(
                self.source_yaml(source, digest), encoding="utf-8"
            )
        for sheet in self.sheets:
            base = content / "sheets" / sheet.id
            (base / "facts").mkdir(parents=True)
            (base / "sheet.yaml").write_text(self.sheet_yaml(sheet), encoding="utf-8")
            for number, topic in enumerate(sheet.topics, start=1):
                if not topic.facts:
                    continue
                name = f"{number:02d}-{topic.id}.yaml"
                (base / "facts" / name).write_text(self.facts_yaml(topic), encoding="utf-8")

    def source_yaml(self, source: SourcePlan, digest: str) -> str:
        w = YamlWriter()
        w.comment("yaml-language-server: $schema=../../generator/schemas/source.schema.json")
        w.key("id", source.id)
        w.key("title", source.title)
        if source.label:
            w.key("label", source.label)
        w.key("type", source.type)
        for key in ("agency", "publisher", "outlet"):
            value = getattr(source, key)
            if value:
                w.key(key, value)
        if source.authors:
            w.open("authors")
            for author in source.authors:
                for number, key in enumerate(k for k in AUTHOR_KEYS if k in author):
                    if number == 0:
                        w.item_key(key, author[key], 2)
                    else:
                        w.key(key, author[key], 4)
        w.raw("published", source.published)
        if source.url:
            w.key("url", source.url)
        w.key("language", source.language)
        if source.derived_from:
            w.list("derived_from", [self.sources[d].id for d in source.derived_from])
            w.key(
                "notes",
                "A rewrite of the report it is derived from; it adds no reporting of its own.",
            )
        w.open("archive")
        w.key("file", f"{source.id}.txt", 2)
        w.key("sha256", digest, 2)
        furniture = []
        if source.furniture_top:
            furniture.append((source.furniture_top, "navigation of the republishing site"))
        if source.furniture_bottom:
            furniture.append((source.furniture_bottom, "copyright line"))
        if furniture or source.byline_box:
            w.open("furniture", 2)
            for start, reason in furniture:
                w.item_key("start", start, 4)
                w.key("reason", reason, 6)
            if source.byline_box:
                given, family = source.byline_box
                w.item_key("start", source.byline_box_text(), 4)
                w.key("reason", "the republishing site's author box", 6)
                w.open("byline", 6)
                w.item_key("family", family, 8)
                w.key("given", given, 10)
        return w.text()

    def sheet_yaml(self, sheet: SheetPlan) -> str:
        facts = [f for t in sheet.topics for f in t.facts]
        w = YamlWriter()
        w.comment("yaml-language-server: $schema=../../../generator/schemas/sheet.schema.json")
        w.key("id", sheet.id)
        w.key("title", sheet.title)
        w.key(
            "description",
            f"Accounts, posts and penalties in {sheet.region}'s {sheet.year} campaign "
            f"against {sheet.theme}, with every figure sourced.",
        )
        w.raw("as_of", f"{sheet.year}-12-31")
        w.open("period")
        w.raw("start", f"{sheet.year}-01-01", 2)
        w.raw("end", f"{sheet.year}-12-31", 2)
        valued = [f for f in facts if f.value is not None]
        lede = (
            f"In {sheet.year} the authorities of {sheet.region} ran a campaign against "
            f"{sheet.theme}."
        )
        # Every number in the summary is a fact's figure or a derivation from facts.
        headlined = [f for f in valued if f.headline]
        if headlined:
            lede += f" Among the figures reported, {headlined[0].headline}."
        derived: list[dict[str, object]] = []
        pair = self.summed_pair(headlined)
        if pair is not None:
            a, b = pair
            low, high = int(str(a.value["amount"])), int(str(b.value["amount"]))  # type: ignore[index]
            total = amount_text(low + high)
            lede += (
                f" Taken together, the {a.value['unit']} counted in {a.place} and "  # type: ignore[index]
                f"{b.place} come to {total}."
            )
            derived.append(
                {
                    "figure": total,
                    "from": [a.id, b.id],
                    "how": f"{amount_text(low)} plus {amount_text(high)}",
                }
            )
        w.block(
            "summary",
            f"{lede}\n\nFigures of different scopes are shown apart and never added up. "
            "Where the sources disagree, the sheet records what each says.",
        )
        w.open("topics")
        for topic in sheet.topics:
            w.item_key("id", topic.id, 2)
            w.key("title", topic.title, 4)
            if topic.intro:
                w.key("intro", topic.intro, 4)
        w.open("scopes")
        w.item_key("id", "campaign", 2)
        w.key("title", f"{sheet.region} campaign, {sheet.year}", 4)
        w.key("description", "The campaign the regulator's statements report on.", 4)
        w.item_key("id", "unstated", 2)
        w.key("title", "Categories reported without a stated campaign", 4)
        keys: list[FactPlan] = []
        seen_topics: set[str] = set()
        for fact in valued:
            if fact.value and fact.value["qualifier"] != "vague" and fact.topic not in seen_topics:
                keys.append(fact)
                seen_topics.add(fact.topic)
            if len(keys) == 4:
                break
        if keys:
            w.open("key_figures")
            for fact in keys:
                w.item_key("fact", fact.id, 2)
                assert fact.value is not None
                w.key("meaning", f"{fact.value['unit']} acted on in the district", 4)
        if derived:
            w.open("derived")
            self.derivation_yaml(w, derived, 2)
        return w.text()

    @staticmethod
    def summed_pair(facts: list[FactPlan]) -> tuple[FactPlan, FactPlan] | None:
        """Two exact figures of one unit and scope, which the summary may add up."""
        seen: dict[tuple[str, str], FactPlan] = {}
        for fact in facts:
            value = fact.value
            if value is None or value["qualifier"] != "exact" or fact.scope is None:
                continue
            key = (str(value["unit"]), fact.scope)
            if key in seen:
                return seen[key], fact
            seen[key] = fact
        return None

    @staticmethod
    def derivation_yaml(w: YamlWriter, derived: list[dict[str, object]], indent: int) -> None:
        for item in derived:
            w.item_key("figure", str(item["figure"]), indent)
            w.list("from", [str(f) for f in item["from"]], indent + 2)  # type: ignore[attr-defined]
            w.key("how", str(item["how"]), indent + 2)

    def facts_yaml(self, topic: TopicPlan) -> str:
        w = YamlWriter()
        w.comment("yaml-language-server: $schema=../../../../generator/schemas/facts.schema.json")
        w.open("facts")
        for number, fact in enumerate(topic.facts):
            if number:
                w.blank()
            w.item_key("id", fact.id, 2)
            w.key("topic", fact.topic, 4)
            w.block("statement", fact.statement, 4)
            if fact.label:
                w.key("label", fact.label, 4)
            if fact.value is not None:
                w.open("value", 4)
                for key in ("amount", "upper", "words", "min", "max", "unit", "qualifier"):
                    if key in fact.value:
                        value = fact.value[key]
                        if isinstance(value, int):
                            w.raw(key, str(value), 6)
                        else:
                            w.key(key, str(value), 6)
            if fact.scope:
                w.key("scope", fact.scope, 4)
            if fact.date:
                w.raw("date", fact.date, 4)
            if fact.date_note:
                w.block("date_note", fact.date_note, 4)
            if fact.period:
                w.open("period", 4)
                w.raw("start", fact.period[0], 6)
                w.raw("end", fact.period[1], 6)
            if fact.attributed_to:
                w.key("attributed_to", fact.attributed_to, 4)
            if fact.names:
                w.list("names", fact.names, 4)
            if fact.tags:
                w.list("tags", fact.tags, 4)
            if fact.note:
                w.block("note", fact.note, 4)
            if fact.derived:
                w.open("derived", 4)
                self.derivation_yaml(w, fact.derived, 6)
            w.open("citations", 4)
            for citation in fact.citations:
                w.item_key("source", self.sources[citation.source].id, 6)
                w.block("quote", citation.quote, 8)
                if citation.attribution:
                    w.block("attribution", citation.attribution, 8)
                if citation.states:
                    w.open("states", 8)
                    for key, value in citation.states.items():
                        if isinstance(value, list):
                            w.list(key, [str(v) for v in value], 10)
                        elif isinstance(value, bool):
                            w.raw(key, "true" if value else "false", 10)
                        elif isinstance(value, int):
                            w.raw(key, str(value), 10)
                        else:
                            w.key(key, str(value), 10)
                if citation.note:
                    w.block("note", citation.note, 8)
        return w.text()


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.'()/“”‘’·-]*")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


AUTHOR_KEYS = ("family", "given", "organisation")
"""The keys of an author as the generated content writes them, in order."""


class YamlWriter:
    """Just enough YAML, written by hand in the style of the project's content."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def comment(self, text: str) -> None:
        self.lines.append(f"# {text}")

    def blank(self) -> None:
        self.lines.append("")

    @staticmethod
    def scalar(value: str) -> str:
        plain = (
            _PLAIN.fullmatch(value)
            and value.lower() not in _RESERVED
            and not value.endswith((" ", ":"))
            and not re.fullmatch(r"[0-9.,:-]+", value)
        )
        return value if plain else json.dumps(value, ensure_ascii=False)

    def key(self, key: str, value: str, indent: int = 0) -> None:
        self.lines.append(f"{' ' * indent}{key}: {self.scalar(value)}")

    def raw(self, key: str, value: str, indent: int = 0) -> None:
        """A plain scalar the schema reads as a number or date (never quoted)."""
        self.lines.append(f"{' ' * indent}{key}: {value}")

    def open(self, key: str, indent: int = 0) -> None:
        self.lines.append(f"{' ' * indent}{key}:")

    def item_key(self, key: str, value: str, indent: int) -> None:
        self.lines.append(f"{' ' * indent}- {key}: {self.scalar(value)}")

    def list(self, key: str, values: list[str], indent: int = 0) -> None:
        self.open(key, indent)
        for value in values:
            self.lines.append(f"{' ' * (indent + 2)}- {self.scalar(value)}")

    def block(self, key: str, value: str, indent: int = 0) -> None:
        """Long text as a folded block (``>-``), or ``|`` when it has paragraphs."""
        if len(value) <= 60 and "\n" not in value:
            self.key(key, value, indent)
            return
        pad = " " * (indent + 2)
        if "\n" in value:
            self.lines.append(f"{' ' * indent}{key}: |")
            for line in value.split("\n"):
                self.lines.append(f"{pad}{line}" if line else "")
            return
        self.lines.append(f"{' ' * indent}{key}: >-")
        width = max(40, 88 - len(pad))
        for line in textwrap.wrap(value, width, break_long_words=False, break_on_hyphens=False):
            self.lines.append(f"{pad}{line}")


def write_project(n: int, content: Path) -> None:
    """The content directory, and mkdocs.yml and templates/ next to it."""
    generator = Generator(n)
    generator.plan()
    generator.write(content)
    root = content.parent
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(
        r"^site_name:.*$",
        f"site_name: Fact sheets (synthetic, {n:,} facts)",
        config,
        count=1,
        flags=re.M,
    )
    if content.name != "content":
        config = config.replace(
            "  - factsheet\n", f"  - factsheet:\n      content_dir: {content.name}\n", 1
        )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    templates = root / "templates"
    if templates.exists():
        shutil.rmtree(templates)
    shutil.copytree(PROJECT / "templates", templates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of facts")
    parser.add_argument("dir", type=Path, help="content directory to write (replaced)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    write_project(args.n, args.dir.resolve())
    print(f"wrote {args.n:,} facts into {args.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

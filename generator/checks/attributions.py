"""Who said it must be stated by the sources, like the numbers.

A fact's ``attributed_to`` (or a citation's ``states: attributed_to``, when its
source names another speaker) is a claim about each cited source: that it says
this body or person made the statement.  For every cited source the speaker, or
one of the aliases declared for it under the sheet's ``speakers``, must be
named in the quote of one of the fact's citations of that source, or in a
citation's ``attribution``: a passage of the same source, copied verbatim,
that names the speaker ("according to the CAC").  Names are compared after the
quote normalisation (:mod:`generator.text.textmatch`), case-insensitively and as
whole words ("CAC" is not found in "CACHE").

A fact whose sources do not say who made the statement says so with
``speaker_unstated: true`` (and has nothing to ground); a citation whose own
source leaves it unsaid records ``states: speaker_unstated: true``.  An
``attributed_to`` must be a declared speaker's name, not one of its aliases,
so that one body is shown under one name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.checks.quotes import QuoteIndex, closest_passage
from generator.content.model import Citation, Content, Fact, Sheet, Source, Speaker
from generator.problems import Loc, Problem
from generator.text.textmatch import normalize


def _folded(text: str) -> str:
    return normalize(text).casefold()


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def names_in(names: Iterable[str], text: str) -> bool:
    """Whether ``text`` names any of ``names``: after normalisation, ignoring case, whole words.

    A name that starts or ends with a letter or digit must not continue a word there
    ("CAC" is not in "CACHE").
    """
    haystack = _folded(text)
    for name in names:
        wanted = _folded(name)
        if not wanted:
            continue
        at = haystack.find(wanted)
        while at != -1:
            end = at + len(wanted)
            if not (at > 0 and _word(wanted[0]) and _word(haystack[at - 1])) and not (
                end < len(haystack) and _word(wanted[-1]) and _word(haystack[end])
            ):
                return True
            at = haystack.find(wanted, at + 1)
    return False


@dataclass(frozen=True)
class Speakers:
    """A sheet's declared speakers, by folded name and by folded alias."""

    by_name: dict[str, Speaker]
    by_alias: dict[str, Speaker]

    @staticmethod
    def of(sheet: Sheet | None) -> Speakers:
        by_name: dict[str, Speaker] = {}
        by_alias: dict[str, Speaker] = {}
        for speaker in sheet.speakers if sheet is not None else []:
            by_name.setdefault(_folded(speaker.name), speaker)
            for alias in speaker.aliases:
                by_alias.setdefault(_folded(alias), speaker)
        return Speakers(by_name, by_alias)

    def words(self, name: str) -> list[str]:
        """The name and, if it is declared, its aliases."""
        speaker = self.by_name.get(_folded(name))
        return [name, *(speaker.aliases if speaker else [])]


def check(
    content: Content, index: QuoteIndex, each_fact: Callable[..., list[Problem]] | None = None
) -> list[Problem]:
    """Check every fact with ``each_fact`` (by default :func:`check_fact`)."""
    each = each_fact or check_fact
    problems: list[Problem] = []
    speakers: dict[str, Speakers] = {}
    for fact in content.facts.values():
        sheet = content.sheets.get(fact.sheet)
        if sheet is None:
            continue  # its sheet.yaml did not load (reported); its speakers are unknown
        known = speakers.get(sheet.id)
        if known is None:
            known = speakers[sheet.id] = Speakers.of(sheet)
        cited = tuple(content.sources.get(c.source) for c in fact.citations)
        problems.extend(each(fact, sheet, cited, speakers=known, index=index))
    return problems


def check_fact(
    fact: Fact,
    sheet: Sheet,
    cited: tuple[Source | None, ...],
    *,
    speakers: Speakers,
    index: QuoteIndex,
) -> list[Problem]:
    """One fact's attributions: ``cited`` are its citations' sources (None: unknown);
    ``speakers`` are the sheet's, ``index`` where the quote check found each quote."""
    problems: list[Problem] = []
    fact_where = fact.where
    path = fact_where.path if fact_where else ""
    if fact.attributed_to and _alias_of(fact.attributed_to, speakers):
        problems.append(
            _alias_used(
                fact.attributed_to,
                speakers,
                fact_where.of("attributed_to") if fact_where else Loc(path),
            )
        )
    missing: set[int] = set()
    """Citations whose quote or attribution passage is not in the source (reported once,
    there): what they name proves nothing."""
    groups: dict[tuple[str, str], list[tuple[int, Citation]]] = {}
    for number, citation in enumerate(fact.citations, start=1):
        states = citation.states
        if (
            states is not None
            and states.attributed_to
            and states.where is not None
            and _alias_of(states.attributed_to, speakers)
        ):
            problems.append(
                _alias_used(states.attributed_to, speakers, states.where.of("attributed_to"))
            )
        source = cited[number - 1]
        if (fact.id, number) not in index.found:
            missing.add(number)
        if citation.attribution and source is not None:
            problem = _check_passage(fact, number, citation, source, index)
            if problem is not None:
                problems.append(problem)
                missing.add(number)
        speaker = _speaker_of(fact, citation)
        if speaker is not None and source is not None:
            groups.setdefault((citation.source, speaker), []).append((number, citation))
    for (source_id, speaker), grouped in groups.items():
        words = speakers.words(speaker)
        if any(n in missing for n, _ in grouped):
            continue
        if any(
            names_in(words, c.quote) or (c.attribution and names_in(words, c.attribution))
            for _, c in grouped
        ):
            continue
        problems.append(_not_named(fact, speaker, words, source_id, grouped, path))
    return problems


def _speaker_of(fact: Fact, citation: Citation) -> str | None:
    """The speaker this citation's source is said to name (None when none is claimed)."""
    states = citation.states
    if states is not None:
        if states.attributed_to:
            return states.attributed_to
        if states.speaker_unstated:
            return None
    return fact.attributed_to


def _alias_of(name: str, speakers: Speakers) -> Speaker | None:
    """The declared speaker that ``name`` is an alias of (None if it is a name, or unknown)."""
    if not speakers.by_alias:
        return None
    folded = _folded(name)
    if folded in speakers.by_name:
        return None
    return speakers.by_alias.get(folded)


def _alias_used(name: str, speakers: Speakers, loc: Loc) -> Problem:
    speaker = _alias_of(name, speakers)
    assert speaker is not None
    return Problem(
        loc,
        f"'{name}' is declared as an alias of speaker '{speaker.name}' in the sheet's "
        f"'speakers'; write its name, '{speaker.name}' (a quote naming it by an alias "
        "still grounds it)",
    )


def _check_passage(
    fact: Fact, number: int, citation: Citation, source: Source, index: QuoteIndex
) -> Problem | None:
    archived = index.text_of(source)
    if archived is None or citation.attribution is None:
        return None  # an unreadable archive is reported by the loader
    if archived.find_all(normalize(citation.attribution)):
        return None
    where = citation.where
    loc = where.of("attribution") if where else Loc(source.path)
    detail = closest_passage(archived, citation.attribution, source, "your passage")
    return Problem(
        loc,
        f"fact '{fact.id}', citation {number}: attribution passage not found in source "
        f"'{source.id}' ({source.text_path}); copy the passage that names the speaker word "
        "for word from the archived text",
        tuple(detail),
    )


def _not_named(
    fact: Fact,
    speaker: str,
    words: list[str],
    source_id: str,
    cited: list[tuple[int, Citation]],
    path: str,
) -> Problem:
    numbers = [n for n, _ in cited]
    stated_here = next(
        (c for _, c in cited if c.states is not None and c.states.attributed_to), None
    )
    if stated_here is not None and stated_here.states and stated_here.states.where:
        loc = stated_here.states.where.of("attributed_to")
        whose = "this citation's 'states: attributed_to'"
    else:
        loc = fact.where.of("attributed_to") if fact.where else Loc(path)
        whose = "the fact's 'attributed_to'"
    which = (
        f"citation {numbers[0]}"
        if len(numbers) == 1
        else "citations " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
    )
    aliases = words[1:]
    known = f" or its aliases ({', '.join(aliases)})" if aliases else ""
    return Problem(
        loc,
        f"fact '{fact.id}', {which} (source '{source_id}'): no quote or attribution passage "
        f"names '{speaker}'{known}, whom {whose} says made the statement; add 'attribution:' "
        "to the citation with the passage of that source that names the speaker, declare the "
        f"name that source uses as an alias of '{speaker}' under the sheet's 'speakers', or, "
        "if the source does not say who made it, set 'speaker_unstated: true' on the fact "
        "(or under the citation's 'states' if only this source leaves it unsaid)",
    )

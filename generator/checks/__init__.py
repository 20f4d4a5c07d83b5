"""The checks that run after loading: every rule that ties content together.

Each check module looks at the loaded :class:`~generator.content.model.Content` and
returns problems; :func:`run_checks` runs them all and also returns what they
learnt on the way (where each quote was found), which the pages use to
highlight cited passages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.checks import archives, attributions, figures, prose, quotes, references
from generator.content.model import Content
from generator.problems import Problem
from generator.text.textmatch import ArchivedText


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    quotes: quotes.QuoteIndex = field(default_factory=quotes.QuoteIndex)


@dataclass(frozen=True)
class CheckSteps:
    """The per-item functions the checks map over the content, one field each.

    Each takes its inputs as positional arguments and helpers as keyword arguments (see
    :mod:`generator.speed.memo`, which memoises them for the preview); by default they are
    the plain functions of the check modules.
    """

    sheet_references: Callable[..., list[Problem]] = references.check_sheet
    source_text: Callable[..., ArchivedText | None] = quotes.archived_text
    fact_quotes: Callable[..., quotes.FactQuotes] = quotes.check_fact
    source_passages: Callable[..., quotes.Resolved] = quotes.resolve_source
    fact_figures: Callable[..., list[Problem]] = figures.check_fact
    fact_attributions: Callable[..., list[Problem]] = attributions.check_fact
    sheet_prose: Callable[..., list[Problem]] = prose.check_sheet
    fact_prose: Callable[..., list[Problem]] = prose.check_fact


PLAIN = CheckSteps()


def run_checks(
    content: Content,
    *,
    skip_unknown_sources: bool = False,
    incomplete_sheets: frozenset[str] | set[str] = frozenset(),
    steps: CheckSteps = PLAIN,
) -> Findings:
    """Run every check.

    When some files failed to load, ``skip_unknown_sources`` and ``incomplete_sheets``
    keep their absence from being reported a second time as dangling references.
    """
    findings = Findings()
    problems = findings.problems
    problems.extend(
        references.check(
            content,
            skip_unknown_sources=skip_unknown_sources,
            incomplete_sheets=incomplete_sheets,
            each_sheet=steps.sheet_references,
        )
    )
    problems.extend(archives.check(content))
    index, quote_problems = quotes.check(
        content,
        each_source_text=steps.source_text,
        each_fact=steps.fact_quotes,
        each_source=steps.source_passages,
    )
    findings.quotes = index
    problems.extend(quote_problems)
    problems.extend(figures.check(content, steps.fact_figures))
    problems.extend(attributions.check(content, index, steps.fact_attributions))
    problems.extend(
        prose.check(
            content,
            index,
            skip_unknown_sources=skip_unknown_sources,
            incomplete_sheets=incomplete_sheets,
            each_sheet=steps.sheet_prose,
            each_fact=steps.fact_prose,
        )
    )
    return findings

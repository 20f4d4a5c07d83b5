"""The checks that run after loading: every rule that ties content together.

Each check module looks at the loaded :class:`~generator.content.model.Content` and
returns problems; :func:`run_checks` runs them all and also returns what they
learnt on the way (where each quote was found), which the pages use to
highlight cited passages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.checks import archives, attributions, figures, prose, quotes, references
from generator.content.model import Content, Fact
from generator.problems import Problem


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    quotes: quotes.QuoteIndex = field(default_factory=quotes.QuoteIndex)


@dataclass
class CheckMemo:
    """Per-fact results kept between runs of the same process (``factsheet serve``)."""

    quotes: quotes.QuoteMemo = field(default_factory=quotes.QuoteMemo)
    figures: dict[int, tuple[Fact, list[Problem]]] = field(default_factory=dict)
    sheets: references.SheetMemo = field(default_factory=dict)
    attributions: attributions.AttributionMemo = field(default_factory=attributions.AttributionMemo)
    prose: prose.ProseMemo = field(default_factory=prose.ProseMemo)


def run_checks(
    content: Content,
    *,
    skip_unknown_sources: bool = False,
    incomplete_sheets: frozenset[str] | set[str] = frozenset(),
    memo: CheckMemo | None = None,
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
            memo=memo.sheets if memo else None,
        )
    )
    problems.extend(archives.check(content))
    index, quote_problems = quotes.check(content, memo.quotes if memo else None)
    findings.quotes = index
    problems.extend(quote_problems)
    problems.extend(figures.check(content, memo.figures if memo else None))
    problems.extend(attributions.check(content, index, memo.attributions if memo else None))
    problems.extend(
        prose.check(
            content,
            index,
            memo.prose if memo else None,
            skip_unknown_sources=skip_unknown_sources,
            incomplete_sheets=incomplete_sheets,
        )
    )
    return findings

"""The timeline of a sheet: its dated facts (a statement's day, a campaign's period) in order."""

from __future__ import annotations

from dataclasses import dataclass

from generator.analysis.views import FactView, SheetView
from generator.content import wording
from generator.content.fields import PartialDate


@dataclass(frozen=True)
class Entry:
    fact: FactView
    start: PartialDate
    end: PartialDate | None
    when: str
    """The date or period in words: '26 May 2023', '10 March – 22 May 2023', 'since 2021'."""
    label: str
    inferred: bool
    """The date is the editor's inference (the fact has a date note)."""

    @property
    def datetime(self) -> str:
        """For the HTML ``<time datetime>`` attribute."""
        if self.end is not None:
            return f"{self.start.iso()}/{self.end.iso()}"
        return self.start.iso()


def sheet_timeline(sheet: SheetView) -> list[Entry]:
    entries = []
    for fact in sheet.current_facts:
        f = fact.fact
        label = f.label or f.statement
        if f.period is not None:
            entries.append(
                Entry(
                    fact,
                    f.period.start,
                    f.period.end,
                    wording.date_range(f.period.start, f.period.end),
                    label,
                    f.date_note is not None,
                )
            )
        elif f.date is not None:
            entries.append(
                Entry(fact, f.date, None, wording.date(f.date), label, f.date_note is not None)
            )
    return sorted(entries, key=lambda e: (e.start.sort_key(), e.fact.id))

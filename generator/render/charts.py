"""Bar charts of a sheet's figures, laid out at build time (the SVG is drawn by a template).

Honest by construction:

* one chart per *scope* and unit: figures of different campaigns or
  populations are never drawn together, and nothing is ever added up (there is
  no total bar, no stacking);
* a linear scale from zero, so bar lengths compare truthfully;
* every bar keeps its qualifier: a lower bound ("more than 100,000") is drawn
  with an open arrow beyond its end, an upper bound ("nearly 13,000") with a
  cap at its end, an approximate figure ("about 930,000") with a fuzzy end,
  and a vague amount as a band between the editor's bounds, never as a bar;
* a text alternative (title and description) reads every bar in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.analysis.views import FactView, SheetView
from generator.content import wording

WIDTH = 360
"""Width of the drawing (viewBox units); the chart scales to the page width."""
LEFT = 4
RIGHT = 12
ROW = 58
TOP = 6
BAR = 16
AXIS = 22

KIND_WORDS = {
    "exact": "the figure as stated",
    "approx": "an approximate figure (about)",
    "lower": "a lower bound: the true figure is this or more",
    "upper": "an upper bound: the true figure is this or less",
    "band": "no number given: the band spans the editor's reading of the words",
}


@dataclass
class Bar:
    fact: FactView
    label: str
    value_text: str
    kind: str
    """One of KIND_WORDS."""
    y: float = 0
    x0: float = 0
    x1: float = 0
    disputed: bool = False
    """Sources give different numbers for it (another qualifier or speaker is not shown)."""

    @property
    def bar_y(self) -> float:
        return self.y + 33

    @property
    def text_y(self) -> float:
        return self.y + 12

    @property
    def value_y(self) -> float:
        return self.y + 27


@dataclass
class Tick:
    x: float
    text: str


@dataclass
class Chart:
    id: str
    title: str
    unit: str
    scope: str
    bars: list[Bar]
    ticks: list[Tick] = field(default_factory=list)
    height: float = 0
    width: int = WIDTH
    left: int = LEFT
    right: int = RIGHT
    bar: int = BAR

    @property
    def kinds(self) -> list[tuple[str, str]]:
        """The bar kinds used, with their meaning, for the legend."""
        used = {b.kind for b in self.bars}
        return [(k, v) for k, v in KIND_WORDS.items() if k in used]

    @property
    def description(self) -> str:
        """The text alternative: every bar in words, and the rule that nothing adds up."""
        parts = [
            f"{b.label}: {b.value_text}{' (sources differ)' if b.disputed else ''}"
            for b in self.bars
        ]
        return (
            f"Bar chart of {len(self.bars)} separate figures, in {self.unit}. "
            + "; ".join(parts)
            + ". The figures may overlap and are not added up."
        )

    @property
    def axis_y(self) -> float:
        return self.height - AXIS + 4


BAR_KINDS = {
    "exact": "exact",
    "about": "approx",
    "more-than": "lower",
    "at-least": "lower",
    "nearly": "upper",
    "fewer-than": "upper",
    "up-to": "upper",
    "range": "band",
    "vague": "band",
}
"""How the bar of each qualifier (:data:`generator.text.vocabulary.QUALIFIERS`) is drawn."""


def _kind(fact: FactView) -> str:
    value = fact.fact.value
    assert value is not None
    return BAR_KINDS[value.qualifier]


def _extent(fact: FactView) -> tuple[Decimal, Decimal]:
    """Where the bar (or band) starts and ends on the scale."""
    value = fact.fact.value
    assert value is not None
    if value.qualifier in ("vague", "range"):
        low, high = wording.bounds(value)
        return (low or Decimal(0)), (high or low or Decimal(0))
    amount = value.amount or Decimal(0)
    return Decimal(0), amount


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "figures"


def _nice_max(top: Decimal) -> Decimal:
    """A round upper end for the axis: 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return Decimal(1)
    exponent = len(str(int(top))) - 1
    base = Decimal(10) ** exponent
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if base * step >= top:
            return base * Decimal(step)
    return base * 10  # pragma: no cover - the loop always returns


def sheet_charts(sheet: SheetView, *, min_bars: int = 2) -> list[Chart]:
    charts: list[Chart] = []
    scopes = {s.id: s for s in sheet.sheet.scopes}
    groups: dict[tuple[str, str], list[FactView]] = {}
    for fact in sheet.current_facts:
        value = fact.fact.value
        if value is None or fact.fact.scope is None or not value.unit:
            continue
        groups.setdefault((fact.fact.scope, value.unit), []).append(fact)
    for (scope_id, unit), facts in groups.items():
        if len(facts) < min_bars:
            continue
        scope = scopes.get(scope_id)
        scope_title = scope.title if scope else scope_id
        facts = sorted(facts, key=lambda f: _extent(f)[1], reverse=True)
        top = _nice_max(max(_extent(f)[1] for f in facts))
        span = WIDTH - LEFT - RIGHT

        def scale(v: Decimal, span: float = span, top: Decimal = top) -> float:
            return LEFT + float(v / top) * span

        bars = []
        for index, fact in enumerate(facts):
            low, high = _extent(fact)
            value = fact.fact.value
            assert value is not None
            bars.append(
                Bar(
                    fact,
                    fact.fact.label or fact.fact.statement,
                    wording.figure(value),
                    _kind(fact),
                    y=TOP + index * ROW,
                    x0=scale(low),
                    x1=max(scale(high), scale(low) + 2),
                    disputed=fact.dispute is not None and "number" in fact.dispute.conflicts,
                )
            )
        ticks = [
            Tick(scale(top * Decimal(i) / 4), wording.number(top * Decimal(i) / 4))
            for i in range(5)
        ]
        charts.append(
            Chart(
                id=f"chart-{scope_id}-{_slug(unit)}",
                title=f"{unit.capitalize()}: {scope_title}",
                unit=unit,
                scope=scope_title,
                bars=bars,
                ticks=ticks,
                height=TOP + len(bars) * ROW + AXIS,
            )
        )
    return charts

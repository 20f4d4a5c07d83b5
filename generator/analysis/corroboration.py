"""How many independent origins back a fact, in plain words.

Corroboration counts origins, not citations: two outlets re-reporting the
same wire story are one origin (see :mod:`generator.content.origins`), and a second
quote from the same source adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.content.model import Fact, Source
from generator.content.origins import Origins


@dataclass(frozen=True, slots=True)
class Corroboration:
    sources: tuple[str, ...]
    """Distinct cited source ids, in citation order."""
    origins: tuple[str, ...]
    """Distinct original sources the cited ones rest on."""
    repeats: tuple[str, ...]
    """Cited sources that re-report another (not independent)."""

    @property
    def independent(self) -> int:
        return len(self.origins)

    @property
    def words(self) -> str:
        """'single source', '1 source, repeated by 1 outlet', '2 independent sources', ..."""
        n_origins = len(self.origins)
        extra = len(self.sources) - n_origins
        repeated = f"repeated by {extra} outlet{'s' if extra != 1 else ''}" if extra > 0 else ""
        if n_origins <= 1:
            if extra <= 0:
                return "single source"
            return f"1 source, {repeated}"
        base = f"{n_origins} independent sources"
        return f"{base}, {repeated}" if repeated else base


def corroborate(fact: Fact, sources: Mapping[str, Source], origins: Origins) -> Corroboration:
    cited: list[str] = []
    for citation in fact.citations:
        if citation.source in sources and citation.source not in cited:
            cited.append(citation.source)
    roots: list[str] = []
    for sid in cited:
        for root in sorted(origins.roots.get(sid, frozenset({sid}))):
            if root not in roots:
                roots.append(root)
    repeats = tuple(sid for sid in cited if sid not in roots)
    # A source counts as a repeat when it rests on an origin; when only the repeat is
    # cited (not its origin), it still stands for one origin.
    return Corroboration(tuple(cited), tuple(roots), repeats)

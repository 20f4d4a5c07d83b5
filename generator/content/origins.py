"""Where each source's information comes from, following ``derived_from``.

A source that re-reports others (a rewrite of a wire story, a republication)
is not independent confirmation of them.  Its *origins* are the sources at
the end of its ``derived_from`` chains; a source that derives from nothing is
its own origin.  Resolution is iterative, so long chains cannot exhaust the
stack, and loops are reported instead of followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.content.model import Source


@dataclass
class Origins:
    roots: dict[str, frozenset[str]] = field(default_factory=dict)
    """Source id -> the ids of the original sources it rests on."""
    cycles: list[list[str]] = field(default_factory=list)


def resolve_origins(sources: Mapping[str, Source]) -> Origins:
    result = Origins()
    roots = result.roots
    on_path: set[str] = set()
    for start in sources:
        if start in roots:
            continue
        # explicit DFS stack of (source id, iterator position)
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        on_path.add(start)
        while stack:
            sid, index = stack[-1]
            parents = [p for p in sources[sid].derived_from if p in sources and p != sid]
            if index < len(parents):
                stack[-1] = (sid, index + 1)
                parent = parents[index]
                if parent in roots:
                    continue
                if parent in on_path:
                    loop = [*path[path.index(parent) :], parent]
                    result.cycles.append(loop)
                    continue
                stack.append((parent, 0))
                path.append(parent)
                on_path.add(parent)
                continue
            stack.pop()
            path.pop()
            on_path.discard(sid)
            found: set[str] = set()
            for parent in parents:
                found |= roots.get(parent, frozenset())
            roots[sid] = frozenset(found) if found else frozenset({sid})
    return result

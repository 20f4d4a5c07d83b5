"""How the preview's memos tell that a stage's inputs did not change.

Each stage keeps its results with the objects they were made from (a "key"). The
stages before it hand on the very same objects for what did not change, so comparing
keys object by object is enough: :func:`same_objects` by identity, :func:`same` also
accepting equal values (numbers, dates, spans made again with the same positions).
"""

from __future__ import annotations

import operator


def same_objects(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """The same objects, in the same order."""
    return len(a) == len(b) and all(map(operator.is_, a, b))


def same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """The same objects or equal values, in the same order."""
    return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))

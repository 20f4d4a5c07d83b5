"""The nodes of a YAML document as the strict loader composes them, with their positions.

Plain classes, without YAML itself: the fields (:mod:`generator.content.fields`) turn
them into the model, and :mod:`generator.content.yamlload` makes them.
"""

from __future__ import annotations


class Node:
    """A composed YAML node with its 1-based position."""

    __slots__ = ("col", "line")
    kind = "node"

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col


class Scalar(Node):
    """A scalar, always kept as the text written. ``plain`` is False when quoted or a block."""

    __slots__ = ("plain", "value")
    kind = "text"

    def __init__(self, value: str, line: int, col: int, plain: bool) -> None:
        super().__init__(line, col)
        self.value = value
        self.plain = plain

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.line}:{self.col})"


class Mapping(Node):
    """A mapping from key text to ``(key node, value node)``, in the order written."""

    __slots__ = ("entries",)
    kind = "mapping"

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.entries: dict[str, tuple[Scalar, Node]] = {}

    def __repr__(self) -> str:
        return f"Mapping({self.entries!r}@{self.line}:{self.col})"


class Sequence(Node):
    """A sequence of nodes."""

    __slots__ = ("items",)
    kind = "list"

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.items: list[Node] = []

    def __repr__(self) -> str:
        return f"Sequence({self.items!r}@{self.line}:{self.col})"

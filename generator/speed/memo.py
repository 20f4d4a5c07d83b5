"""Memoising the stages' per-item functions between runs of the pipeline (``factsheet serve``).

A stage is a plain function of its data; where its grain is one item (a fact, a sheet, a
source) it calls a per-item function, and the stage takes those functions as a *steps*
object (a frozen dataclass of callables, e.g. :class:`generator.checks.CheckSteps`). The
pipeline (``generator/generate.py``) may hand a stage memoised steps instead of the plain
ones: :func:`memoised` wraps every function of a steps object in a :class:`PerItem`.

The convention the wrapper relies on, which every per-item function follows:

* its **positional arguments are its inputs**: the result depends on nothing else. The
  stages before hand on the very same objects for what did not change (the loader gives
  back the same object for an unchanged file, and for an equal fact), so the inputs are
  compared object by object (:func:`same`);
* its **keyword arguments are helpers** whose answers depend only on the inputs (the run's
  normalised archived texts, where the quote check found each quote, a sheet's speakers
  by name): they are passed on, never compared.

A per-item result is kept for one run: what a run did not ask for is forgotten at the
start of the next one (:meth:`PerItem.next_run`), so the memo holds what the content
still uses and nothing more.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from generator.speed.filestamps import FileStamps

R = TypeVar("R")
S = TypeVar("S")


Slot = int | str | Path
"""Where a result is kept: the item's ``id``, or the item itself when it is a string or
a path."""

Known = dict[tuple[int, int], tuple[bool, object, object]]
"""Answers of :func:`same` by the pair's ids, holding the pair (so the ids stay theirs)."""


def same(a: object, b: object, known: Known | None = None) -> bool:
    """The same object, or an equal value of the same type.

    Identity answers almost every comparison; equality catches values made again with the
    same contents (numbers, spans, a sheet's record rebuilt from unchanged data). Tuples
    compare item by item, by identity first (Python's ``==`` on tuples). ``known`` keeps
    the answers for pairs of other objects, so that an object many items share (a sheet's
    record) is compared with its old self once per run.
    """
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if known is None or type(a) is tuple:
        return bool(a == b)
    pair = (id(a), id(b))
    hit = known.get(pair)
    if hit is None:
        hit = known[pair] = (bool(a == b), a, b)
    return hit[0]


def same_inputs(a: tuple[object, ...], b: tuple[object, ...], known: Known) -> bool:
    """Two calls' inputs (of the same length) are the same, argument by argument
    (:func:`same`)."""
    return all(x is y or same(x, y, known) for x, y in zip(a, b, strict=True))


class PerItem(Generic[R]):
    """``function`` memoised on its positional arguments (see the module's convention).

    Results are kept by the first argument, the item itself: by its identity (a fact, a
    sheet), or by its value when it is a string (a page's path); each together with all
    the inputs it was made from. A result is reused when every input is the same
    (:func:`same`) as then.
    """

    def __init__(self, function: Callable[..., R]) -> None:
        self.function = function
        self.kept: dict[Slot, tuple[tuple[object, ...], R]] = {}
        """The last run's results, by the item's ``id`` (kept alive by the inputs held) or
        string."""
        self.current: dict[Slot, tuple[tuple[object, ...], R]] = {}
        self.computed = 0
        """Results this run had to compute (for tests)."""
        self.equal: Known = {}
        """This run's answers of :func:`same` for pairs of objects."""

    def __call__(self, *args: object, **helpers: Any) -> R:
        item = args[0]
        slot = item if type(item) is str else id(item)
        return self._call(slot, args, args, helpers)

    def _call(
        self, slot: Slot, args: tuple[object, ...], inputs: tuple[object, ...], helpers: Any
    ) -> R:
        hit = self.current.get(slot)
        if hit is None:
            hit = self.kept.get(slot)
        if hit is not None:
            old = hit[0]
            # the common case, every input the very same object, is compared in C
            if len(old) == len(inputs) and (
                all(map(operator.is_, old, inputs)) or same_inputs(old, inputs, self.equal)
            ):
                self.current[slot] = (inputs, hit[1])
                return hit[1]
        result = self.function(*args, **helpers)
        self.computed += 1
        self.current[slot] = (inputs, result)
        return result

    def next_run(self) -> None:
        """Start a run: keep what the last one used, forget the rest."""
        if self.current:
            self.kept, self.current = self.current, {}
        self.computed = 0
        self.equal = {}


class PerFile(PerItem[R]):
    """A :class:`PerItem` whose ``Path`` inputs stand for their files' bytes.

    A path is the same input while its file's bytes are (a digest, told from the file's
    ``stat`` without reading it when it cannot have changed: :class:`FileStamps`).
    """

    def __init__(self, function: Callable[..., R], stamps: FileStamps) -> None:
        super().__init__(function)
        self.stamps = stamps

    def next_run(self) -> None:
        super().next_run()
        self.stamps.begin()

    def __call__(self, *args: object, **helpers: Any) -> R:
        item = args[0]
        slot = item if isinstance(item, (str, Path)) else id(item)
        inputs = tuple(
            (x, self.stamps.look(x)[0] or object()) if isinstance(x, Path) else x for x in args
        )
        return self._call(slot, args, inputs, helpers)


def memoised(steps: S, stamps: FileStamps | None = None) -> S:
    """A copy of the steps object (a dataclass of per-item functions), each one memoised
    (and so for the steps objects it holds: a stage's steps may hold another stage's).

    A field whose metadata has ``reads_files`` is a :class:`PerFile`, with ``stamps``.
    """
    assert dataclasses.is_dataclass(steps) and not isinstance(steps, type)
    wrapped: dict[str, object] = {}
    for f in dataclasses.fields(steps):
        value = getattr(steps, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            wrapped[f.name] = memoised(value, stamps)
        elif f.metadata.get("reads_files"):
            wrapped[f.name] = PerFile(value, stamps if stamps is not None else FileStamps())
        else:
            wrapped[f.name] = PerItem(value)
    return dataclasses.replace(steps, **wrapped)


def next_run(steps: object) -> None:
    """Start a run of the stage that the memoised ``steps`` belong to."""
    assert dataclasses.is_dataclass(steps) and not isinstance(steps, type)
    for f in dataclasses.fields(steps):
        value = getattr(steps, f.name)
        if isinstance(value, PerItem):
            value.next_run()
        elif dataclasses.is_dataclass(value):
            next_run(value)

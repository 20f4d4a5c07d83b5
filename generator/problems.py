"""Content problems: what is wrong, and exactly where.

Every stage of the pipeline (loading, schema validation, cross-checks) reports
problems as :class:`Problem` values instead of raising, so that one run of
``factsheet check`` lists all of them at once.  They print in the format that
editors and their tools understand::

    content/sheets/x/facts.yaml:12:7: error: unknown source 'reuters'; ...

A problem's message is one line; an optional ``detail`` adds indented lines
underneath (for instance the closest passage of a source and a word diff).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Loc:
    """A position in a content file: 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    """One content error at one location."""

    loc: Loc
    message: str
    detail: tuple[str, ...] = ()

    def format(self) -> str:
        head = f"{self.loc}: error: {self.message}"
        if not self.detail:
            return head
        return "\n".join([head, *("    " + line for line in self.detail)])


class ContentError(Exception):
    """Raised by the build stages when content problems stop a build.

    It carries the problems so that callers (the CLI, the MkDocs plugin) can
    print them in the standard format instead of a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    lines = [p.format() for p in sorted(problems)]
    count = len(problems)
    lines.append(f"{count} error{'s' if count != 1 else ''} found.")
    return "\n".join(lines)


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as editors see it: relative to the working directory when inside it."""
    return _display_path(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=65536)
def _display_path(text: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(text, cwd)
    except ValueError:  # another drive on Windows
        return text
    return text if rel.startswith(".." + os.sep) or rel == ".." else rel

"""Archived texts must be the ones whose quotes were confirmed (recorded SHA-256)."""

from __future__ import annotations

from generator.content.model import Content
from generator.problems import Loc, Problem


def check(content: Content) -> list[Problem]:
    problems = []
    for source in content.sources.values():
        if source.text_sha256 is None or source.text_sha256 == source.archive.sha256:
            continue
        where = source.archive.where
        loc = where.of("sha256") if where else Loc(source.path)
        problems.append(
            Problem(
                loc,
                f"archived text '{source.text_path}' of source '{source.id}' has changed since "
                f"its quotes were confirmed (recorded sha256 {source.archive.sha256[:12]}..., "
                f"file now {source.text_sha256[:12]}...); archived texts are the record and "
                f"should not be edited: restore the file, or if the new text is right run "
                f"`factsheet confirm {source.id}` to re-verify its quotes and record the new hash",
            )
        )
    return problems

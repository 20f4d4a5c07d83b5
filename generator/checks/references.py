"""Referential integrity: every id points at something, and nothing is defined twice."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from generator.content.fields import Located
from generator.content.model import Content, Fact, Sheet
from generator.content.origins import resolve_origins
from generator.problems import Loc, Problem

RESERVED_ANCHORS = frozenset(
    {"key-figures", "charts", "timeline", "downloads", "facts", "summary", "about-this-sheet"}
)
"""Anchors the sheet page uses for its own sections; topic and fact ids must differ."""


def _loc(where: Located | None, key: str, fallback: str) -> Loc:
    return where.of(key) if where else Loc(fallback)


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def check(
    content: Content,
    *,
    skip_unknown_sources: bool = False,
    incomplete_sheets: frozenset[str] | set[str] = frozenset(),
    each_sheet: Callable[..., list[Problem]] | None = None,
) -> list[Problem]:
    """Check every sheet with ``each_sheet`` (by default :func:`check_sheet`), then the
    citations and derivations."""
    each = each_sheet or check_sheet
    problems: list[Problem] = []
    for sheet in content.sheets.values():
        problems.extend(
            each(
                sheet,
                sheet.id not in incomplete_sheets,
                tuple(content.facts_of(sheet.id)),
                tuple(content.facts.get(k.fact) for k in sheet.key_figures),
            )
        )
    for fact in content.facts.values():
        for citation in fact.citations:
            if citation.source not in content.sources and not skip_unknown_sources:
                path = fact.where.path if fact.where else ""
                problems.append(
                    Problem(
                        _loc(citation.where, "source", path),
                        f"fact '{fact.id}' cites unknown source '{citation.source}'"
                        + (
                            _suggest(citation.source, content.sources)
                            or "; add the source under content/sources/ (`factsheet add-source`)"
                        ),
                    )
                )
    problems.extend(_check_derivations(content, skip_unknown_sources=skip_unknown_sources))
    return problems


def check_sheet(
    sheet: Sheet, complete: bool, facts: tuple[Fact, ...], key_facts: tuple[Fact | None, ...]
) -> list[Problem]:
    """One sheet's ids, topics, scopes and key figures.

    ``facts`` are the sheet's facts; ``key_facts`` the fact each key figure names (None
    when there is none), in order; ``complete`` is False when a facts file of the sheet
    failed to load (a key figure's fact may be in it).
    """
    problems: list[Problem] = []
    path = sheet.where.loc.path if sheet.where else sheet.dir
    anchors: dict[str, tuple[str, Located | None, str]] = {}

    def claim(anchor: str, what: str, where: Located | None, file: str) -> None:
        """Take an anchor of the sheet page (its position is only worked out for a problem)."""
        if anchor in RESERVED_ANCHORS:
            problems.append(
                Problem(
                    _loc(where, "id", file),
                    f"{what} id '{anchor}' is reserved for a section of the "
                    "sheet page; choose another id",
                )
            )
        elif anchor in anchors:
            first, first_where, first_file = anchors[anchor]
            problems.append(
                Problem(
                    _loc(where, "id", file),
                    f"{what} id '{anchor}' is already used by "
                    f"{first} at {_loc(first_where, 'id', first_file)} on the same page; "
                    "ids must be unique",
                )
            )
        else:
            anchors[anchor] = (what, where, file)

    for topic in sheet.topics:
        claim(topic.id, "topic", topic.where, path)
    scope_ids: dict[str, Loc] = {}
    for scope in sheet.scopes:
        loc = _loc(scope.where, "id", path)
        if scope.id in scope_ids:
            problems.append(
                Problem(
                    loc, f"duplicate scope id '{scope.id}' (first used at {scope_ids[scope.id]})"
                )
            )
        scope_ids[scope.id] = loc
    topic_ids = {t.id for t in sheet.topics}
    for fact in facts:
        fpath = fact.where.path if fact.where else path
        claim(fact.id, "fact", fact.where, fpath)
        if fact.topic not in topic_ids:
            problems.append(
                Problem(
                    _loc(fact.where, "topic", fpath),
                    f"fact '{fact.id}' has topic '{fact.topic}', which sheet '{sheet.id}' does not "
                    f"define{_suggest(fact.topic, topic_ids) or '; add it to topics in ' + path}",
                )
            )
        if fact.scope is not None and fact.scope not in scope_ids:
            problems.append(
                Problem(
                    _loc(fact.where, "scope", fpath),
                    f"fact '{fact.id}' has scope '{fact.scope}', which sheet '{sheet.id}' does not "
                    f"define{_suggest(fact.scope, scope_ids) or '; add it to scopes in ' + path}",
                )
            )
    seen_keys: set[str] = set()
    for key, key_fact in zip(sheet.key_figures, key_facts, strict=True):
        loc = _loc(key.where, "fact", path)
        if key_fact is None or key_fact.sheet != sheet.id:
            if not complete:
                continue  # its fact may be in the file that failed to load
            problems.append(
                Problem(
                    loc,
                    f"key figure '{key.fact}' is not a fact of this sheet"
                    + _suggest(key.fact, [f.id for f in facts]),
                )
            )
        elif key_fact.retracted is not None:
            problems.append(
                Problem(loc, f"key figure '{key.fact}' is retracted; remove it from key_figures")
            )
        elif key_fact.value is None:
            problems.append(
                Problem(
                    loc,
                    f"key figure '{key.fact}' has no number ('value'); key figures show a number",
                )
            )
        if key.fact in seen_keys:
            problems.append(Problem(loc, f"key figure '{key.fact}' is listed twice"))
        seen_keys.add(key.fact)
    return problems


def _check_derivations(content: Content, *, skip_unknown_sources: bool) -> list[Problem]:
    problems: list[Problem] = []
    for source in content.sources.values():
        loc = _loc(source.where, "derived_from", source.path)
        for parent in source.derived_from:
            if parent == source.id:
                problems.append(Problem(loc, f"source '{source.id}' is derived from itself"))
            elif parent not in content.sources and not skip_unknown_sources:
                problems.append(
                    Problem(
                        loc,
                        f"source '{source.id}' is derived from unknown source '{parent}'"
                        + _suggest(parent, [s for s in content.sources if s != source.id]),
                    )
                )
    for cycle in resolve_origins(content.sources).cycles:
        src = content.sources[cycle[0]]
        problems.append(
            Problem(
                _loc(src.where, "derived_from", src.path),
                "derived_from makes a loop: "
                + " -> ".join(cycle)
                + "; one of them must be the original",
            )
        )
    return problems

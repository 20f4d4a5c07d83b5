"""Corroboration counts independent origins, never citations or re-reports."""

from __future__ import annotations

import pytest

from generator.analysis.corroboration import corroborate
from generator.content.model import Archive, Citation, Fact, Source
from generator.content.origins import resolve_origins


def source(sid: str, *derived: str) -> Source:
    return Source(
        sid,
        sid.title(),
        "news-article",
        Archive(f"{sid}.txt", "0" * 64),
        derived_from=list(derived),
    )


SOURCES = {
    "wire": source("wire"),
    "rewrite": source("rewrite", "wire"),
    "reprint": source("reprint", "rewrite"),  # re-reports a re-report
    "ministry": source("ministry"),
    "digest": source("digest", "wire", "ministry"),
}


def fact(*cited: str) -> Fact:
    return Fact("f", "t", "A statement.", [Citation(s, "quote") for s in cited])


@pytest.mark.parametrize(
    ("cited", "words", "origins"),
    [
        (("wire",), "single source", ("wire",)),
        (("wire", "wire"), "single source", ("wire",)),  # two quotes, one source
        (("rewrite",), "single source", ("wire",)),  # a re-report alone is still one origin
        (("wire", "rewrite"), "1 source, repeated by 1 outlet", ("wire",)),
        (("wire", "rewrite", "reprint"), "1 source, repeated by 2 outlets", ("wire",)),
        (("rewrite", "reprint"), "1 source, repeated by 1 outlet", ("wire",)),
        (("wire", "ministry"), "2 independent sources", ("wire", "ministry")),
        (("rewrite", "ministry"), "2 independent sources", ("wire", "ministry")),
        (
            ("wire", "rewrite", "ministry"),
            "2 independent sources, repeated by 1 outlet",
            ("wire", "ministry"),
        ),
    ],
)
def test_corroboration_words(cited: tuple[str, ...], words: str, origins: tuple[str, ...]) -> None:
    result = corroborate(fact(*cited), SOURCES, resolve_origins(SOURCES))
    assert result.words == words
    assert set(result.origins) == set(origins)


def test_origins_follow_chains_and_stop_at_loops() -> None:
    found = resolve_origins(SOURCES)
    assert found.roots["reprint"] == {"wire"}
    assert found.roots["digest"] == {"wire", "ministry"}
    assert not found.cycles
    looped = {"a": source("a", "b"), "b": source("b", "a")}
    assert resolve_origins(looped).cycles


def test_long_chains_do_not_exhaust_the_stack() -> None:
    chain = {f"s{i}": source(f"s{i}", *([f"s{i - 1}"] if i else [])) for i in range(5000)}
    assert resolve_origins(chain).roots["s4999"] == {"s0"}

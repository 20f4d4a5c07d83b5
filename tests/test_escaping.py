"""The escaping filters keep text as written, whitespace included, through real Markdown.

Each property renders escaped text with Python-Markdown as MkDocs is configured here and
reads the HTML back: what a reader sees must be the text (whitespace folded by ``md``,
every character kept by ``verbatim``), and never markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.yamlload import _FORBIDDEN
from generator.render.escaping import md, md_block, verbatim

EXTENSIONS = ["toc", "attr_list", "tables"]
"""As in mkdocs.yml."""


class _Read(HTMLParser):
    """The text of a fragment, and its tags (the ones the fragment did not bring itself)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(html: str) -> tuple[str, list[str]]:
    reader = _Read()
    reader.feed(html)
    reader.close()
    return "".join(reader.text), reader.tags


def render(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# characters a content file may hold (the rest are rejected with a located error)
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)).filter(lambda c: not _FORBIDDEN.match(c)),
    max_size=80,
)
# the characters that make Markdown or HTML, with every kind of white space
TRICKY = st.text(alphabet=st.sampled_from(list(" \t\r\n\u00a0-+1.)#>=*_`[]()<>&;!|\\{}~^$@:a")))


# --- md: inline text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "shown"),
    [
        # a highlighted passage between plain text, as a source page prints it
        (["China cracks down on ‘self-media’ accounts, ", "deleting 1.4 million"],
         "China cracks down on ‘self-media’ accounts, deleting 1.4 million"),
        (["on popular Chinese social media apps including WeChat, Douyin and Weibo", " that"],
         "on popular Chinese social media apps including WeChat, Douyin and Weibo that"),
        (["the rise of", " “self-media” ", "accounts"], "the rise of “self-media” accounts"),
        # a class added to another in an attribute built from pieces
        (["fs-timeline-entry", " fs-timeline-entry--period"],
         "fs-timeline-entry fs-timeline-entry--period"),
    ],
)  # fmt: skip
def test_md_keeps_the_space_at_each_edge(pieces: list[str], shown: str) -> None:
    assert "".join(md(p) for p in pieces) == shown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("  two  spaces\tand\na line  ", " two spaces and a line "),
        (" ", " "),
        ("", ""),
        (" - not a list", " &#45; not a list"),
        ("\n1. not a list either", " 1&#46; not a list either"),
    ],
)
def test_md_folds_whitespace_to_one_space_and_keeps_the_edges(text: str, escaped: str) -> None:
    assert md(text) == escaped


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.one_of(TEXT, TRICKY))
def test_md_inside_a_sentence_shows_the_text(text: str) -> None:
    """Between two words of a Markdown paragraph, the text reads as written (folded)."""
    shown, tags = read(render(f"Before{md(text)}after"))
    assert shown == f"Before{fold(text)}after"
    assert tags == ["p"]


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.one_of(TEXT, TRICKY))
def test_md_at_the_start_of_a_line_is_one_paragraph_of_text(text: str) -> None:
    shown, tags = read(render(md(text)))
    assert shown.strip() == fold(text).strip()  # a paragraph's edges are not seen
    assert tags == (["p"] if text.strip() else [])


# --- md_block: paragraphs ----------------------------------------------------------------------


def test_md_block_strips_each_paragraph() -> None:
    assert (
        md_block("  one  para \n  still one \n\n \t\n  - two ") == "one para still one\n\n&#45; two"
    )


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.one_of(TEXT, TRICKY), max_size=4))
def test_md_block_shows_each_paragraph(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    expected = [fold(p).strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    html = render(md_block(text))
    shown = [read(p)[0] for p in re.findall(r"<p>(.*?)</p>", html, re.S)]
    assert shown == expected
    assert read(html)[1] == ["p"] * len(expected)


# --- verbatim: the archived text of a source page ----------------------------------------------


class _Block(HTMLParser):
    """The text inside the first ``<div class="x">``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.tags.append(tag)
        if tag == "div":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def block_text(html: str) -> tuple[str, list[str]]:
    reader = _Block()
    reader.feed(html)
    reader.close()
    return "".join(reader.text), reader.tags


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(st.lists(st.one_of(TEXT, TRICKY), min_size=1, max_size=3))
def test_verbatim_keeps_every_character(pieces: list[str]) -> None:
    """Blank lines, tabs, carriage returns, lines of spaces, Markdown: all come back as they
    were, including when the text is printed in pieces with markup between them."""
    body = "<mark>".join(verbatim(p) for p in pieces)
    page = render(f'Intro\n\n<div class="x">{body}</div>\n\n## Next\n')
    shown, tags = block_text(page)
    assert shown == "".join(pieces)
    assert tags == ["mark"] * (len(pieces) - 1)


def test_verbatim_escapes_what_markdown_would_rewrite() -> None:
    assert verbatim("a\r\n\tb\n   \nc  d ") == "a&#13;\n&#9;b\n&#32;&#32;&#32;\nc  d "
    assert (
        verbatim("<b>*x*</b> & {{ y }}")
        == "&lt;b&gt;&#42;x&#42;&lt;/b&gt; &amp; &#123;&#123; y &#125;&#125;"
    )

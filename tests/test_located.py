"""Where records were written: positions kept after loading, and nothing more."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from generator.content.fields import Located
from generator.content.loader import load_content
from generator.content.model import Content
from generator.content.nodes import Node

from .conftest import REUTERS, edit, line_of


def _content(project: Path) -> Content:
    loaded = load_content(project / "content")
    assert not loaded.problems
    return loaded.content


def test_a_record_and_its_keys_keep_their_lines_and_columns(project: Path) -> None:
    source = _content(project).sources["reuters-2023-self-media"]
    where = source.where
    assert where is not None
    path = project / f"{REUTERS}.yaml"
    assert where.path.endswith(f"{REUTERS}.yaml")
    assert (where.loc.line, where.loc.col) == (line_of(path, "id:"), 1)  # after a comment
    title = line_of(path, "title:")
    assert (where.of("title").line, where.of("title").col) == (title, len("title: ") + 1)
    # a key the record does not have: the record itself
    assert where.of("no-such-key") == where.loc


def test_no_yaml_node_outlives_loading(project: Path) -> None:
    # the node trees were most of the loaded model's memory; only positions stay
    content = _content(project)
    seen: set[int] = set()
    todo: list[object] = [content]
    found: list[object] = []
    located = 0
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        if isinstance(obj, Node):
            found.append(obj)
        located += isinstance(obj, Located)
        todo.extend(gc.get_referents(obj))
    assert located > len(content.facts)  # the walk did reach the records
    assert found == []


def test_equal_when_written_at_the_same_places(project: Path) -> None:
    first = _content(project).sources["reuters-2023-self-media"].where
    again = _content(project).sources["reuters-2023-self-media"].where
    assert first is not None and again is not None
    assert first == again and first is not again
    assert pickle.loads(pickle.dumps(first)) == first
    # the same values a line further down are written elsewhere
    edit(project / f"{REUTERS}.yaml", "title:", "\ntitle:")
    moved = _content(project).sources["reuters-2023-self-media"].where
    assert moved is not None
    assert moved != first
    assert moved.of("title").line == first.of("title").line + 1
    assert isinstance(moved, Located)

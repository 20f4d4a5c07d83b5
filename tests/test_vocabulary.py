"""Every table keyed by qualifier covers the one list of qualifiers, and no more."""

from __future__ import annotations

from generator.content.fields import PartialDate
from generator.content.wording import date
from generator.downloads.exports import download_schema
from generator.render.charts import BAR_KINDS
from generator.text.numbers import QUALIFIER_FAMILIES, find_dates
from generator.text.vocabulary import MONTHS, QUALIFIER_WORDS, QUALIFIERS


def test_every_qualifier_has_a_bar_and_the_tables_name_only_qualifiers() -> None:
    assert set(BAR_KINDS) == set(QUALIFIERS)
    assert set(QUALIFIER_FAMILIES) <= set(QUALIFIERS)
    assert set(QUALIFIER_WORDS) == set(QUALIFIERS) - {"range", "vague"}


def test_the_download_schema_lists_the_qualifiers_in_order() -> None:
    schema = download_schema()
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            qualifier = node.get("qualifier")
            if isinstance(qualifier, dict) and "enum" in qualifier:
                found.append(qualifier["enum"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    assert found and all(enum == list(QUALIFIERS) for enum in found)


def test_months_are_read_and_written_with_the_same_names() -> None:
    for number, name in enumerate(MONTHS, 1):
        assert date(PartialDate(2023, number, 5)) == f"5 {name} 2023"
        [stated] = find_dates(f"on 5 {name} 2023 the office said")
        assert (stated.year, stated.month, stated.day) == (2023, number, 5)

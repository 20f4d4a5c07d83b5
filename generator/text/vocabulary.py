"""The words the format and the site share, defined once.

The qualifiers of a figure (the format's keys, what each means, the words readers
see) and the names of the months. The format (:mod:`generator.content.format`), the
checks, the pages, the charts and the downloads all take them from here.
"""

from __future__ import annotations

QUALIFIERS: dict[str, str] = {
    "exact": "the figure as stated, with no qualifier",
    "about": "about / around / approximately / roughly",
    "nearly": "nearly / almost: a little below the figure",
    "more-than": "more than / over: above the figure",
    "at-least": "at least: the figure or more",
    "up-to": "up to / as many as: the figure or less",
    "fewer-than": "fewer than / under: below the figure",
    "range": "between 'amount' and 'upper'",
    "vague": "an amount the source gives only in words ('hundreds of thousands'): "
    "the editor gives 'words' and the bounds 'min' and 'max'",
}
"""Canonical qualifiers, with what each means (shown in the YAML reference)."""


QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "nearly": "nearly",
    "more-than": "more than",
    "at-least": "at least",
    "up-to": "up to",
    "fewer-than": "fewer than",
}
"""The words that put a qualifier before a figure ("nearly 13,000"); ranges and vague
amounts are said otherwise (:mod:`generator.content.wording`)."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names (not ``calendar.month_name``: that follows the process locale)."""

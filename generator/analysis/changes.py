"""The corrections and change dates the pages show: what :mod:`generator.analysis.history`
reads from the git history of the content, as plain data (no git, no YAML here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = ("figure", "qualifier", "attribution", "citations", "retraction")

SHALLOW_REASON = "the site was built from a shallow copy of the git history"


@dataclass(frozen=True)
class Change:
    fact: str
    sheet_dir: str
    """The sheet's directory name (the sheet is found from it)."""
    date: str
    """YYYY-MM-DD (UTC) of the commit."""
    commit: str
    message: str
    what: str
    """One of FIELDS, or 'removed'."""
    old: str
    new: str
    time: str = ""
    """When the commit was made, RFC 3339 in UTC (``2023-06-03T12:00:00Z``)."""


@dataclass
class History:
    available: bool
    reason: str = ""
    """Why there is no history, when it is not available (it follows "change dates unknown: ")."""
    shallow: bool = False
    """The content is in a shallow clone: its history was not read (see the module's notes)."""
    origin: str = ""
    """The oldest commit that touched the sheets: it names the content's history (feed ids)."""
    fact_changed: dict[str, str] = field(default_factory=dict)
    """Fact id -> date of the last commit that changed it (any field, not whitespace)."""
    sheet_updated: dict[str, str] = field(default_factory=dict)
    """Sheet directory name -> date of the last commit that changed its facts or sheet.yaml."""
    changes: list[Change] = field(default_factory=list)
    """Corrections, newest first."""
    source_updated: dict[str, str] = field(default_factory=dict)
    """Source id -> date of the last commit that changed its record or its archived text."""

"""The content model: plain data passed from the loader to the checks and the renderer.

It follows what fact registries model: a *fact* is a statement with an optional
quantity and an honest qualifier, attributed to the body that said it and
backed by *citations*; a citation names a *source* and quotes its archived
text verbatim (a W3C Web Annotation text-quote selector: exact text with an
optional prefix and suffix); a source carries cite-news / CSL-JSON style
metadata and the SHA-256 of its archived copy; a *sheet* orders facts into
topics and picks the key figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from generator.content.fields import Located, PartialDate

SOURCE_TYPES = (
    "news-article",
    "wire-report",
    "statement",
    "press-release",
    "report",
    "dataset",
    "web-page",
    "social-media-post",
    "interview",
    "other",
)


@dataclass(slots=True)
class Quantity:
    """A number with its unit and qualifier, as the fact sheet states it."""

    qualifier: str
    unit: str = ""
    amount: Decimal | None = None
    upper: Decimal | None = None
    words: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    where: Located | None = None


@dataclass(slots=True)
class Period:
    start: PartialDate
    end: PartialDate | None = None
    where: Located | None = None


@dataclass(slots=True)
class Stated:
    """What one source itself states, where it differs from the fact."""

    amount: Decimal | None = None
    upper: Decimal | None = None
    qualifier: str | None = None
    attributed_to: str | None = None
    speaker_unstated: bool = False
    """This source does not say who made the statement (the fact names a speaker)."""
    names: list[str] | None = None
    date: PartialDate | None = None
    where: Located | None = None


@dataclass(slots=True)
class Citation:
    source: str
    quote: str
    prefix: str | None = None
    suffix: str | None = None
    attribution: str | None = None
    """A passage of the same source, verbatim, that names who made the statement."""
    states: Stated | None = None
    note: str | None = None
    where: Located | None = None


@dataclass(slots=True)
class Derivation:
    """A figure in the prose that the editor worked out from facts of the sheet.

    ``figure`` is the number as the prose writes it ("59,000", "about 59,000"); ``facts``
    are the ids of the facts it comes from (the ``from`` key); ``how`` says how, for
    readers ("67,000 closed minus nearly 8,000 closed for fake news").
    """

    figure: str
    facts: list[str]
    how: str
    where: Located | None = None


@dataclass(slots=True)
class Retraction:
    """A withdrawn fact: it stays on the sheet, struck through, with why and when."""

    date: PartialDate
    reason: str
    where: Located | None = None


@dataclass(slots=True)
class Fact:
    id: str
    topic: str
    statement: str
    citations: list[Citation]
    label: str | None = None
    value: Quantity | None = None
    scope: str | None = None
    date: PartialDate | None = None
    date_note: str | None = None
    period: Period | None = None
    attributed_to: str | None = None
    speaker_unstated: bool = False
    """The sources report the fact without saying who made the statement."""
    speaker_context: str | None = None
    """The editor's reading of who it may be ("context suggests ..."), when unstated."""
    names: list[str] | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    retracted: Retraction | None = None
    derived: list[Derivation] = field(default_factory=list)
    """Figures of this fact's prose that are the editor's own calculation."""
    where: Located | None = None
    sheet: str = ""
    """Id of the sheet the fact belongs to (set by the loader from the file's place)."""


@dataclass(slots=True)
class Topic:
    id: str
    title: str
    intro: str | None = None
    where: Located | None = None


@dataclass(slots=True)
class Scope:
    """A campaign or population that figures belong to: figures of different scopes never add up."""

    id: str
    title: str
    description: str | None = None
    where: Located | None = None


@dataclass(slots=True)
class Speaker:
    """A body or person facts are attributed to, with the other names sources use for it."""

    name: str
    aliases: list[str] = field(default_factory=list)
    where: Located | None = None


@dataclass(slots=True)
class KeyFigure:
    fact: str
    meaning: str
    where: Located | None = None


@dataclass(slots=True)
class Sheet:
    id: str
    title: str
    summary: str
    topics: list[Topic]
    as_of: PartialDate
    key_figures: list[KeyFigure] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    period: Period | None = None
    description: str | None = None
    derived: list[Derivation] = field(default_factory=list)
    """Figures of the sheet's prose that are the editor's own calculation."""
    where: Located | None = None
    dir: str = ""
    """Directory of the sheet (set by the loader)."""


@dataclass(slots=True)
class Author:
    """A person (family and given names, as CSL-JSON has them) or an organisation.

    A person has ``family`` (and usually ``given``); an organisation has only
    ``organisation``, its name as written.  The format's checks see that exactly one of
    the two is given.
    """

    family: str | None = None
    given: str | None = None
    particle: str | None = None
    """A particle kept with the family name ('van', 'de', 'al'): 'de Gaulle, C.'."""
    suffix: str | None = None
    """'Jr.', 'III'."""
    affiliation: str | None = None
    """Where the person works, when the text says so (not part of the name)."""
    organisation: str | None = None
    where: Located | None = None

    @property
    def is_person(self) -> bool:
        return self.organisation is None

    @property
    def family_name(self) -> str:
        """The family name with its particle ('van Gogh'); an organisation's name."""
        if self.organisation is not None:
            return self.organisation
        return " ".join(p for p in (self.particle, self.family) if p)

    @property
    def name(self) -> str:
        """The name in reading order: 'Joanna Swanson', 'Martin Luther King Jr.'."""
        if self.organisation is not None:
            return self.organisation
        return " ".join(p for p in (self.given, self.particle, self.family, self.suffix) if p)


@dataclass(slots=True)
class Furniture:
    """A passage of an archived text that is not part of the report (navigation, ads)."""

    start: str
    reason: str
    end: str | None = None
    byline: list[Author] = field(default_factory=list)
    """Who a byline box or credit line in this passage names: said on the source page,
    never recorded or exported as the source's authors."""
    where: Located | None = None


@dataclass(slots=True)
class Archive:
    file: str
    sha256: str
    furniture: list[Furniture] = field(default_factory=list)
    where: Located | None = None


@dataclass(slots=True)
class Source:
    id: str
    title: str
    type: str
    archive: Archive
    label: str | None = None
    outlet: str | None = None
    publisher: str | None = None
    agency: str | None = None
    authors: list[Author] = field(default_factory=list)
    """Only those the report itself names (a republisher's byline box is furniture)."""
    published: PartialDate | None = None
    url: str | None = None
    accessed: PartialDate | None = None
    language: str | None = None
    derived_from: list[str] = field(default_factory=list)
    notes: str | None = None
    where: Located | None = None
    path: str = ""
    """The YAML file the source was read from (set by the loader)."""
    text_path: str = ""
    """The archived text file (set by the loader)."""
    text: str | None = None
    """The archived text, decoded (set by the loader; None if it could not be read)."""
    text_sha256: str | None = None
    """The SHA-256 of the archived file's bytes as found on disk."""
    text_bytes: bytes | None = None
    """The archived file's bytes, published as they are."""

    @property
    def short(self) -> str:
        """The name readers see in citations."""
        return self.label or self.agency or self.outlet or self.publisher or self.title


@dataclass(slots=True)
class Content:
    """Everything loaded from a content directory."""

    root: str
    sources: dict[str, Source] = field(default_factory=dict)
    sheets: dict[str, Sheet] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)

    _by_sheet: dict[str, list[Fact]] | None = field(default=None, repr=False, compare=False)
    _indexed: int = field(default=-1, repr=False, compare=False)
    _source_order: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def source_order(self) -> dict[str, int]:
        """Each source id's position in ``sources`` (indexed once, not scanned per call)."""
        if self._source_order is None or len(self._source_order) != len(self.sources):
            self._source_order = {sid: i for i, sid in enumerate(self.sources)}
        return self._source_order

    def facts_of(self, sheet_id: str) -> list[Fact]:
        """The facts of one sheet, in file order (indexed once, not scanned per call)."""
        if self._by_sheet is None or self._indexed != len(self.facts):
            index: dict[str, list[Fact]] = {}
            for fact in self.facts.values():
                index.setdefault(fact.sheet, []).append(fact)
            self._by_sheet, self._indexed = index, len(self.facts)
        return list(self._by_sheet.get(sheet_id, []))

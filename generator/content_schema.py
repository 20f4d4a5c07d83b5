"""The content format: every key of every content file, its type and its meaning.

This module is the single definition of the YAML format.  ``factsheet check``
validates with it, ``factsheet schema`` writes it out as JSON Schema (shipped
in ``generator/schemas/`` for YAML editors and published on the site), and the
site's format reference page is generated from the same descriptions.
"""

from __future__ import annotations

from typing import Any

from . import model
from .schema import (
    Choice,
    Context,
    Date,
    Field,
    ListOf,
    Located,
    Number,
    Pattern,
    Record,
    Slug,
    Text,
    Url,
)

SCHEMA_VERSION = 1


def _check_quantity(values: dict[str, Any], where: Located, ctx: Context) -> None:
    qualifier = values.get("qualifier")
    if qualifier == "vague":
        for key in ("words", "min", "max"):
            if key not in values:
                ctx.problems.append(
                    _problem(
                        where,
                        None,
                        f"a vague amount needs '{key}' "
                        "(the words the source uses, and the editor's bounds min and max)",
                    )
                )
        if "amount" in values:
            ctx.problems.append(
                _problem(
                    where,
                    "amount",
                    "a vague amount has no 'amount'; give its bounds in "
                    "'min' and 'max' and the source's words in 'words'",
                )
            )
    else:
        if "amount" not in values:
            ctx.problems.append(_problem(where, None, "a quantity needs 'amount' (in digits)"))
        for key in ("min", "max", "words"):
            if key in values:
                ctx.problems.append(_problem(where, key, f"'{key}' is only for qualifier 'vague'"))
    if qualifier == "range":
        if "upper" not in values:
            ctx.problems.append(_problem(where, None, "a range needs 'upper' (its upper end)"))
        elif "amount" in values and values["upper"] <= values["amount"]:
            ctx.problems.append(_problem(where, "upper", "'upper' must be above 'amount'"))
    elif "upper" in values:
        ctx.problems.append(_problem(where, "upper", "'upper' is only for qualifier 'range'"))
    if "min" in values and "max" in values and values["min"] > values["max"]:
        ctx.problems.append(_problem(where, "min", "'min' must not be above 'max'"))


def _check_stated(values: dict[str, Any], where: Located, ctx: Context) -> None:
    if not values:
        ctx.problems.append(
            _problem(
                where,
                None,
                "'states' is empty; say what this source states "
                "differently (amount, qualifier, attributed_to or names)",
            )
        )
    if values.get("qualifier") == "vague":
        ctx.problems.append(_problem(where, "qualifier", "a citation cannot state a vague amount"))


def _check_period(values: dict[str, Any], where: Located, ctx: Context) -> None:
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end.sort_key() < start.sort_key():
        ctx.problems.append(_problem(where, "end", "the period ends before it starts"))


def _problem(where: Located, key: str | None, message: str) -> Any:
    from .problems import Problem

    return Problem(where.of(key) if key else where.loc, message)


def quantity_fields(*, for_citation: bool = False) -> dict[str, Field[Any]]:
    return {
        "amount": Number("The number in plain digits: 1400000 for '1.4 million'."),
        "qualifier": Choice(
            "How exact the number is: "
            + "; ".join(f"{k}: {v}" for k, v in model.QUALIFIERS.items()),
            tuple(model.QUALIFIERS),
            required=not for_citation,
        ),
        "unit": Text("What is counted, in the plural: accounts, posts, months.", max_length=80),
        "upper": Number("The upper end of a range (qualifier 'range')."),
        "words": Text(
            "For a vague amount: the source's words ('hundreds of thousands').", max_length=200
        ),
        "min": Number("For a vague amount: the lowest value the words can mean (editor's bound)."),
        "max": Number("For a vague amount: the highest value the words can mean (editor's bound)."),
    }


QUANTITY = Record(
    "quantity",
    model.Quantity,
    quantity_fields(),
    "A number with its unit and honest qualifier.",
    check=_check_quantity,
)

PERIOD = Record(
    "period",
    model.Period,
    {
        "start": Date("First day the figure covers.", required=True),
        "end": Date("Last day the figure covers."),
    },
    "The time span a figure applies to.",
    check=_check_period,
)

NAMES = ListOf(
    Text("A name.", max_length=300),
    "Proper names or quoted terms the fact reports (account names, campaign names), "
    "each as written in the quote.",
    min_items=1,
)

STATED = Record(
    "states",
    model.Stated,
    {
        "amount": Number("The number this source states, if different."),
        "upper": Number("The upper end of a range this source states."),
        "qualifier": Choice(
            "The qualifier this source uses, if different.",
            tuple(k for k in model.QUALIFIERS if k != "vague"),
        ),
        "attributed_to": Text("Who this source says made the statement, if different."),
        "names": NAMES,
    },
    "What this source itself states where it differs from the fact "
    "(checked against this citation's quote).",
    check=_check_stated,
)

CITATION = Record(
    "citation",
    model.Citation,
    {
        "source": Slug("Id of the cited source.", required=True),
        "quote": Text(
            "The passage, copied word for word from the source's archived text.",
            required=True,
            one_line=False,
            max_length=3000,
        ),
        "prefix": Text(
            "Text just before the quote, to tell apart a passage that occurs more than once.",
            one_line=False,
            max_length=300,
        ),
        "suffix": Text(
            "Text just after the quote, to tell apart a passage that occurs more than once.",
            one_line=False,
            max_length=300,
        ),
        "states": STATED,
        "note": Text("Editor's note on this citation.", one_line=False),
    },
    "A source id and a verbatim quote from its archived text.",
)


def _derivation(*, where: Located, **values: Any) -> model.Derivation:
    return model.Derivation(values["figure"], values["from"], values["how"], where)


DERIVATION = Record(
    "derivation",
    _derivation,
    {
        "figure": Text(
            "The number as the prose writes it, qualifier included ('59,000', "
            "'about 59,000'); it must occur in the prose of the sheet or fact it is "
            "given on.",
            required=True,
            max_length=100,
        ),
        "from": ListOf(
            Slug("Id of a fact of the sheet with a figure."),
            "The facts whose figures it is worked out from.",
            required=True,
            min_items=1,
        ),
        "how": Text(
            "How it was worked out, for readers ('67,000 closed minus nearly 8,000 "
            "closed for fake news').",
            required=True,
            max_length=500,
        ),
    },
    "A figure of the prose that is the editor's own calculation from facts of the sheet, "
    "not a figure any source states; readers see it marked as the editor's.",
)

DERIVED = ListOf(
    DERIVATION,
    "Figures of this prose that are the editor's own calculation. Every other number in "
    "prose must be a figure of a fact of the sheet.",
)

RETRACTION = Record(
    "retraction",
    model.Retraction,
    {
        "date": Date("When the fact was withdrawn.", required=True),
        "reason": Text(
            "Why it was withdrawn, for readers.", required=True, one_line=False, max_length=2000
        ),
    },
    "Marks a fact as withdrawn: it stays visible, struck through, with its history.",
)

FACT = Record(
    "fact",
    model.Fact,
    {
        "id": Slug("Stable id of the fact; also its anchor on the page (#id).", required=True),
        "topic": Slug(
            "Id of the topic (in the sheet's 'topics') the fact belongs to.", required=True
        ),
        "statement": Text(
            "The fact in the editor's words, one or two sentences.", required=True, max_length=1000
        ),
        "label": Text(
            "A few words naming the figure in charts and the timeline ('Accounts closed').",
            max_length=60,
        ),
        "value": QUANTITY,
        "scope": Slug(
            "Id of the scope (in the sheet's 'scopes') the figure belongs to; "
            "figures of different scopes are never added up or charted together."
        ),
        "date": Date("The date the fact refers to (a statement's date, an event's day)."),
        "date_note": Text("How the date is known, when it is inferred rather than stated."),
        "period": PERIOD,
        "attributed_to": Text("The body or person that said it (not the outlet).", max_length=300),
        "names": NAMES,
        "tags": ListOf(Slug("A tag."), "Tags for search and grouping."),
        "note": Text("Editor's note shown with the fact.", one_line=False),
        "retracted": RETRACTION,
        "derived": DERIVED,
        "citations": ListOf(
            CITATION, "The sources that state the fact, with quotes.", required=True, min_items=1
        ),
    },
    "One fact: a statement, an optional number, and the citations that back it.",
)

FACTS_FILE = Record(
    "facts file",
    lambda facts, where: facts,
    {"facts": ListOf(FACT, "The facts in this file.", required=True, min_items=1, keep_valid=True)},
    "A file of facts, inside a sheet's directory.",
)

TOPIC = Record(
    "topic",
    model.Topic,
    {
        "id": Slug("Stable id of the topic; also its anchor.", required=True),
        "title": Text("Heading of the topic section.", required=True, max_length=200),
        "intro": Text("A sentence or two introducing the topic.", one_line=False),
    },
    "A section of a fact sheet.",
)

SCOPE = Record(
    "scope",
    model.Scope,
    {
        "id": Slug("Stable id of the scope.", required=True),
        "title": Text(
            "Name of the campaign or population, as readers should see it.",
            required=True,
            max_length=200,
        ),
        "description": Text(
            "What the scope covers and how it relates to the others.", one_line=False
        ),
    },
    "A campaign or population that figures belong to.",
)

KEY_FIGURE = Record(
    "key figure",
    model.KeyFigure,
    {
        "fact": Slug("Id of a fact with a number.", required=True),
        "meaning": Text("One line saying what the figure means.", required=True, max_length=200),
    },
    "A fact shown as a large number at the top of the sheet.",
)

SHEET = Record(
    "sheet",
    model.Sheet,
    {
        "id": Slug("Stable id of the sheet; also its URL.", required=True),
        "title": Text("Title of the fact sheet.", required=True, max_length=200),
        "summary": Text(
            "The story in a few sentences, shown at the top.",
            required=True,
            one_line=False,
            max_length=3000,
        ),
        "description": Text("One line for search engines and link previews.", max_length=300),
        "as_of": Date("The date the sheet's information is current as of.", required=True),
        "period": PERIOD,
        "topics": ListOf(
            TOPIC, "The topic sections, in the order shown.", required=True, min_items=1
        ),
        "scopes": ListOf(SCOPE, "The campaigns or populations the figures belong to."),
        "key_figures": ListOf(
            KEY_FIGURE, "Facts shown as large numbers at the top, in order.", max_items=12
        ),
        "derived": DERIVED,
    },
    "A fact sheet: 'sheet.yaml' in the sheet's directory under content/sheets/.",
)

FURNITURE = Record(
    "furniture",
    model.Furniture,
    {
        "start": Text(
            "The passage (verbatim) where the furniture starts.",
            required=True,
            one_line=False,
            max_length=3000,
        ),
        "end": Text(
            "The passage (verbatim) where it ends; omit when 'start' is all of it.",
            one_line=False,
            max_length=3000,
        ),
        "reason": Text(
            "Why it is not part of the report (navigation, advert, byline box).", required=True
        ),
    },
    "A passage of the archived text that is not part of the report.",
)

ARCHIVE = Record(
    "archive",
    model.Archive,
    {
        "file": Pattern(
            "The archived text, next to this YAML file, kept byte for byte.",
            r"[A-Za-z0-9][A-Za-z0-9._-]*\.txt",
            "give the name of a .txt file in the same directory, like 'my-source.txt'",
            required=True,
        ),
        "sha256": Pattern(
            "SHA-256 of the archived file; `factsheet confirm SOURCE` re-verifies the quotes "
            "and records it.",
            r"[0-9a-f]{64}",
            "write the 64 lower-case hex digits printed by `factsheet confirm SOURCE`",
            required=True,
        ),
        "furniture": ListOf(FURNITURE, "Page furniture excluded from coverage."),
    },
    "The archived copy of the source's text.",
    required=True,
)

SOURCE = Record(
    "source",
    model.Source,
    {
        "id": Slug("Stable id of the source, used by citations.", required=True),
        "title": Text("Headline or title, as published.", required=True, max_length=500),
        "label": Text(
            "Short name readers see in citations (default: the agency, outlet or "
            "publisher, else the title).",
            max_length=80,
        ),
        "type": Choice("What kind of text it is.", model.SOURCE_TYPES, required=True),
        "outlet": Text("Where it was published (newspaper, site).", max_length=200),
        "publisher": Text(
            "The organisation responsible for it, if not the outlet.", max_length=200
        ),
        "agency": Text("The wire service it comes from, if any (Reuters, AP).", max_length=200),
        "authors": ListOf(Text("An author's name.", max_length=200), "Authors, where known."),
        "published": Date("Date of publication (as precise as is known)."),
        "url": Url("Address of the original, if it was online."),
        "accessed": Date("When the archived copy was taken."),
        "language": Pattern(
            "Language of the text, as a BCP 47 tag (en, zh-Hans).",
            r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*",
            "use a BCP 47 language tag such as 'en' or 'zh-Hans'",
            max_length=35,
        ),
        "derived_from": ListOf(
            Slug("A source id."),
            "Ids of sources this one re-reports: they are one origin, not independent "
            "confirmation.",
        ),
        "notes": Text("Editor's notes on the source: provenance, caveats.", one_line=False),
        "archive": ARCHIVE,
    },
    "A source: one YAML file under content/sources/ next to its archived text.",
)

FILE_KINDS: dict[str, Record[Any]] = {
    "source": SOURCE,
    "sheet": SHEET,
    "facts": FACTS_FILE,
}
"""The three kinds of content file, by the schema file name they publish as."""


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each kind of content file, keyed by file name."""
    out = {}
    for kind, record in FILE_KINDS.items():
        name = f"{kind}.schema.json"
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "x-factsheet-format-version": SCHEMA_VERSION,
            **record.json_schema(),
        }
    return out


def reference() -> list[tuple[str, str, list[tuple[str, str, bool, str]]]]:
    """Every record of the format, for the reference page: (name, description, fields)."""
    records: list[Record[Any]] = [
        SHEET,
        TOPIC,
        SCOPE,
        KEY_FIGURE,
        FACTS_FILE,
        FACT,
        QUANTITY,
        PERIOD,
        RETRACTION,
        DERIVATION,
        CITATION,
        STATED,
        SOURCE,
        ARCHIVE,
        FURNITURE,
    ]
    out = []
    for record in records:
        fields = []
        for key, spec in record.fields.items():
            label = spec.label
            if isinstance(spec, Record):
                label = f"a {spec.name} (mapping)"
            elif isinstance(spec, ListOf):
                item = spec.item
                label = (
                    f"list of {item.name}s"
                    if isinstance(item, Record)
                    else (f"list of {item.label}")
                )
            fields.append((key, label, spec.required, spec.description))
        out.append((record.name, record.description, fields))
    return out

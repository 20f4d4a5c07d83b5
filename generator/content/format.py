"""The content format: every key of every content file, its type and its meaning.

This module is the single definition of the YAML format.  ``factsheet check``
validates with it, ``factsheet schema`` writes it out as JSON Schema (shipped
in ``generator/schemas/`` for YAML editors and published on the site), and the
site's format reference page is generated from the same descriptions.
"""

from __future__ import annotations

from typing import Any

from generator.content import model
from generator.content.fields import (
    Bool,
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
from generator.content.nodes import Node, Scalar
from generator.problems import Problem
from generator.text.textmatch import normalize
from generator.text.vocabulary import QUALIFIERS

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
                "'states' is empty; say what this source states differently (amount, "
                "qualifier, attributed_to, speaker_unstated, names or date)",
            )
        )
    if values.get("qualifier") == "vague":
        ctx.problems.append(_problem(where, "qualifier", "a citation cannot state a vague amount"))
    if values.get("speaker_unstated") is False:
        ctx.problems.append(
            _problem(
                where,
                "speaker_unstated",
                "'speaker_unstated: false' says nothing; write 'speaker_unstated: true' if this "
                "source does not say who made the statement, or remove the key",
            )
        )
    elif values.get("speaker_unstated") and "attributed_to" in values:
        ctx.problems.append(
            _problem(
                where,
                "speaker_unstated",
                "'states' has both 'attributed_to' and 'speaker_unstated'; give who this source "
                "says made the statement, or that it does not say, not both",
            )
        )


def _check_speaker(values: dict[str, Any], where: Located, ctx: Context) -> None:
    """A fact names its speaker or says the sources do not; its citations follow suit."""
    unstated = values.get("speaker_unstated", False)
    if unstated and "attributed_to" in values:
        ctx.problems.append(
            _problem(
                where,
                "speaker_unstated",
                "a fact has 'attributed_to' (who made the statement) or 'speaker_unstated: "
                "true' (the sources do not say), not both; remove one",
            )
        )
    if "speaker_context" in values and not unstated:
        ctx.problems.append(
            _problem(
                where,
                "speaker_context",
                "'speaker_context' is only for a fact with 'speaker_unstated: true'; "
                "remove it, or mark the speaker as not stated",
            )
        )
    for number, citation in enumerate(values.get("citations") or [], start=1):
        states = citation.states
        if states is None or states.where is None:
            continue
        if states.speaker_unstated and unstated:
            ctx.problems.append(
                _problem(
                    states.where,
                    "speaker_unstated",
                    f"citation {number}: the fact already says the speaker is not stated; "
                    "remove 'speaker_unstated' from 'states'",
                )
            )
        elif states.speaker_unstated and "attributed_to" not in values:
            ctx.problems.append(
                _problem(
                    states.where,
                    "speaker_unstated",
                    f"citation {number}: the fact names no speaker, so there is nothing this "
                    "source leaves unsaid; remove 'speaker_unstated' from 'states'",
                )
            )
        if states.date is not None and "date" not in values:
            ctx.problems.append(
                _problem(
                    states.where,
                    "date",
                    f"citation {number}: 'states: date' records a date that differs from the "
                    "fact's, but the fact has no 'date'; give the fact's date first",
                )
            )


def _check_speakers(values: dict[str, Any], where: Located, ctx: Context) -> None:
    """Each name or alias of a sheet's speakers stands for one speaker only."""
    seen: dict[str, str] = {}
    for speaker in values.get("speakers") or []:
        spot = speaker.where
        for key, text in [("name", speaker.name), *(("aliases", a) for a in speaker.aliases)]:
            folded = normalize(text).casefold()
            first = seen.get(folded)
            if first is not None and spot is not None:
                ctx.problems.append(
                    _problem(
                        spot,
                        key,
                        f"'{text}' is already declared for speaker '{first}'; a name or alias "
                        "can stand for one speaker only",
                    )
                )
            seen.setdefault(folded, speaker.name)


def _check_period(values: dict[str, Any], where: Located, ctx: Context) -> None:
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end.sort_key() < start.sort_key():
        ctx.problems.append(_problem(where, "end", "the period ends before it starts"))


def _problem(where: Located, key: str | None, message: str) -> Problem:
    return Problem(where.of(key) if key else where.loc, message)


def quantity_fields(*, for_citation: bool = False) -> dict[str, Field[Any]]:
    return {
        "amount": Number("The number in plain digits: 1400000 for '1.4 million'."),
        "qualifier": Choice(
            "How exact the number is: " + "; ".join(f"{k}: {v}" for k, v in QUALIFIERS.items()),
            tuple(QUALIFIERS),
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
            tuple(k for k in QUALIFIERS if k != "vague"),
        ),
        "attributed_to": Text(
            "Who this source says made the statement, if different (named in this citation's "
            "quote or 'attribution', as written or by a declared alias).",
            max_length=300,
        ),
        "speaker_unstated": Bool(
            "true when this source does not say who made the statement that the fact "
            "attributes (other sources do)."
        ),
        "names": NAMES,
        "date": Date("The date this source gives, if different (checked against the quote)."),
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
        "attribution": Text(
            "A passage of the same source, copied word for word, that names who made the "
            "statement ('according to the CAC'), when the quote itself does not.",
            one_line=False,
            max_length=1000,
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
        "attributed_to": Text(
            "The body or person that said it (not the outlet), by its name in the sheet's "
            "'speakers' if declared there. Each citation must name it, in its quote or its "
            "'attribution', as written or by a declared alias.",
            max_length=300,
        ),
        "speaker_unstated": Bool(
            "true when the sources report the statement without saying who made it "
            "(instead of 'attributed_to')."
        ),
        "speaker_context": Text(
            "With 'speaker_unstated': the editor's reading of who it may be, shown after "
            "'Speaker not stated in the sources; context suggests' ('the CAC, whose "
            "statement it follows').",
            max_length=500,
        ),
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
    check=_check_speaker,
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

SPEAKER = Record(
    "speaker",
    model.Speaker,
    {
        "name": Text(
            "The speaker's name, as facts' 'attributed_to' gives it.",
            required=True,
            max_length=300,
        ),
        "aliases": ListOf(
            Text("Another name.", max_length=300),
            "Other ways the sources name it ('CAC', 'the regulator'): a quote or "
            "attribution passage naming it by one of these grounds the attribution.",
        ),
    },
    "A body or person facts are attributed to, declared once per sheet with its aliases.",
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
        "speakers": ListOf(
            SPEAKER,
            "The bodies or people facts are attributed to, each with the other names the "
            "sources use for it.",
        ),
        "derived": DERIVED,
    },
    "A fact sheet: 'sheet.yaml' in the sheet's directory under content/sheets/.",
    check=_check_speakers,
)

_PERSON_KEYS = ("family", "given", "particle", "suffix", "affiliation")


def _check_author(values: dict[str, Any], where: Located, ctx: Context) -> None:
    if "organisation" in values:
        if "family" in values:
            ctx.problems.append(
                _problem(
                    where,
                    "organisation",
                    "write either a person (family, given) or an organisation, not both",
                )
            )
            return
        for key in _PERSON_KEYS:
            if key in values:
                ctx.problems.append(
                    _problem(
                        where,
                        key,
                        f"'{key}' is only for a person (with 'family'); an organisation "
                        "has only 'organisation'",
                    )
                )
    elif "family" not in values:
        ctx.problems.append(
            _problem(
                where,
                None,
                "a name needs 'family' (a person: 'family: Swanson' with 'given: Joanna') "
                "or 'organisation' (an organisation: 'organisation: Reuters')",
            )
        )


class AuthorRecord(Record[model.Author]):
    """A person or an organisation, written as a mapping; a plain string is refused.

    A string such as 'Joanna Swanson' does not say which part is the family name (nor
    whether it names a person at all), and citation styles need to know: the error says
    how to write it.
    """

    def convert(self, node: Node, ctx: Context, name: str) -> model.Author:
        if isinstance(node, Scalar):
            words = " ".join(node.value.split())
            parts = words.split(" ")
            person = (
                f"{{family: {parts[-1]}, given: {' '.join(parts[:-1])}}}"
                if len(parts) > 1
                else f"{{family: {words}}}"
            )
            return self.fail(
                ctx,
                node,
                f"'{name}' is the plain text '{words}', which does not say which part is the "
                f"family name; write a person as {person} (the family name in 'family', the "
                f"others in 'given'), or an organisation as {{organisation: {words}}}",
            )
        return super().convert(node, ctx, name)

    def json_schema(self) -> dict[str, Any]:
        schema = super().json_schema()
        schema["oneOf"] = [
            {
                "title": "a person",
                "required": ["family"],
                "not": {"required": ["organisation"]},
            },
            {
                "title": "an organisation",
                "required": ["organisation"],
                "properties": {key: False for key in _PERSON_KEYS},
            },
        ]
        return schema


AUTHOR = AuthorRecord(
    "author",
    model.Author,
    {
        "family": Text(
            "A person's family name (surname), as written: 'Swanson', 'García Márquez'; "
            "one name alone ('Socrates') goes here too.",
            max_length=200,
        ),
        "given": Text("A person's given names or initials: 'Joanna', 'J. R.'.", max_length=200),
        "particle": Text(
            "A particle written before the family name and kept with it: 'van', 'de', 'al'.",
            max_length=40,
        ),
        "suffix": Text("A suffix after the name: 'Jr.', 'III'.", max_length=40),
        "affiliation": Text(
            "Where the person works, when the text says so: 'Thomson Reuters Foundation'.",
            max_length=200,
        ),
        "organisation": Text(
            "An organisation's name, as written ('Reuters Staff'): for an organisation only, "
            "never for a person.",
            max_length=200,
        ),
    },
    "A person, with 'family' and usually 'given' ({family: Swanson, given: Joanna}), or "
    "an organisation, with 'organisation' alone ({organisation: Reuters Staff}). A plain "
    "string is refused: it does not say which part is the family name.",
    check=_check_author,
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
        "byline": ListOf(
            AUTHOR,
            "Who this passage names as writer, when it is a byline box or credit line that is "
            "not the report's own (a republisher's author box): the source page says so, and "
            "they are never recorded or exported as the source's authors. Each family name "
            "(or organisation) must occur in the passage.",
            min_items=1,
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


def _check_source(values: dict[str, Any], where: Located, ctx: Context) -> None:
    archive = values.get("archive")
    bylined = {
        _same_name(name): item
        for item in (archive.furniture if archive is not None else [])
        for name in item.byline
    }
    for author in values.get("authors", []):
        item = bylined.get(_same_name(author))
        if item is not None:
            furniture_at = item.where.loc if item.where else where.of("archive")
            ctx.problems.append(
                Problem(
                    author.where.loc if author.where else where.of("authors"),
                    f"'{author.name}' is an author and also named by page furniture "
                    f"({furniture_at.path}:{furniture_at.line}, '{item.reason}'); record the "
                    "name in one place: under 'authors' only when the report itself names "
                    "them",
                )
            )


def _same_name(author: model.Author) -> tuple[str, ...]:
    return tuple(" ".join(author.name.casefold().split()).split(" "))


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
        "authors": ListOf(
            AUTHOR,
            "Authors the report itself names (its byline): each a person "
            "({family: Swanson, given: Joanna}) or an organisation "
            "({organisation: Reuters Staff}). A byline box the republishing site added is "
            "page furniture: record it under the furniture's 'byline' instead.",
        ),
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
    check=_check_source,
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
        SPEAKER,
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
        AUTHOR,
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

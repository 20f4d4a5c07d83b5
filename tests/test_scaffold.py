"""``factsheet new``: skeletons that check explains, appended without touching the editor's text.

Also: where the schema modeline points, and the pre-commit hook and CI example files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.content.format import DERIVATION
from generator.content.nodes import Mapping, Scalar, Sequence
from generator.content.yamlload import load_yaml
from generator.editor.yamlwrite import is_plain_safe, scalar, schema_ref

from .conftest import ROOT, SHEET_DIR, Run, write

CONTEXT = f"{SHEET_DIR}/facts/7-context.yaml"
NEW = "content/sheets/harbour-broadband"


def errors(run: Run) -> list[str]:
    """The PATH:LINE:COL: error: lines of a run, without the count line."""
    return [line for line in run.err.splitlines() if ": error: " in line]


def facts_of(path: Path) -> list[Mapping]:
    loaded = load_yaml(path.read_bytes(), str(path))
    assert not loaded.problems, loaded.problems
    assert isinstance(loaded.root, Mapping)
    facts = loaded.root.entries["facts"][1]
    assert isinstance(facts, Sequence)
    items = [item for item in facts.items if isinstance(item, Mapping)]
    assert len(items) == len(facts.items)
    return items


def value(item: Mapping, key: str) -> str:
    node = item.entries[key][1]
    assert isinstance(node, Scalar)
    return node.value


# -- new sheet ----------------------------------------------------------------------------


def test_new_sheet_is_a_skeleton_that_check_explains(
    cli: Callable[..., Run], project: Path
) -> None:
    run = cli(
        "new", "sheet", "harbour-broadband", "--title", "The harbour's broadband: a year on",
        "--topic", "network", "--topic", "costs", cwd=project,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.out.splitlines()[:2] == [
        f"wrote {NEW}/sheet.yaml:1",
        f"wrote {NEW}/facts/network.yaml:3",
    ]
    sheet = (project / NEW / "sheet.yaml").read_text("utf-8")
    facts = (project / NEW / "facts/network.yaml").read_text("utf-8")
    assert sheet.startswith(
        "# yaml-language-server: $schema=../../../site/schemas/sheet.schema.json\n"
        "id: harbour-broadband\n"
        'title: "The harbour\'s broadband: a year on"\n'
    )
    assert facts.startswith(
        "# yaml-language-server: $schema=../../../../site/schemas/facts.schema.json\nfacts:\n"
    )
    assert sheet.count("# TODO:") == 4 and facts.count("# TODO:") == 5
    check = cli("check", cwd=project)
    assert check.code == 1
    # valid YAML; each missing value is reported at its line, and nothing else
    assert errors(check) == [
        f"{NEW}/facts/network.yaml:3:8: error: 'id' is empty; it is required in fact",
        f"{NEW}/facts/network.yaml:5:15: error: 'statement' is empty; it is required in fact",
        f"{NEW}/facts/network.yaml:18:16: error: 'source' is empty; it is required in citation",
        f"{NEW}/facts/network.yaml:19:15: error: 'quote' is empty; it is required in citation",
        f"{NEW}/sheet.yaml:4:9: error: 'summary' is empty; it is required in sheet",
        f"{NEW}/sheet.yaml:5:7: error: 'as_of' is empty; it is required in sheet",
        f"{NEW}/sheet.yaml:14:11: error: 'title' is empty; it is required in topic",
        f"{NEW}/sheet.yaml:16:11: error: 'title' is empty; it is required in topic",
    ]
    for number, line in ((4, "summary:"), (5, "as_of:"), (14, "    title:")):
        assert sheet.splitlines()[number - 1].startswith(line)
    assert all("# TODO:" in facts.splitlines()[n - 1] for n in (3, 5, 18, 19))


def test_a_filled_in_sheet_passes(cli: Callable[..., Run], project: Path) -> None:
    assert cli("new", "sheet", "harbour-broadband", "--title", "Broadband", cwd=project).code == 0
    sheet = project / NEW / "sheet.yaml"
    text = sheet.read_text("utf-8")
    text = re.sub(r"summary:  # TODO.*", "summary: The harbour district's broadband.", text)
    text = re.sub(r"as_of:  # TODO.*", "as_of: 2024-03-05", text)
    text = re.sub(r"title:  # TODO.*", "title: The network", text)
    sheet.write_text(text, "utf-8")
    facts = project / NEW / "facts/overview.yaml"
    text = facts.read_text("utf-8")
    text = re.sub(r"id:  # TODO.*", "id: broadband-closures", text)
    text = re.sub(r"statement:  # TODO.*", "statement: Accounts were closed.", text)
    text = re.sub(r"source:  # TODO.*", "source: reuters-2023-self-media", text)
    text = re.sub(r"quote:  # TODO.*", "quote: it closed 67,000 social media accounts", text)
    facts.write_text(text, "utf-8")
    check = cli("check", cwd=project)
    assert check.code == 0, check.err
    assert check.out.startswith("ok: 24 facts in 2 sheets")


def uncomment_derived(text: str, pad: str, figure: str, facts: str, how: str) -> str:
    """``text`` with its commented-out ``derived`` (at indent ``pad``) written in, as its
    comment says: the '# ' dropped and the placeholders filled."""
    hint = (
        f"{pad}# derived:\n"
        f"{pad}#   - figure: FIGURE  # as the prose writes it, qualifier included\n"
        f"{pad}#     from: [FACT-ID, FACT-ID]  # facts of the sheet, with figures\n"
        f"{pad}#     how: HOW  # how it was worked out, for readers\n"
    )
    assert text.count(hint) == 1, text
    written = (
        re.sub(f"(?m)^{pad}# ", pad, hint)
        .replace("FIGURE", figure)
        .replace("FACT-ID, FACT-ID", facts)
        .replace("HOW", how)
    )
    return text.replace(hint, written)


def test_the_skeletons_name_the_keys_editors_look_for(
    cli: Callable[..., Run], project: Path
) -> None:
    """Who made the statement (attribution, speaker_unstated) and the editor's own figures
    (derived): each skeleton says where they go; the sheet's derived reads back as the
    format's keys."""
    assert cli("new", "sheet", "harbour-broadband", "--title", "Broadband", cwd=project).code == 0
    facts = (project / NEW / "facts/overview.yaml").read_text("utf-8")
    comments = " ".join(  # the comments' text, one line
        line.strip()[1:].strip() for line in facts.splitlines() if line.lstrip().startswith("#")
    )
    assert "attributed_to (or speaker_unstated: true when the sources do not say who" in comments
    assert "A citation may add attribution (its source's words naming the speaker" in comments
    assert "states: {speaker_unstated: true} (its source does not say" in comments
    assert "Optional: figures in this fact's prose" in comments
    sheet = (project / NEW / "sheet.yaml").read_text("utf-8")
    assert "# Optional: figures in the sheet's prose" in sheet


def test_a_sheet_with_its_derived_hint_written_in_passes(
    cli: Callable[..., Run], project: Path
) -> None:
    assert cli("new", "sheet", "harbour-broadband", "--title", "Broadband", cwd=project).code == 0
    facts = project / NEW / "facts/overview.yaml"
    text = facts.read_text("utf-8")
    text = re.sub(r"id:  # TODO.*", "id: broadband-closures", text)
    text = re.sub(
        r"statement:  # TODO.*",
        "statement: 67,000 accounts were closed.\n"
        "    value:\n      amount: 67000\n      unit: accounts\n      qualifier: exact",
        text,
    )
    text = re.sub(r"source:  # TODO.*", "source: reuters-2023-self-media", text)
    text = re.sub(r"quote:  # TODO.*", "quote: it closed 67,000 social media accounts", text)
    facts.write_text(text, "utf-8")
    sheet = project / NEW / "sheet.yaml"
    text = sheet.read_text("utf-8")
    text = re.sub(
        r"summary:  # TODO.*", "summary: About 33,500 accounts a month were closed.", text
    )
    text = re.sub(r"as_of:  # TODO.*", "as_of: 2024-03-05", text)
    text = re.sub(r"title:  # TODO.*", "title: The network", text)
    sheet.write_text(text, "utf-8")
    # 33,500 is no figure of a fact: an error until the calculation is declared
    assert "summary: 'About 33,500' is not a" in cli("check", cwd=project).err
    text = uncomment_derived(
        text, "", '"About 33,500"', "broadband-closures", "67,000 closed in two months"
    )
    sheet.write_text(text, "utf-8")
    check = cli("check", cwd=project)
    assert check.code == 0, check.err
    derived = yaml.safe_load(text)["derived"]
    assert set(derived[0]) == set(DERIVATION.fields)  # the hint's keys are the format's


def test_a_fact_with_its_derived_hint_written_in_passes(
    cli: Callable[..., Run], project: Path
) -> None:
    accounts = project / SHEET_DIR / "facts/3-accounts.yaml"
    original = accounts.read_text("utf-8")
    run = cli(
        "new", "fact", "--sheet", "china-self-media-2023", "--topic", "accounts",
        "--id", "other-closures", cwd=project,
    )  # fmt: skip
    assert run.code == 0, run.err
    text = accounts.read_text("utf-8")
    added = text[len(original) :]
    filled = re.sub(
        r"statement:  # TODO.*",
        "statement: 59,000 of the 67,000 closed accounts were shut for other reasons.",
        added,
    )
    filled = re.sub(r"source:  # TODO.*", "source: reuters-2023-self-media", filled)
    filled = re.sub(r"quote:  # TODO.*", "quote: it closed 67,000 social media accounts", filled)
    accounts.write_text(original + filled, "utf-8")
    # 59,000 is no figure of a fact: an error until the calculation is declared
    assert "'59,000'" in cli("check", cwd=project).err
    filled = uncomment_derived(
        filled,
        "    ",
        '"59,000"',
        "accounts-closed, fake-news-closures",
        "67,000 closed minus nearly 8,000 closed for fake news",
    )
    accounts.write_text(original + filled, "utf-8")
    check = cli("check", cwd=project)
    assert check.code == 0, check.err


def test_new_sheet_never_overwrites(cli: Callable[..., Run], project: Path) -> None:
    assert cli("new", "sheet", "harbour-broadband", "--title", "One", cwd=project).code == 0
    before = (project / NEW / "sheet.yaml").read_bytes()
    run = cli("new", "sheet", "harbour-broadband", "--title", "Two", cwd=project)
    assert run.code == 1
    assert run.err.startswith(
        f"{NEW}/sheet.yaml:1:1: error: a sheet with id 'harbour-broadband' already exists"
    )
    assert (project / NEW / "sheet.yaml").read_bytes() == before
    # the id of a sheet in another directory counts too
    run = cli("new", "sheet", "china-self-media-2023", "--title", "Again", cwd=project)
    assert run.code == 1
    assert "a sheet with id 'china-self-media-2023' already exists" in run.err


@pytest.mark.parametrize(
    "args",
    [
        ("sheet", "Harbour Broadband", "--title", "x"),
        ("sheet", "harbour-broadband"),
        ("sheet", "harbour-broadband", "--title", "x", "--topic", "Not_A_Topic"),
        ("fact", "--sheet", "china-self-media-2023"),
        ("fact", "--sheet", "china-self-media-2023", "--topic", "context", "--id", "Bad Id"),
        ("thing",),
        (),
    ],
)
def test_usage_errors(cli: Callable[..., Run], project: Path, args: tuple[str, ...]) -> None:
    run = cli("new", *args, cwd=project)
    assert run.code == 2
    assert "usage:" in run.err
    assert not (project / NEW).exists()


# -- new fact -------------------------------------------------------------------------------


def test_new_fact_goes_to_the_file_of_its_topic(cli: Callable[..., Run], project: Path) -> None:
    path = project / CONTEXT
    original = path.read_text("utf-8")
    run = cli(
        "new", "fact", "--sheet", "china-self-media-2023", "--topic", "context",
        "--id", "new-context-fact", cwd=project,
    )  # fmt: skip
    assert run.code == 0, run.err
    edited = path.read_text("utf-8")
    assert edited.startswith(original)  # byte for byte, comments and layout kept
    added = edited[len(original) :]
    assert added.startswith("\n  - id: new-context-fact\n    topic: context\n")
    start = original.count("\n") + 2
    assert run.out.startswith(f"added a fact skeleton to {CONTEXT}:{start}\n")
    facts = facts_of(path)
    assert [value(f, "id") for f in facts[:-1]] == ["since-2021", "arrests-and-detentions"]
    assert value(facts[-1], "id") == "new-context-fact"
    check = cli("check", cwd=project)
    assert errors(check) == [
        f"{CONTEXT}:{start + 2}:15: error: 'statement' is empty; it is required in fact",
        f"{CONTEXT}:{start + 15}:16: error: 'source' is empty; it is required in citation",
        f"{CONTEXT}:{start + 16}:15: error: 'quote' is empty; it is required in citation",
    ]


def test_comments_and_layout_survive(cli: Callable[..., Run], project: Path) -> None:
    """An indentless list, comments everywhere, CRLF-free but no final newline."""
    sheet_dir = project / "content/sheets/notes"
    write(
        sheet_dir / "sheet.yaml",
        """
        id: notes
        title: Notes
        summary: A sheet.
        as_of: 2024-01-01
        topics:
          - id: network
            title: Network
        """,
    )
    original = (
        "# Editor's notes: keep these facts in date order.\n"
        "facts:\n"
        "# first fact\n"
        "- id: a-fact   # the first one\n"
        "  topic: network\n"
        '  statement: "Accounts were closed."  # quoted on purpose\n'
        "  citations:\n"
        "  - source: reuters-2023-self-media\n"
        "    quote: >-\n"
        "      it closed 67,000\n"
        "      social media accounts\n"
        "# a comment at the very end, about nothing in particular"
    )
    path = sheet_dir / "facts" / "facts.yaml"
    path.parent.mkdir()
    path.write_text(original, "utf-8")
    run = cli("new", "fact", "--sheet", "notes", "--topic", "network", "--id", "b", cwd=project)
    assert run.code == 0, run.err
    edited = path.read_text("utf-8")
    assert edited.startswith(original + "\n")
    assert edited[len(original) + 1 :].startswith("\n- id: b\n  topic: network\n")
    facts = facts_of(path)
    assert [value(f, "id") for f in facts] == ["a-fact", "b"]
    # a second one, after the first skeleton
    run = cli("new", "fact", "--sheet", "notes", "--topic", "network", cwd=project)
    assert run.code == 0, run.err
    assert path.read_text("utf-8").startswith(edited)
    assert len(facts_of(path)) == 3


def test_a_topic_without_facts_gets_its_own_file(cli: Callable[..., Run], project: Path) -> None:
    assert cli(
        "new", "sheet", "harbour-broadband", "--title", "B", "--topic", "network",
        "--topic", "costs", cwd=project,
    ).code == 0  # fmt: skip
    run = cli("new", "fact", "--sheet", "harbour-broadband", "--topic", "costs", cwd=project)
    assert run.code == 0, run.err
    path = project / NEW / "facts/costs.yaml"
    assert run.out.startswith(f"wrote {NEW}/facts/costs.yaml:3")
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../../site/schemas/facts")
    assert value(facts_of(path)[0], "topic") == "costs"
    # the topic's file is found again for the next fact (not facts/network.yaml)
    assert (
        cli("new", "fact", "--sheet", "harbour-broadband", "--topic", "costs", cwd=project).code
        == 0
    )
    assert len(facts_of(path)) == 2
    assert len(facts_of(project / NEW / "facts/network.yaml")) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--sheet", "china-self-media-2023", "--topic", "weather"),
            f"{SHEET_DIR}/sheet.yaml:1:1: error: sheet 'china-self-media-2023' has no topic "
            "'weather' (topics: campaign, posts, accounts, impersonation, separate-crackdown, "
            "response, context)",
        ),
        (
            ("--sheet", "no-such-sheet", "--topic", "context"),
            "factsheet new: error: no sheet 'no-such-sheet' (sheets: china-self-media-2023)",
        ),
        (
            ("--sheet", "china-self-media-2023", "--topic", "context", "--id", "posts-deleted"),
            f"{SHEET_DIR}/facts/2-posts.yaml:3:9: error: a fact with id 'posts-deleted' already "
            "exists",
        ),
    ],
)
def test_new_fact_errors(
    cli: Callable[..., Run], project: Path, args: tuple[str, ...], message: str
) -> None:
    before = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    run = cli("new", "fact", *args, cwd=project)
    assert run.code == 1
    assert run.err.startswith(message)
    assert {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()} == before


def test_a_file_that_cannot_be_appended_to_is_left_alone(
    cli: Callable[..., Run], project: Path
) -> None:
    path = project / CONTEXT
    path.write_text("facts: [{id: a, topic: context, statement: s, citations: []}]\n", "utf-8")
    run = cli("new", "fact", "--sheet", "china-self-media-2023", "--topic", "context", cwd=project)
    assert run.code == 1
    assert run.err.startswith(f"{CONTEXT}:1:8: error: 'facts' is written as a flow list")
    assert path.read_text("utf-8").startswith("facts: [{")
    path.write_text("facts:\n  - id: a\n    topic: context\n  - [", "utf-8")
    run = cli("new", "fact", "--sheet", "china-self-media-2023", "--topic", "context", cwd=project)
    assert run.code == 1
    assert run.err.startswith(f"{CONTEXT}:5:1: error: this facts file cannot be read (invalid")
    assert not (project / SHEET_DIR / "facts/context.yaml").exists()


# -- the schema modeline, and the files for pre-commit and CI -------------------------------


def test_modeline_rules(tmp_path: Path) -> None:
    # 1. in this repository, generator/schemas/ is in the same tree: a relative path
    written = ROOT / "content/sources/x.yaml"
    assert schema_ref("source", written, ROOT) == "../../generator/schemas/source.schema.json"
    facts = ROOT / "content/sheets/s/facts/x.yaml"
    assert schema_ref("facts", facts, ROOT) == "../../../../generator/schemas/facts.schema.json"
    # 2. elsewhere, with site_url: the schema the site publishes
    other = tmp_path / "content/sources/x.yaml"
    assert (
        schema_ref("source", other, tmp_path, site_url="https://facts.example.org/sheets/")
        == "https://facts.example.org/sheets/schemas/source.schema.json"
    )
    # 3. elsewhere, without: the copy that `factsheet build` writes into the site directory
    assert schema_ref("source", other, tmp_path) == "../../site/schemas/source.schema.json"
    assert (
        schema_ref("source", other, tmp_path, site_dir=tmp_path / "public")
        == "../../public/schemas/source.schema.json"
    )


def test_the_bundled_files_follow_the_rule() -> None:
    for path in (ROOT / "content").rglob("*.yaml"):
        kind = (
            "source"
            if "sources" in path.parts
            else "sheet"
            if path.name == "sheet.yaml"
            else "facts"
        )
        first = path.read_text("utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={schema_ref(kind, path, ROOT)}", path


def test_site_url_from_mkdocs_yml(cli: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://facts.example.org/\n" + config.read_text("utf-8"), "utf-8")
    text = tmp_path / "t.txt"
    text.write_text("Some text of a source. " * 10, "utf-8")
    assert cli("add-source", "--file", str(text), cwd=project).code == 0
    first = (project / "content/sources/t.yaml").read_text("utf-8").splitlines()[0]
    assert first == (
        "# yaml-language-server: $schema=https://facts.example.org/schemas/source.schema.json"
    )


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Council connects homes", True),
        ("The harbour's broadband: a year on", False),
        ("no", False),
        ("NULL", False),
        ("2024", False),
        ("1.4", False),
        ("- dash", False),
        ("#hash", False),
        ("a #b", False),
        ("https://example.org/a#b", True),
        ("“Curly” start", True),
        (" padded", False),
        ("", False),
        ("tab\there", False),
    ],
)
def test_scalars_read_back_as_written(text: str, plain: bool) -> None:
    assert is_plain_safe(text) == plain
    loaded = load_yaml(f"key: {scalar(text)}\n".encode(), "<t>")
    assert not loaded.problems
    assert isinstance(loaded.root, Mapping)
    node = loaded.root.entries["key"][1]
    assert isinstance(node, Scalar) and node.value == text
    assert yaml.safe_load(f"key: {scalar(text)}\n")["key"] == text  # other tools agree


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = hooks
    assert hook["id"] == "factsheet-check"
    assert hook["entry"] == "factsheet check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert re.match(hook["files"], "content/sources/x.yaml")
    assert not re.match(hook["files"], "generator/cli.py")


def test_ci_example_checks_builds_and_publishes() -> None:
    workflow = yaml.safe_load((ROOT / "examples/ci/publish-site.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run") for step in steps]
    assert runs.index("factsheet check") < runs.index("factsheet build")
    upload = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])


def test_crlf_files_keep_their_line_endings(cli: Callable[..., Run], project: Path) -> None:
    path = project / CONTEXT
    original = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    run = cli("new", "fact", "--sheet", "china-self-media-2023", "--topic", "context", cwd=project)
    assert run.code == 0, run.err
    edited = path.read_bytes()
    assert edited.startswith(original)
    assert b"\n" not in edited.replace(b"\r\n", b"")
    start = original.count(b"\n") + 2
    assert run.out.startswith(f"added a fact skeleton to {CONTEXT}:{start}\n")
    assert len(facts_of(path)) == 3

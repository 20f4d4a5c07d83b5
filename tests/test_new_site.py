"""`factsheet new site DIR`: a site that checks and builds at once, on the default templates,
which the site's own templates/ overrides file by file."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import __version__
from generator.editor.newsite import (
    EXAMPLE_SHEET,
    EXAMPLE_SOURCE,
    EXAMPLE_WORKFLOW_PATH,
    SOURCE_TEXT,
    example_workflow,
    pages_workflow,
)
from generator.paths import DEFAULT_TEMPLATES

from .conftest import ROOT, Run, run_factsheet, write

SHEET_PAGE = f"site/sheets/{EXAMPLE_SHEET}/index.html"
WRITTEN = [
    ".github/workflows/pages.yml",
    ".gitignore",
    f"content/sheets/{EXAMPLE_SHEET}/facts/library.yaml",
    f"content/sheets/{EXAMPLE_SHEET}/sheet.yaml",
    f"content/sources/{EXAMPLE_SOURCE}.txt",
    f"content/sources/{EXAMPLE_SOURCE}.yaml",
    "mkdocs.yml",
]


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def text_of(page: str) -> str:
    """A built page's visible text, in one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_new_site_checks_and_builds_at_once(cli: Callable[..., Run], tmp_path: Path) -> None:
    site = tmp_path / "demo"
    made = cli("new", "site", str(site), cwd=tmp_path)
    assert made.code == 0, made.err
    assert "demo" in made.out and "factsheet check" in made.out
    assert files_under(site) == WRITTEN  # no templates/: the defaults are the package's

    checked = cli("check", cwd=site)
    assert checked.code == 0, checked.err
    assert "2 facts in 1 sheet, 1 sources, 2 quotes verified" in checked.out
    built = cli("build", cwd=site)
    assert built.code == 0, built.err

    out = site / "site"
    page = (out / f"sheets/{EXAMPLE_SHEET}/index.html").read_text(encoding="utf-8")
    words = text_of(page)
    assert "Example: the Riverside Public Library in 2024" in words
    assert 'id="books-lent-2024"' in page and 'id="new-members-2024"' in page
    assert "48,200" in words and "1,350" in words
    # the quotes, word for word from the archived text
    assert "We registered 1,350 new members, most of them under 18." in words
    # the default templates and assets
    assert "How to read this sheet" in words  # partials/howto.md.j2
    for asset in ("factsheet.css", "figures.css", "factsheet.js"):
        shipped = (DEFAULT_TEMPLATES / "static" / "assets" / asset).read_bytes()
        assert (out / "assets" / asset).read_bytes() == shipped
        assert f"assets/{asset}" in page
    not_found = (out / "404.html").read_text(encoding="utf-8")
    default_404 = (DEFAULT_TEMPLATES / "overrides" / "404.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", default_404, re.S)
    assert heading is not None and heading.group(1).strip() in not_found
    # docs_dir is content/: none of it is published as it is (the pages are made from it)
    assert not [p for p in files_under(out) if p.endswith((".yaml", ".yml"))]
    archived = out / "sources" / f"{EXAMPLE_SOURCE}.txt"  # the archived copy, as a download
    assert archived.read_text(encoding="utf-8") == SOURCE_TEXT


def test_the_example_says_it_is_an_example(tmp_path: Path, cli: Callable[..., Run]) -> None:
    site = tmp_path / "demo"
    assert cli("new", "site", str(site), cwd=tmp_path).code == 0
    source = yaml.safe_load(
        (site / "content" / "sources" / f"{EXAMPLE_SOURCE}.yaml").read_text(encoding="utf-8")
    )
    assert "[Example]" in source["title"] and "invented" in source["notes"]
    assert SOURCE_TEXT.startswith("EXAMPLE: an invented press release")
    # the label is page furniture: not a passage of the press release itself
    (furniture,) = source["archive"]["furniture"]
    assert SOURCE_TEXT.startswith(furniture["start"])


def test_via_the_command_in_a_git_repository(tmp_path: Path) -> None:
    """As a user runs it: the command, then git (the history dates the facts), check, build."""
    made = run_factsheet("new", "site", "demo", cwd=tmp_path)
    assert made.code == 0, made.err
    site = tmp_path / "demo"
    git = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    subprocess.run(["git", "add", "-A"], cwd=site, check=True)
    subprocess.run([*git, "commit", "-qm", "A new site"], cwd=site, check=True)
    checked = run_factsheet("check", cwd=site)
    assert checked.code == 0, checked.err
    built = run_factsheet("build", cwd=site)
    assert built.code == 0, built.err
    words = text_of((site / SHEET_PAGE).read_text(encoding="utf-8"))
    assert "change dates unknown" not in words and "Last changed" in words
    # the built site and the build's scratch are ignored: the working tree stays clean
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored=no"],
        cwd=site,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD"])
def test_refuses_a_directory_that_is_not_empty(
    cli: Callable[..., Run], tmp_path: Path, existing: str
) -> None:
    site = tmp_path / "demo"
    write(site / existing, "kept\n")
    before = files_under(site)
    refused = cli("new", "site", str(site), cwd=tmp_path)
    assert refused.code == 1
    assert refused.err.strip().splitlines() == [
        f"factsheet new site: error: {site}: the directory is not empty; give a new or empty one"
    ]
    assert files_under(site) == before


def test_an_empty_directory_is_used(cli: Callable[..., Run], tmp_path: Path) -> None:
    site = tmp_path / "demo"
    site.mkdir()
    assert cli("new", "site", str(site), cwd=tmp_path).code == 0
    assert files_under(site) == WRITTEN


def test_refuses_a_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = write(tmp_path / "demo", "a file\n")
    refused = cli("new", "site", str(target), cwd=tmp_path)
    assert refused.code == 1
    assert refused.err.strip() == (
        f"factsheet new site: error: {target}: exists and is not a directory"
    )
    assert target.read_text(encoding="utf-8") == "a file\n"


def test_pages_workflow(cli: Callable[..., Run], tmp_path: Path) -> None:
    site = tmp_path / "demo"
    assert cli("new", "site", str(site), cwd=tmp_path).code == 0
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the whole history: "last changed" dates
    runs = [s.get("run", "") for s in steps]
    assert f'pip install "factsheet=={__version__}"' in "\n".join(runs)
    assert runs.index("factsheet check") < runs.index("factsheet build")
    upload = next(s for s in steps if "upload-pages-artifact" in str(s.get("uses", "")))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("actions/deploy-pages" in str(s.get("uses", "")) for s in deploy["steps"])


def test_the_ci_example_is_the_new_sites_workflow(tmp_path: Path) -> None:
    """examples/ci/publish-site.yml is written from the workflow a new site gets: one text."""
    example = ROOT / EXAMPLE_WORKFLOW_PATH
    assert example.read_text(encoding="utf-8") == example_workflow(), (
        f"{EXAMPLE_WORKFLOW_PATH} is not the workflow of generator/editor/newsite.py; write it "
        "again: PYTHONPATH=. python3 -c 'from generator.editor.newsite import "
        f'example_workflow as w; open("{EXAMPLE_WORKFLOW_PATH}", "w").write(w())\''
    )
    # the two differ only in where they install factsheet from (and in their comments)
    site, ours = yaml.safe_load(pages_workflow()), yaml.safe_load(example_workflow())
    site_steps, our_steps = site["jobs"]["build"]["steps"], ours["jobs"]["build"]["steps"]
    (at,) = [i for i, step in enumerate(site_steps) if step.get("name") == "Install factsheet"]
    assert site_steps[at]["run"] == f'python -m pip install "factsheet=={__version__}"'
    assert our_steps[at] == {"name": "Install factsheet", "run": "python -m pip install ."}
    our_steps[at] = site_steps[at]
    assert ours == site


def _settings(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_mkdocs_yml_keeps_the_bundled_settings(cli: Callable[..., Run], tmp_path: Path) -> None:
    """The new site's mkdocs.yml is the bundled one but for where its files are."""
    site = tmp_path / "demo"
    assert cli("new", "site", str(site), cwd=tmp_path).code == 0
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    new, bundled = _settings(site / "mkdocs.yml"), _settings(ROOT / "mkdocs.yml")
    assert "site_url" not in new and "# site_url: https://" in text
    assert new["docs_dir"] == "content" and "custom_dir" not in new["theme"]
    assert bundled.pop("docs_dir") == "templates/static"
    assert bundled["theme"].pop("custom_dir") == "templates/overrides"
    del new["docs_dir"]
    assert new == bundled


def test_templates_override_the_defaults_file_by_file(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """A site keeps only what it changes: a partial, the 404 page, a stylesheet."""
    site = tmp_path / "demo"
    assert cli("new", "site", str(site), cwd=tmp_path).code == 0
    templates = site / "templates"
    fact = (DEFAULT_TEMPLATES / "partials" / "fact.md.j2").read_text(encoding="utf-8")
    assert fact.count('<article class="fs-fact') == 1
    ours = fact.replace('<article class="fs-fact', '<article class="our-fact fs-fact')
    write(templates / "partials" / "fact.md.j2", ours)
    default_404 = (DEFAULT_TEMPLATES / "overrides" / "404.html").read_text(encoding="utf-8")
    assert "</h1>" in default_404
    write(templates / "overrides" / "404.html", default_404.replace("</h1>", " OUR-404</h1>", 1))
    write(templates / "static" / "assets" / "figures.css", ".our-figures { color: red; }\n")

    built = cli("build", cwd=site)
    assert built.code == 0, built.err
    out = site / "site"
    page = (out / f"sheets/{EXAMPLE_SHEET}/index.html").read_text(encoding="utf-8")
    assert page.count('<article class="our-fact fs-fact') == 2  # the partial, once per fact
    assert "How to read this sheet" in text_of(page)  # the other templates: the defaults
    assert "OUR-404" in (out / "404.html").read_text(encoding="utf-8")
    assert (out / "assets" / "figures.css").read_text(encoding="utf-8") == (
        ".our-figures { color: red; }\n"
    )
    assert (out / "assets" / "factsheet.css").read_bytes() == (
        DEFAULT_TEMPLATES / "static" / "assets" / "factsheet.css"
    ).read_bytes()
    # the site's templates/ only: the package's defaults are untouched
    assert "our-fact" not in (DEFAULT_TEMPLATES / "partials" / "fact.md.j2").read_text("utf-8")

    # and without them, the defaults again
    shutil.rmtree(templates)
    assert cli("build", cwd=site).code == 0
    page = (out / f"sheets/{EXAMPLE_SHEET}/index.html").read_text(encoding="utf-8")
    assert "our-fact" not in page
    assert "OUR-404" not in (out / "404.html").read_text(encoding="utf-8")


def test_a_broken_override_is_a_located_problem(cli: Callable[..., Run], tmp_path: Path) -> None:
    site = tmp_path / "demo"
    assert cli("new", "site", str(site), cwd=tmp_path).code == 0
    write(site / "templates" / "partials" / "fact.md.j2", "{% if %}\n")
    checked = cli("build", cwd=site)
    assert checked.code == 1
    assert "templates/partials/fact.md.j2:1:1: error: template error:" in checked.err
    assert "Traceback" not in checked.err

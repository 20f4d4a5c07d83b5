"""The command line: documented commands, exit codes, and no tracebacks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import __version__
from generator.cli import make_parser

from .conftest import Run, run_factsheet

COMMANDS = sorted(make_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_version(cli: Callable[..., Run]) -> None:
    run = cli("--version")
    assert run.code == 0
    assert run.out.strip() == f"factsheet {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(cli: Callable[..., Run], command: str) -> None:
    run = cli(command, "--help")
    assert run.code == 0
    assert f"usage: factsheet {command}" in run.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"factsheet {command}" in readme, f"README does not document `factsheet {command}`"


def test_every_plugin_option_is_in_the_readme() -> None:
    from generator.site.plugin import FactsheetConfig

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    from mkdocs.config.config_options import Deprecated

    schema = FactsheetConfig._schema
    options = [name for name, option in schema if not isinstance(option, Deprecated)]
    assert options, "the plugin declares no options"
    for name in options:
        assert f"      {name}: " in readme, f"README does not document the plugin option {name}"
    for name in (name for name, option in schema if isinstance(option, Deprecated)):
        assert f"(formerly `{name}`" in readme, f"README does not name the old option {name}"


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("frobnicate",),
        ("check", "--no-such-option"),
        ("build", "--site-dir"),
        ("serve", "--port", "eighty"),
    ],
)
def test_usage_errors_exit_2(cli: Callable[..., Run], args: tuple[str, ...]) -> None:
    run = cli(*args)
    assert run.code == 2
    assert "usage:" in run.err


def test_missing_project_is_a_usage_error(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("check", cwd=tmp_path)
    assert run.code == 2
    assert "mkdocs.yml" in run.err
    assert "Traceback" not in run.err


def test_check_as_a_subprocess(project: Path) -> None:
    run = run_factsheet("check", cwd=project)
    assert run.code == 0, run.err
    assert run.out.startswith("ok: 23 facts")
    (project / "content/sources/reuters-2023-self-media.yaml").write_text("id: [", "utf-8")
    run = run_factsheet("check", cwd=project)
    assert run.code == 1
    assert run.err.startswith("content/sources/reuters-2023-self-media.yaml:")
    assert "Traceback" not in run.err

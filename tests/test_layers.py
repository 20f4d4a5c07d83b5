"""The layers of ARCHITECTURE.md hold: import-linter's contracts (pyproject.toml) pass.

Each stage imports only the stages below it, there is no import cycle between them,
speed is imported only where the pipeline is put together, and the model, the views,
the pages and the downloads load nothing of MkDocs or YAML.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", LINT, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept() -> None:
    run = _lint()
    assert run.returncode == 0, "lint-imports found broken contracts:\n" + run.stdout + run.stderr
    assert "Contracts: 4 kept, 0 broken." in run.stdout, run.stdout


def test_a_reversed_layer_is_reported(tmp_path: Path) -> None:
    """The linter reads this package: the layers turned upside down are broken."""
    config = tmp_path / "reversed.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_package = "generator"\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "reversed"\n'
        'type = "layers"\n'
        'layers = ["generator.content", "generator.render"]\n'
    )
    run = _lint("--config", str(config))
    assert run.returncode != 0, run.stdout
    assert "generator.content is not allowed to import generator.render" not in run.stdout
    assert "generator.render is not allowed to import generator.content" in run.stdout


def test_the_pages_and_the_model_load_no_mkdocs_or_yaml() -> None:
    """At run time too: importing them leaves MkDocs and PyYAML unloaded."""
    code = (
        "import sys\n"
        "import generator.render.pages, generator.content.model, generator.downloads.exports\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'yaml', 'material'}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]", run.stdout

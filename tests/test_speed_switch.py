"""With the speed layer off (``FACTSHEET_SPEED=off`` or ``speed: false``) the site is the same.

Off, a build runs the generator in its own process on one core, keeps pages and
downloads in memory and deletes its leftovers before returning; on, it forks workers,
writes to scratch files and deletes in the background. Every file must come out equal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .test_atomic_build import snapshot
from .test_parallel import synthetic

__all__ = ["synthetic"]  # the module-scoped fixture, shared with test_parallel


def build(project: Path, out: Path, options: str = "", env: dict[str, str] | None = None) -> str:
    config = project / f"mkdocs-{out.name}.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("  - factsheet\n", "  - factsheet:\n" + options), "utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "-v",
            "-f",
            str(config),
            "--site-dir",
            str(out),
        ],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def test_the_site_is_the_same_with_the_speed_layer_off(synthetic: Path, tmp_path: Path) -> None:
    fast = build(synthetic, tmp_path / "fast", "      jobs: 2\n")
    assert "pages were rendered by worker processes" in fast
    off = build(synthetic, tmp_path / "off", "      jobs: 2\n", {"FACTSHEET_SPEED": "off"})
    assert "worker processes" not in off
    option = build(synthetic, tmp_path / "option", "      jobs: 2\n      speed: false\n")
    assert "worker processes" not in option
    site = snapshot(tmp_path / "fast")
    assert len(site) > 50
    assert snapshot(tmp_path / "off") == site
    assert snapshot(tmp_path / "option") == site
    # off, nothing is left for a background process to delete
    assert not [
        p.name
        for p in tmp_path.iterdir()
        if p.name.startswith((".off.", ".option.")) and not p.name.endswith(".lock")
    ]

"""With the speed layer off (``FACTSHEET_SPEED=off`` or ``speed: false``) the site is the same.

Off, a build runs the generator in its own process on one core, keeps pages and
downloads in memory and deletes its leftovers before returning; on, it forks workers,
writes to scratch files and deletes in the background. Every file must come out equal.
"""

from __future__ import annotations

from pathlib import Path

from .test_atomic_build import snapshot
from .test_parallel import build_with, synthetic

__all__ = ["synthetic"]  # the module-scoped fixture, shared with test_parallel


build = build_with


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

"""What the preview keeps between rebuilds: compiled theme templates, and a paused collector."""

from __future__ import annotations

import gc
from pathlib import Path

import jinja2

from generator.mkdocs_plugin import IdleCollector, MemoryBytecodeCache


def test_compiled_templates_are_reused_until_their_source_changes(tmp_path: Path) -> None:
    cache = MemoryBytecodeCache()
    page = tmp_path / "page.html"
    page.write_text("Hello {{ name }}", encoding="utf-8")

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache)
        return env.get_template("page.html").render(name="reader")

    assert render() == "Hello reader"
    assert len(cache.store) == 1
    assert render() == "Hello reader"  # a new environment, loaded from the cache
    page.write_text("Goodbye {{ name }}", encoding="utf-8")
    assert render() == "Goodbye reader"  # a changed source is compiled again


def test_the_collector_is_paused_while_building_and_runs_when_idle() -> None:
    was_enabled = gc.isenabled()
    collector = IdleCollector(delay=0.05)
    try:
        collector.build_started()
        assert not gc.isenabled()
        made: list[list[int]] = [[] for _ in range(1000)]  # what a rebuild leaves alive
        collector.build_ended()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(made)  # frozen, not scanned when collection resumes
        timer = collector.timer
        assert timer is not None
        timer.join(5)
        assert collector.timer is None  # it ran, and thawed what was frozen
        assert gc.get_freeze_count() == 0
        # a build that starts before the idle collection cancels it
        collector.build_ended()
        pending = collector.timer
        assert pending is not None
        collector.build_started()
        assert pending.finished.is_set()  # cancelled
        assert collector.timer is None
        collector.build_ended()
    finally:
        if collector.timer is not None:
            collector.timer.cancel()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()

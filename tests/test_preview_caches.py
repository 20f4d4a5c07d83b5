"""What the preview keeps between rebuilds (compiled theme templates, a paused collector),
and the sanitiser's check it runs once the browsers reload."""

from __future__ import annotations

import gc
from pathlib import Path

import jinja2

from generator.site.plugin import IdleCollector, MemoryBytecodeCache


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
    # long enough that the idle collection cannot run before the test reads its timer
    # (0.05 s lost that race on a busy machine)
    collector = IdleCollector(delay=0.5)
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


def test_after_reload_runs_one_job_at_a_time_and_can_be_waited_for() -> None:
    import time

    from generator.site.plugin import AfterReload

    done: list[str] = []
    after = AfterReload(delay=0.05)
    after.start(lambda: done.append("first"))
    assert done == []  # the rebuild returns (and the browsers reload) first
    time.sleep(0.3)
    assert done == ["first"]  # then it runs by itself
    after = AfterReload(delay=60)
    after.start(lambda: done.append("second"))
    after.start(lambda: done.append("third"))  # the next rebuild runs a pending job first
    assert done == ["first", "second"]
    after.wait()
    assert done == ["first", "second", "third"] and after.timer is None
    after.wait()  # nothing left to run
    assert done == ["first", "second", "third"]


def test_the_check_after_a_fast_rebuild_logs_unsafe_markup(tmp_path: Path) -> None:
    import logging

    from generator.site.plugin import _log_unsafe, log

    from .test_sanitize import page

    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets/index.html").write_text(page("<p>Hi<script>alert(1)</script></p>"))
    (tmp_path / "sheets/clean.html").write_text(page("<p>Fine</p>"))
    errors: list[str] = []

    class Collect(logging.Handler):  # on the plugin's logger: MkDocs may stop propagation
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    handler = Collect()
    log.addHandler(handler)
    disabled, log.disabled = log.disabled, False
    try:
        _log_unsafe(tmp_path, None, {"sheets/index.html", "sheets/clean.html"})
    finally:
        log.removeHandler(handler)
        log.disabled = disabled
    assert errors and all("unsafe markup on page sheets/index.html" in e for e in errors)
    assert any("removed the element <script>" in e for e in errors)

"""The installed MkDocs still has every private part generator/site/mkdocs_internals.py uses.

If this fails after an upgrade of MkDocs, the preview's fast path, the parallel page
rendering, the hard-linked downloads or the native file events rely on something that
moved: read the reasons in that module before widening the dependency range.
"""

from __future__ import annotations

import importlib.metadata
import threading
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build

from generator.site import mkdocs_internals


def test_the_installed_mkdocs_has_everything_the_adapter_uses() -> None:
    lacking = mkdocs_internals.missing()
    assert not lacking, (
        f"MkDocs {importlib.metadata.version('mkdocs')} no longer has what "
        f"generator/site/mkdocs_internals.py relies on: {', '.join(lacking)}"
    )


def test_a_missing_private_function_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(mkdocs_build, "_build_page")
    assert mkdocs_internals.missing() == ["mkdocs.commands.build._build_page"]
    assert not mkdocs_internals.can_render_pages_again()


def test_asking_for_a_rebuild_wakes_the_server(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(
        builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path), polling_interval=1
    )
    try:
        assert mkdocs_internals.can_ask_for_rebuilds(server)
        woke = threading.Event()

        def wait() -> None:
            with server._rebuild_cond:
                if server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5):
                    woke.set()

        waiter = threading.Thread(target=wait)
        waiter.start()
        mkdocs_internals.ask_for_rebuild(server)
        waiter.join(timeout=10)
        assert woke.is_set()
    finally:
        server.server_close()

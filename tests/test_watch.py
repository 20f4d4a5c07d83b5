"""The preview's watcher: a save asks for one rebuild, whichever watcher sees it first."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from watchdog.events import (
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedNoWriteEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from generator.site.mkdocs_internals import can_ask_for_rebuilds
from generator.site.watch import NATIVE_BUILD_DELAY, ChangeHandler, watch


class FakeServer:
    """What the handler uses of mkdocs.livereload.LiveReloadServer."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.requests = 0
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def take(self) -> int:
        with self._rebuild_cond:
            if self._want_rebuild:
                self.requests += 1
                self._want_rebuild = False
        return self.requests


def test_the_real_server_can_be_asked_for_rebuilds() -> None:
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    assert can_ask_for_rebuilds(server)


def test_one_request_per_change_whichever_watcher_reports_it(tmp_path: Path) -> None:
    server = FakeServer()
    handler = ChangeHandler(server)  # type: ignore[arg-type]
    path = tmp_path / "facts.yaml"
    path.write_text("- id: one\n")
    handler.dispatch(FileModifiedEvent(str(path)))  # the native watcher
    assert server.take() == 1
    handler.dispatch(FileModifiedEvent(str(path)))  # the polling one, later: same stat
    assert server.take() == 1
    time.sleep(0.01)
    path.write_text("- id: two, longer\n")
    handler.dispatch(FileModifiedEvent(str(path)))
    assert server.take() == 2


def test_reading_a_file_is_not_a_change(tmp_path: Path) -> None:
    server = FakeServer()
    handler = ChangeHandler(server)  # type: ignore[arg-type]
    path = tmp_path / "facts.yaml"
    path.write_text("x")
    handler.dispatch(FileOpenedEvent(str(path)))
    handler.dispatch(FileClosedNoWriteEvent(str(path)))
    assert server.take() == 0


def test_a_save_through_a_temporary_file_and_a_rename(tmp_path: Path) -> None:
    server = FakeServer()
    handler = ChangeHandler(server)  # type: ignore[arg-type]
    temp, path = tmp_path / ".facts.yaml.swp", tmp_path / "facts.yaml"
    temp.write_text("- id: one\n")
    os.replace(temp, path)
    handler.dispatch(FileMovedEvent(str(temp), str(path)))
    assert server.take() == 1


def test_a_sheet_directory_moved_away_is_a_change(tmp_path: Path) -> None:
    server = FakeServer()
    handler = ChangeHandler(server)  # type: ignore[arg-type]
    handler.dispatch(DirModifiedEvent(str(tmp_path)))  # an entry changed: its file says so
    assert server.take() == 0
    handler.dispatch(DirMovedEvent(str(tmp_path / "sheet"), "/elsewhere/sheet"))
    assert server.take() == 1


def test_native_events_reach_the_server(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    observer = watch(server, [tmp_path, tmp_path / "missing"])
    assert observer is not None
    assert len(server.observer.emitters) == 1  # MkDocs' polling, until native events arrive
    assert server.build_delay == NATIVE_BUILD_DELAY < 0.1
    try:
        time.sleep(0.2)
        (tmp_path / "facts.yaml").write_text("- id: one\n")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5)
        deadline = time.monotonic() + 5
        while server.observer.emitters and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not server.observer.emitters  # native events work here: polling stopped
    finally:
        observer.stop()
        observer.join()


def test_without_the_server_internals_mkdocs_polling_watches_alone(tmp_path: Path) -> None:
    class Plain:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Plain()
    assert watch(server, [tmp_path]) is None  # type: ignore[arg-type]
    assert server.watched == [str(tmp_path)]

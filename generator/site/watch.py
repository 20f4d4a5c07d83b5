"""Watch the content and templates for the preview: native file events, polling behind them.

``mkdocs serve`` polls what it watches every half second, so a save waits a quarter of a
second on average (up to half a second) before the rebuild starts. Here the plugin adds
the operating system's file events (inotify, FSEvents, ReadDirectoryChangesW, through
watchdog) for the content and templates directories, which report a save within
milliseconds, and keeps MkDocs' polling of them too: some file systems (network shares,
folders shared into containers) deliver no native events. Both report to one
:class:`ChangeHandler`, which asks for a rebuild only for a change it has not reported
yet (a file whose ``stat`` differs from when it was last reported), so that a save
rebuilds the site once, not once per watcher. Once a native event has arrived, the
polling of these directories stops: scanning thousands of files every half second
takes the interpreter away from the rebuilds. With native events the server waits
:data:`NATIVE_BUILD_DELAY` for more changes before rebuilding, instead of 0.1 s.

Asking ``LiveReloadServer`` for a rebuild uses its private condition variable, through
:mod:`generator.site.mkdocs_internals`; without it, :func:`watch` falls back to
``server.watch``.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.site import mkdocs_internals

log = logging.getLogger("mkdocs.plugins.factsheet")

NATIVE_BUILD_DELAY = 0.05
"""How long the server waits for more changes before it rebuilds, with native events.

MkDocs waits 0.1 s after the last change it saw, sized for its polling; native events
arrive as the editor writes, and a save's events (a write, or a write and a rename)
come within milliseconds of each other."""

CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
"""Event types that can mean new content ("closed": closed after writing). Opening or
reading a file, which every build does, is not a change."""


def _stat(path: str) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


class ChangeHandler(FileSystemEventHandler):
    """Asks the server for a rebuild when a file under the watched directories changed."""

    def __init__(self, server: LiveReloadServer) -> None:
        self.server = server
        self.lock = threading.Lock()
        self.reported: dict[str, tuple[int, int, int, int] | None] = {}
        self.polling: list[ObservedWatch] = []
        """MkDocs' polling of the same directories, stopped once native events arrive."""
        self.changed: set[str] = set()
        """Files reported changed since the rebuild last took them (:meth:`take_changes`)."""
        self.unknown = False
        """Set when a change cannot be told as a list of files (a directory moved, say)."""

    def take_changes(self) -> set[Path] | None:
        """The files changed since the last call, for a rebuild about to start; None when
        that is not known (nothing reported, or a directory created, moved or deleted)."""
        with self.lock:
            changed, unknown = self.changed, self.unknown
            self.changed, self.unknown = set(), False
        if unknown or not changed:
            return None
        return {Path(p) for p in changed}

    def native(self, event: FileSystemEvent) -> None:
        """An event from the native watcher: it works here, so polling is not needed."""
        self.dispatch(event)
        if self.polling and event.event_type in CHANGES and not event.is_directory:
            polling, self.polling = self.polling, []
            for watched in polling:
                self.server.observer.unschedule(watched)
            log.debug("native file events arrive: stopped polling the content")

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            # A directory created, deleted or moved (a sheet's, say) changes the files
            # under it, whether or not an event arrives for each of them.
            if event.event_type in ("created", "deleted", "moved"):
                log.debug(str(event))
                with self.lock:
                    self.unknown = True
                self.rebuild()
            return
        if event.event_type not in CHANGES:
            return
        paths = [os.fsdecode(event.src_path)]
        dest = getattr(event, "dest_path", "")  # moves only, before watchdog 4
        if dest:
            paths.append(os.fsdecode(dest))
        fresh = False
        with self.lock:
            for path in paths:
                stat = _stat(path)
                if path not in self.reported or self.reported[path] != stat:
                    self.reported[path] = stat
                    self.changed.add(path)
                    fresh = True
        if fresh:
            log.debug(str(event))
            self.rebuild()

    def rebuild(self) -> None:
        mkdocs_internals.ask_for_rebuild(self.server)


def watch(
    server: LiveReloadServer, directories: list[Path], handler: ChangeHandler | None = None
) -> BaseObserver | None:
    """Watch ``directories`` natively and by MkDocs' polling, reporting to ``handler`` (a
    new one by default); returns the native observer.

    Returns None, having left the directories to ``server.watch``, when the server cannot
    be asked for rebuilds (``handler`` then hears of nothing); when native events are not
    available here, MkDocs' polling reports to ``handler`` alone.
    """
    directories = [d for d in directories if d.is_dir()]
    if not mkdocs_internals.can_ask_for_rebuilds(server):
        for directory in directories:
            server.watch(str(directory))
        return None
    handler = handler or ChangeHandler(server)
    for directory in directories:  # MkDocs' own polling, into the same handler
        handler.polling.append(server.observer.schedule(handler, str(directory), recursive=True))
    native = FileSystemEventHandler()
    native.dispatch = handler.native  # type: ignore[method-assign]
    observer: BaseObserver = Observer()
    try:
        for directory in directories:
            observer.schedule(native, str(directory), recursive=True)
        observer.daemon = True
        observer.start()
    except OSError as exc:  # e.g. no inotify watches left: polling alone still works
        log.info(f"native file events unavailable ({exc}); polling for changes")
        return None
    server.build_delay = min(server.build_delay, NATIVE_BUILD_DELAY)
    return observer

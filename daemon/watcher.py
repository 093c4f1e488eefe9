"""Filesystem events into the daemon's queue: the documents folder (recursive) and the data
dir itself (the store's WAL file and the token file), inotify first, polling as a fallback."""

from __future__ import annotations

import errno
import logging
import queue
import time
from pathlib import Path
from typing import Any

from watchdog.events import (
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver
from watchdog.observers.inotify import InotifyObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger(__name__)

# ENOSPC: fs.inotify.max_user_watches reached; EMFILE: max_user_instances reached.
_INOTIFY_LIMITS = (errno.ENOSPC, errno.EMFILE)

Item = tuple[str, Any]


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path


class _Handler(FileSystemEventHandler):
    def __init__(self, events: queue.SimpleQueue[Item]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Never let an exception escape into watchdog's thread: it would stop the observer.
        try:
            if event.event_type not in ("opened", "closed_no_write"):
                self._handle(event)
        except Exception:
            log.exception("watch event handling failed")

    def _handle(self, event: FileSystemEvent) -> None:
        raise NotImplementedError


class DocumentsHandler(_Handler):
    """Hints only: the intake re-checks each path once it has settled."""

    def _handle(self, event: FileSystemEvent) -> None:
        # When it happened, so the settle window counts from the event and not from
        # whenever the main loop got to it.
        at = time.monotonic()
        # (path, deleted, when, complete): a close after writing or a move in says the
        # file is likely whole, so its copy may start before it settles.
        if event.event_type == "moved":
            # One side is empty when the other is outside the folder (full events).
            if source := _text(event.src_path):
                self.events.put(("fs", (Path(source), True, at, False)))
            if dest := _text(event.dest_path):
                self.events.put(("fs", (Path(dest), False, at, True)))
        elif event.event_type == "deleted":
            self.events.put(("fs", (Path(_text(event.src_path)), True, at, False)))
        else:
            closed = event.event_type == "closed"
            self.events.put(("fs", (Path(_text(event.src_path)), False, at, closed)))


class HomeHandler(_Handler):
    """Commits of the other process (the WAL file changes) and a new token file."""

    def __init__(self, events: queue.SimpleQueue[Item], db_name: str, token_name: str) -> None:
        super().__init__(events)
        self.wal_name = db_name + "-wal"
        self.token_name = token_name

    def _handle(self, event: FileSystemEvent) -> None:
        names = {Path(_text(event.src_path)).name}
        if event.event_type == "moved":
            names.add(Path(_text(event.dest_path)).name)
        if self.wal_name in names and event.event_type in ("modified", "created"):
            self.events.put(("store", None))
        if self.token_name in names:
            self.events.put(("token", None))


def start_observer(
    documents: Path,
    home: Path,
    events: queue.SimpleQueue[Item],
    *,
    db_name: str,
    token_name: str,
    force_polling: bool,
    polling_seconds: float,
) -> tuple[BaseObserver, bool]:
    """A started observer and whether it polls."""

    def build(observer: BaseObserver) -> BaseObserver:
        observer.schedule(DocumentsHandler(events), str(documents), recursive=True)
        observer.schedule(HomeHandler(events, db_name, token_name), str(home), recursive=False)
        observer.start()
        return observer

    if not force_polling:
        try:
            # Full events: a file moved in from outside the folder comes as a move, which
            # says it is complete, not as a creation, which says nothing.
            return build(InotifyObserver(generate_full_events=True)), False
        except OSError as error:
            if error.errno not in _INOTIFY_LIMITS:
                raise
            log.warning(
                "inotify limit reached (%s): falling back to polling every %.0f s; raise "
                "fs.inotify.max_user_watches to get events again",
                error,
                polling_seconds,
            )
    return build(PollingObserver(timeout=polling_seconds)), True

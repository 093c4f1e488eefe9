"""The daemon's event hub: what happened, for `subscribe` clients and the status answer."""

from __future__ import annotations

import contextlib
import queue
import threading
from typing import Any

from frmr.daemon.protocol import DaemonEvent, EventKind
from frmr.model.rules.clock import utcnow

SUBSCRIBER_QUEUE = 1000
# An error published with a "source" is over once that source says so with this event (and
# "ok" not false): the status then stops showing it.
RECOVERED_BY = {"disk": "disk_ok", "sync": "sync_finished"}


class EventHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._publishing = threading.Lock()
        self._subscribers: list[queue.Queue[DaemonEvent | None]] = []
        self.last_error: str | None = None
        self._error_source: str | None = None

    def publish(self, event: str, fields: dict[str, Any]) -> None:
        # The intake, packer, reader and syncer publish from their own threads. Stamped and
        # queued as one step, so every subscriber gets the events in the order of their
        # times: stamped apart, one thread's event could overtake another's stamped before
        # it, and F6 showed two events of the same second the wrong way round.
        with self._publishing:
            self._publish(event, fields)

    def _publish(self, event: str, fields: dict[str, Any]) -> None:
        message = DaemonEvent.build(event=EventKind(event), at=utcnow(), **fields)
        if message.event is EventKind.ERROR:
            self.last_error = message.message
            self._error_source = message.source
        elif (
            self._error_source is not None
            and RECOVERED_BY.get(self._error_source) == event
            and message.ok is not False
        ):
            self.last_error = self._error_source = None
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber.put_nowait(message)
            except queue.Full:
                # A reader that stopped reading must not hold the daemon up: drop it.
                self.unsubscribe(subscriber)

    def subscribe(self) -> queue.Queue[DaemonEvent | None]:
        subscriber: queue.Queue[DaemonEvent | None] = queue.Queue(SUBSCRIBER_QUEUE)
        with self._lock:
            self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: queue.Queue[DaemonEvent | None]) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def is_subscribed(self, subscriber: queue.Queue[DaemonEvent | None]) -> bool:
        with self._lock:
            return subscriber in self._subscribers

    def close(self) -> None:
        with self._lock:
            subscribers, self._subscribers = self._subscribers, []
        for subscriber in subscribers:
            with contextlib.suppress(queue.Full):
                subscriber.put_nowait(None)

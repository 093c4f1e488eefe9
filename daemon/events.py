"""The daemon's event hub: what happened, for `subscribe` clients and the status answer."""

from __future__ import annotations

import contextlib
import queue
import threading
from typing import Any

from frmr.model.clock import utcnow

SUBSCRIBER_QUEUE = 1000
# An error published with a "source" is over once that source says so with this event (and
# "ok" not false): the status then stops showing it.
RECOVERED_BY = {"disk": "disk_ok", "sync": "sync_finished"}


class EventHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[queue.Queue[dict[str, Any] | None]] = []
        self.last_error: str | None = None
        self._error_source: str | None = None

    def publish(self, event: str, fields: dict[str, Any]) -> None:
        message = {"event": event, "at": utcnow().isoformat(), **fields}
        if event == "error":
            self.last_error = str(fields.get("message") or "")
            self._error_source = fields.get("source")
        elif (
            self._error_source is not None
            and RECOVERED_BY.get(self._error_source) == event
            and fields.get("ok", True)
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

    def subscribe(self) -> queue.Queue[dict[str, Any] | None]:
        subscriber: queue.Queue[dict[str, Any] | None] = queue.Queue(SUBSCRIBER_QUEUE)
        with self._lock:
            self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: queue.Queue[dict[str, Any] | None]) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def is_subscribed(self, subscriber: queue.Queue[dict[str, Any] | None]) -> bool:
        with self._lock:
            return subscriber in self._subscribers

    def close(self) -> None:
        with self._lock:
            subscribers, self._subscribers = self._subscribers, []
        for subscriber in subscribers:
            with contextlib.suppress(queue.Full):
                subscriber.put_nowait(None)

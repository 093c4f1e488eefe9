"""One worker thread for a slow job the intake must not wait behind (packing, reading).

Work is queued to a daemon thread: a page under way must not hold the process at exit.
`stop()` asks the job to end at its next page (each job checks `stopping` from its progress
callback); `status()` is the progress the job last showed, for the control socket.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], None]


class Worker:
    """A subclass puts items on `work` and does one item's work in `_run`; `failure` is what
    its log says, with the item, when `_run` raises."""

    failure = "work on %s failed"

    def __init__(self, name: str) -> None:
        self.work: queue.Queue[str | None] = queue.Queue()
        self.current: str | None = None
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._progress: dict[str, Any] | None = None
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.thread.start()

    def _run(self, item: str) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        while (item := self.work.get()) is not None:
            self.current = item
            try:
                self._run(item)
            except Exception:
                log.exception(self.failure, item)
            finally:
                self.current = None
                self.work.task_done()
        self.work.task_done()

    def drain(self) -> None:
        """Wait until everything submitted so far is done (tests and benchmarks)."""
        self.work.join()

    def stop(self) -> None:
        """Ask the job under way to stop at its next page, without waiting for it."""
        self.stopping.set()

    def close(self, wait: float | None = None) -> bool:
        """Stop, and wait for the job under way up to `wait` seconds (None: until it ends);
        whether the thread has ended. Queued items are left: each job skips its work once
        stopping, so what was not done stays queued in the store for the next start."""
        self.stop()
        self.work.put(None)
        self.thread.join(wait)
        return not self.thread.is_alive()

    def status(self) -> dict[str, Any] | None:
        """The job under way as it last showed itself; None when nothing is."""
        with self.lock:
            return dict(self._progress) if self._progress is not None else None

    def _show(self, progress: dict[str, Any] | None) -> None:
        with self.lock:
            self._progress = progress

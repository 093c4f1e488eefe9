"""Which hinted paths have been quiet for the settle window, earliest deadline first.

A path is due once nothing has happened to it for `window` seconds: no event and no change
of size or mtime. Each path has one deadline, kept in a heap, so the daemon sleeps exactly
until the earliest one instead of sweeping on a fixed interval. Events carry the time they
were seen by the watcher thread, so a burst that queues behind an import is not charged a
second window for the time it waited in the queue.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Seen:
    size: int
    mtime_ns: int
    changed_at: float

    def same(self, size: int, mtime_ns: int) -> bool:
        return (self.size, self.mtime_ns) == (size, mtime_ns)


class SettleQueue:
    def __init__(self, window: float) -> None:
        self.window = window
        self._seen: dict[Path, Seen] = {}
        # (deadline, tie-breaker, path); an entry whose deadline no longer matches the path's
        # current one is stale and skipped when it reaches the top.
        self._heap: list[tuple[float, int, Path]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, path: Path) -> bool:
        return path in self._seen

    def note(self, path: Path, size: int, mtime_ns: int, at: float, *, activity: bool) -> None:
        """`path` has this size and mtime as of `at`. `activity`: an event says something
        happened to it at `at` (a write, a close, a rename) even if the stat looks the same."""
        seen = self._seen.get(path)
        if seen is None:
            seen = self._seen[path] = Seen(size, mtime_ns, at)
        else:
            changed = not seen.same(size, mtime_ns)
            seen.size, seen.mtime_ns = size, mtime_ns
            if not (changed or activity) or at <= seen.changed_at:
                return
            seen.changed_at = at
        heapq.heappush(self._heap, (seen.changed_at + self.window, next(self._order), path))

    def waiting_in(self, folder: Path) -> bool:
        """Whether any path of `folder` is waiting to settle."""
        return any(path.parent == folder for path in self._seen)

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def _top(self) -> tuple[float, Path] | None:
        while self._heap:
            deadline, _, path = self._heap[0]
            seen = self._seen.get(path)
            if seen is not None and seen.changed_at + self.window == deadline:
                return deadline, path
            heapq.heappop(self._heap)  # stale: forgotten, or pushed back by a later change
        return None

    def next_deadline(self) -> float | None:
        top = self._top()
        return top[0] if top else None

    def pop_due(self, now: float) -> Iterator[tuple[Path, Seen]]:
        """Paths quiet for the window as of `now`, earliest first; each leaves the queue as it
        is yielded (stop iterating to leave the rest for later)."""
        while (top := self._top()) is not None and top[0] <= now:
            heapq.heappop(self._heap)
            yield top[1], self._seen.pop(top[1])

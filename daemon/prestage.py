"""Copying a file into the blob folder while it settles, not after.

A close after writing, or a move into the folder, says a file is likely complete, so its
copy (read once, hashed, written to a temp name, fsynced) starts at once on the intake's
workers. When the settle deadline comes the batch finds the durable copy made and only
publishes and records it. The settle window still decides *whether* a file is taken; the
early copy only decides how much work is left when it is.

A copy counts only for the file exactly as it was copied: the stat it started from (size,
mtime, inode, ctime) must still hold at the deadline, and no event may have touched the
file since (a write within the same clock tick leaves mtime alone, an event does not).
Otherwise the copy is thrown away and the batch copies the file afresh. Temp copies of a
killed daemon are swept when the store is next opened (`model.store.blobs.sweep_incoming`).
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

from frmr.model.rules.filetypes import FileKind, Wholeness, sniff, wholeness
from frmr.model.store.blobs import BlobStore, Staged

# What early copies may hold at once, queued or done; beyond it a file is copied when it
# settles, as without early copies. About a settle window's worth of a fast local burst.
EARLY_FILES = 256
EARLY_BYTES = 256 * 1024 * 1024

StatKey = tuple[int, int, int, int]


@dataclass(frozen=True)
class Copied:
    """A staged copy and what its own bytes say: the kind its head sniffs as (None: not a
    kind the product takes) and, for a known kind, whether it is whole."""

    staged: Staged
    kind: FileKind | None
    whole: Wholeness

    def discard(self) -> None:
        self.staged.discard()


def copy_and_check(blobs: BlobStore, path: Path) -> Copied:
    """Stage `path` and judge the copy, not the source: what is attached is what was judged,
    however the source changes meanwhile. Runs on an intake worker, beside other copies."""
    staged = blobs.stage(path)
    try:
        kind = sniff(staged.head)
        whole = wholeness(kind, staged.temp) if kind is not None else Wholeness.WHOLE
    except BaseException:
        staged.discard()
        raise
    return Copied(staged, kind, whole)


def stat_key(st: os.stat_result) -> StatKey:
    """What must not change between the stat a copy was judged by and the end of the copy:
    the inode catches a file replaced by a rename, ctime an in-place rewrite that put mtime
    back (rsync --inplace -t)."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


@dataclass(frozen=True)
class _Early:
    key: StatKey
    copy: Future[Copied]


class PreStager:
    def __init__(
        self,
        blobs: BlobStore,
        pool: Executor,
        *,
        max_files: int = EARLY_FILES,
        max_bytes: int = EARLY_BYTES,
    ) -> None:
        self.blobs = blobs
        self.pool = pool
        self.max_files = max_files
        self.max_bytes = max_bytes
        self._early: dict[Path, _Early] = {}
        self._bytes = 0

    def start(self, path: Path, st: os.stat_result) -> None:
        """Copy `path`, which `st` describes, unless the caps are reached; an earlier copy of
        the same path is thrown away first."""
        self.drop(path)
        if len(self._early) >= self.max_files or self._bytes + st.st_size > self.max_bytes:
            return
        self._early[path] = _Early(stat_key(st), self.pool.submit(copy_and_check, self.blobs, path))
        self._bytes += st.st_size

    def claim(self, path: Path, st: os.stat_result) -> Future[Copied] | None:
        """Hand the copy of `path` over to a batch if it was started from exactly `st`; a
        copy of anything else is thrown away and None returned."""
        early = self._early.get(path)
        if early is None or early.key != stat_key(st):
            self.drop(path)
            return None
        del self._early[path]
        self._bytes -= early.key[0]
        return early.copy

    def drop(self, path: Path) -> None:
        """Throw away the copy of `path`, if any: cancelled if still queued, its temp removed
        once it is done otherwise."""
        early = self._early.pop(path, None)
        if early is None:
            return
        self._bytes -= early.key[0]
        if not early.copy.cancel():
            early.copy.add_done_callback(_discard)

    def close(self) -> None:
        for path in list(self._early):
            self.drop(path)


def _discard(copy: Future[Copied]) -> None:
    if not copy.cancelled() and copy.exception() is None:
        copy.result().discard()

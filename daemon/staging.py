"""Copying a batch of dropped files into the blob folder: hashed while copied, durable first.

Each file is read once: the bytes read are hashed and written to a temp file in the blob
folder, which is fsynced. Files are staged in parallel (the copy, the hash and the fsync
all release the GIL). Only after the caller has decided which to keep are they renamed to
their content address, and then each blob folder is fsynced once for the whole batch,
not once per file. Only then may the store commit rows that name them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from model.blobs import BlobStore

CHUNK = 1024 * 1024
TEMP_PREFIX = ".incoming-"
# A temp file this old is a leftover of a killed process, not an import in progress.
STALE_TEMP_SECONDS = 3600.0


@dataclass(frozen=True)
class Staged:
    """A copy of a source file in the blob folder under a temp name, already fsynced."""

    source: Path
    temp: Path
    sha256: str
    size: int
    head: bytes

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)


def stage(blobs: BlobStore, source: Path) -> Staged:
    """Copy `source` (only read, never changed) to a temp file, hashing what was copied."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, name = tempfile.mkstemp(dir=blobs.root, prefix=TEMP_PREFIX)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb", buffering=0) as out, open(source, "rb", buffering=0) as src:
            buffer = bytearray(CHUNK)
            view = memoryview(buffer)
            while n := src.readinto(buffer):
                chunk = view[:n]
                if not head:
                    head = bytes(chunk[:64])
                digest.update(chunk)
                out.write(chunk)
                size += n
            os.fsync(out.fileno())
        return Staged(source, temp, digest.hexdigest(), size, head)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stage_all(
    blobs: BlobStore, sources: Iterable[Path], pool: Executor
) -> list[Staged | BaseException]:
    """Stage every source in parallel; a failure is returned in its place, not raised."""
    blobs.root.mkdir(parents=True, exist_ok=True)
    futures = [pool.submit(stage, blobs, source) for source in sources]
    results: list[Staged | BaseException] = []
    for future in futures:
        error = future.exception()
        results.append(error if error is not None else future.result())
    return results


def publish(blobs: BlobStore, staged: Iterable[Staged]) -> None:
    """Rename each staged copy to its content address, then fsync each touched folder once."""
    touched: set[Path] = set()
    for item in staged:
        target = blobs.path_for(item.sha256)
        if target.exists():
            item.discard()  # the same bytes are stored already
            continue
        if not target.parent.is_dir():
            target.parent.mkdir(exist_ok=True)
            touched.add(blobs.root)
        os.chmod(item.temp, 0o600)
        os.replace(item.temp, target)
        touched.add(target.parent)
    for folder in sorted(touched, key=lambda p: len(p.parts), reverse=True):
        fsync_dir(folder)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(blobs: BlobStore, now: float | None = None) -> int:
    """Delete temp copies left by a killed import; returns how many."""
    if not blobs.root.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - STALE_TEMP_SECONDS
    removed = 0
    for entry in os.scandir(blobs.root):
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
            try:
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed

"""Content-addressed blob folder beside the database: files named by their sha256."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024
INCOMING_PREFIX = ".incoming-"
# A copy older than this is a leftover of a killed process, not one still being written.
STALE_INCOMING_SECONDS = 3600.0


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    head: bytes


def hash_file(path: Path) -> tuple[str, int, bytes]:
    """sha256, size and the first bytes of a file, in one read."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            if not head:
                head = chunk[:64]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put_file(self, source: Path) -> StoredBlob:
        """Copy `source` in (temp, fsync, rename); the source is only read, never touched.

        The digest is computed from the bytes actually copied, so a file that changes while
        being read is stored under the hash of what was stored.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=INCOMING_PREFIX)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                while chunk := src.read(CHUNK):
                    if not head:
                        head = chunk[:64]
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            if target.exists():
                tmp.unlink()
            else:
                target.parent.mkdir(exist_ok=True)
                os.chmod(tmp, 0o600)
                os.replace(tmp, target)
                _fsync_dir(target.parent)
            return StoredBlob(sha, size, target, head)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def sweep_incoming(self, now: float | None = None) -> int:
        """Remove temp copies a killed process left behind; returns how many went."""
        now = time.time() if now is None else now
        removed = 0
        for tmp in self.root.rglob(f"{INCOMING_PREFIX}*"):
            try:
                if now - tmp.stat().st_mtime > STALE_INCOMING_SECONDS:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def put_bytes(self, data: bytes) -> StoredBlob:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=INCOMING_PREFIX)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp_name, 0o600)
            os.replace(tmp_name, target)
            _fsync_dir(target.parent)
        return StoredBlob(sha, len(data), target, data[:64])


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

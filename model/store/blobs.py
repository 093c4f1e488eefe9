"""Content-addressed blob folder beside the database: files named by their sha256.

A file is read once: the bytes read are hashed and written to a temp file in the blob
folder, which is fsynced (`stage`). Only then is it renamed to its content address and the
folder fsynced (`publish`) — once per folder for a whole batch — and only after that may
the store commit rows that name it. The source file is only ever read.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from frmr.model.rules.private import make_private_dir

CHUNK = 1024 * 1024
HEAD_BYTES = 64
# A temp copy is named `.incoming-<pid of its writer>-<random>`, so a copy whose writer is
# gone is known to be a leftover at once, while another process's copy is left alone.
INCOMING_PREFIX = ".incoming-"
# A copy older than this is a leftover even if its pid is taken: pids are reused (a reboot).
STALE_INCOMING_SECONDS = 3600.0


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    head: bytes


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


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def stage(self, source: Path) -> Staged:
        """Copy `source` to a temp file here, hashing exactly the bytes written, then read the
        copy back and check it holds those bytes: a short write, a full disk or a failing
        disk never leaves a copy that could be published under a name it does not match."""
        make_private_dir(self.root)
        digest = hashlib.sha256()
        size = 0
        head = b""
        src = open_source(source)
        fd, name = tempfile.mkstemp(dir=self.root, prefix=f"{INCOMING_PREFIX}{os.getpid()}-")
        temp = Path(name)
        try:
            buffer = bytearray(CHUNK)
            view = memoryview(buffer)
            while n := os.readv(src, [buffer]):
                chunk = view[:n]
                if not head:
                    head = bytes(chunk[:HEAD_BYTES])
                write_all(fd, chunk)
                digest.update(chunk)
                size += n
            os.fsync(fd)
            sha256 = digest.hexdigest()
            if file_sha256(temp) != sha256:
                raise BlobMismatch(f"the copy of {source.name} does not read back as written")
            return Staged(source, temp, sha256, size, head)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        finally:
            os.close(src)
            os.close(fd)

    def publish(self, staged: Iterable[Staged], pool: Executor | None = None) -> list[StoredBlob]:
        """Rename each staged copy to its content address, then fsync each touched folder once,
        all at once on `pool` if given: each fsync waits for a flush of the disk's cache, and
        flushes asked for together are served together (in the intake benchmark, ~40 folders
        took ~55 ms one after another, ~12 ms at once)."""
        touched: set[Path] = set()
        stored = []
        for item in staged:
            target = self.path_for(item.sha256)
            if target.exists() and file_sha256(target) == item.sha256:
                item.discard()  # the same bytes are stored already
            else:
                # Absent, or a blob that does not match its name (an old short write, a bad
                # sector): the verified copy takes its place.
                if not target.parent.is_dir():
                    make_private_dir(target.parent)
                    touched.add(self.root)
                os.chmod(item.temp, 0o600)
                os.replace(item.temp, target)
                touched.add(target.parent)
            stored.append(StoredBlob(item.sha256, item.size, target, item.head))
        for _ in (pool.map if pool else map)(_fsync_dir, touched):
            pass
        return stored

    def put_file(self, source: Path) -> StoredBlob:
        """Copy one file in; a file that changes while read is stored as what was read."""
        (stored,) = self.publish([self.stage(source)])
        return stored

    def verify(self) -> tuple[int, list[Path]]:
        """Re-hash every blob: how many were read, and those whose content does not match
        their name (to be replaced by the next correct copy of the file)."""
        if not self.root.is_dir():
            return 0, []
        checked, bad = 0, []
        for path in sorted(self.root.glob("??/*")):
            if path.name.startswith(INCOMING_PREFIX) or not path.is_file():
                continue
            checked += 1
            if file_sha256(path) != path.name:
                bad.append(path)
        return checked, bad

    def sweep_incoming(self, now: float | None = None) -> int:
        """Remove temp copies a killed process left behind; returns how many went. Removing
        one its writer still wants is harmless: the rename fails, and nothing names it yet."""
        if not self.root.is_dir():
            return 0
        cutoff = (time.time() if now is None else now) - STALE_INCOMING_SECONDS
        removed = 0
        for entry in os.scandir(self.root):
            if entry.name.startswith(INCOMING_PREFIX) and entry.is_file(follow_symlinks=False):
                try:
                    stale = entry.stat(follow_symlinks=False).st_mtime < cutoff
                    if stale or _writer_gone(entry.name):
                        os.unlink(entry.path)
                        removed += 1
                except FileNotFoundError:
                    continue
        return removed


class NotRegularFile(OSError):
    """The path is a symlink, a FIFO, a device or a folder, seen on the open descriptor."""


class BlobMismatch(OSError):
    """What was read back is not what was written: the copy is not kept."""


def open_source(source: Path) -> int:
    """Open `source` for reading as a regular file, or raise NotRegularFile. O_NOFOLLOW: a
    symlink swapped in is not followed; O_NONBLOCK: a FIFO swapped in after it was looked
    at does not block the reader until a writer appears. The type is checked on the open
    descriptor, so no later swap can change what is read."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegularFile(errno.ELOOP, "a symbolic link", str(source)) from error
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(source))
        # Reads of a regular file never block; clear the flag so none can return EAGAIN.
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_all(fd: int, data: memoryview | bytes) -> None:
    """Write all of `data`: a short count is continued, and a write that makes no progress
    is a full disk (POSIX lets write() return less than asked without an error)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def file_sha256(path: Path) -> str:
    """The sha256 of what `path` holds now."""
    with path.open("rb", buffering=0) as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _writer_gone(name: str) -> bool:
    pid, dash, _ = name.removeprefix(INCOMING_PREFIX).partition("-")
    if not dash or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

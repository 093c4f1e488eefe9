"""Private by default: the folders and files frmr makes that hold personal data.

docs/architecture.md: the data dir is 0700; the database, the token, the logs, exports 0600.
Pure (os and pathlib only), so the registry's pure rules may use it too.
"""

from __future__ import annotations

import io
import os
from pathlib import Path


def make_private_dir(path: Path) -> None:
    """Create `path` and every missing folder above it 0700, so FRMR_HOME is private whichever
    command makes the first folder in it (a log folder, the token's, the store's). An existing
    folder keeps the mode its owner chose (`frmr doctor` reports it)."""
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by the other process (TUI and daemon start together)
        os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask


def create_private_file(path: Path) -> None:
    """`path` exists and is 0600, its folders 0700: made so before a byte is written to it,
    and an existing file left by an older version is narrowed too.

    An existing file is narrowed by its name, never opened: closing a descriptor of a file
    drops every POSIX lock the process holds on it, SQLite's too (sqlite.org/howtocorrupt.html,
    2.2). The registry's database came through here while a connection of the same process
    held it: a registry stopping then saw no other user, folded the WAL in and deleted it and
    the -shm, and that process, still mapping the deleted -shm, read the database as it was
    at the stop from then on."""
    make_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def open_private_append(path: Path, encoding: str | None = None) -> io.TextIOWrapper:
    """`path` opened for appending text, created 0600: what a log handler opens, so a log
    begun afresh by a rotation is as private as the first."""
    make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        return open(fd, "a", encoding=encoding)
    except BaseException:
        os.close(fd)
        raise

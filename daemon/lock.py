"""One daemon per data dir: an fcntl lock on `$FRMR_HOME/daemon.lock`, released by the kernel
when the process dies, so a SIGKILLed daemon never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from frmr.model.rules.errors import FrmrError
from frmr.model.store.locations import HomeLayout


class AlreadyRunning(FrmrError):
    code = "already_running"


class InstanceLock:
    def __init__(self, home: Path) -> None:
        self.path = HomeLayout(home).daemon_lock
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = holder_pid(self.path)
            raise AlreadyRunning(
                "Фоновая служба frmr уже запущена для этой папки данных"
                + (f" (процесс {pid})" if pid else ""),
                f"another daemon holds {self.path} (pid {pid})",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def holder_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def is_locked(home: Path) -> bool:
    """Whether a live daemon holds the lock (probing takes and drops it when free)."""
    path = HomeLayout(home).daemon_lock
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False

"""A real `frmr-daemon run` process for tests, and bounded waiting."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from frmr.daemon import control_client
from frmr.daemon.protocol import DaemonStatus
from frmr.model.store.settings import Settings

T = TypeVar("T")

# Small windows so the tests stay fast; production defaults are in model/store/settings.py.
FAST_ENV = {
    "FRMR_SETTLE_SECONDS": "0.2",
    "FRMR_RETRY_BUDGET_SECONDS": "1.5",
    "FRMR_RESUBMIT_BASE_SECONDS": "0.3",
    "FRMR_RESUBMIT_CAP_SECONDS": "1",
    "FRMR_BACKOFF_BASE_SECONDS": "0.2",
    "FRMR_BACKOFF_CAP_SECONDS": "1",
    "FRMR_PULL_SECONDS": "1",
}


def wait_for(condition: Callable[[], T], timeout: float = 20.0, step: float = 0.05) -> T:
    """Poll `condition` until truthy; the test fails with AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(step)


class DaemonProcess:
    def __init__(self, settings: Settings, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.env = {**os.environ, **FAST_ENV, "FRMR_HOME": str(settings.home), **(env or {})}
        if settings.registry_url:
            self.env["FRMR_REGISTRY_URL"] = settings.registry_url
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr = settings.home.parent / "daemon.stderr"

    def start(self, *, wait: bool = True) -> subprocess.Popen[bytes]:
        self.settings.home.mkdir(parents=True, exist_ok=True)
        with self.stderr.open("ab") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "frmr.daemon.cli", "run"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=self.env,
            )
        if wait:
            wait_for(lambda: self.status() is not None or self._exited(), timeout=30)
            assert not self._exited(), self.stderr.read_text()[-3000:]
        return self.process

    def _exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def status(self) -> DaemonStatus | None:
        return control_client.status(self.settings.control_socket)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def terminate(self, timeout: float = 5.0) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            # The daemon writes its threads' stacks to stderr when stopping takes too long.
            time.sleep(0.5)
            raise AssertionError(
                f"the daemon did not exit within {timeout} s of SIGTERM:\n"
                + self.stderr.read_text(errors="replace")[-6000:]
            ) from None

    def sync_now(self) -> bool:
        return control_client.sync_now(self.settings.control_socket)


def python() -> str:
    return sys.executable


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def a_daemon_status(**changes: object) -> DaemonStatus:
    """A daemon's `status` answer for tests that serve one themselves: running, nothing
    to do, with `changes` over it."""
    fields: dict[str, object] = {
        "pid": 4242,
        "version": "0",
        "registry_url": None,
        "registry_reachable": None,
        "logged_in": False,
        "login_required": False,
        "last_sync_at": None,
        "last_sync_ok": None,
        "counts_by_status": {},
        "queued": 0,
        "not_delivered": 0,
        "next_retry_at": None,
        "last_error": None,
        "disk_problem": None,
        "watched_folder": "/home/doctor/documents",
        "watching": "inotify",
        "pending_files": 0,
        "rejected_files": 0,
    }
    return DaemonStatus.build(**(fields | changes))


def _started_with_home(home: Path) -> list[int]:
    """Processes of this user whose environment names `home` as FRMR_HOME: the ones a test
    started there (a zombie's environment reads empty, so it is not counted)."""
    marker = f"FRMR_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def stop_launched_daemon(settings: Settings, home: Path, timeout: float = 10) -> bool:
    """Stop the daemon a TUI launched detached, once the TUI is gone. A daemon still starting
    does not yet hold the lock `launcher.stop` finds it by, and would outlive the test: so
    this stops until no process started with this FRMR_HOME is left."""
    from frmr.daemon.launcher import stop

    deadline = time.monotonic() + timeout
    while True:
        stopped = stop(settings, timeout=max(0.1, deadline - time.monotonic()))
        left = _started_with_home(home)
        if not left:
            return stopped
        if time.monotonic() > deadline:
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return False
        time.sleep(0.1)

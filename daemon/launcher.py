"""Starting and stopping a detached daemon (the TUI and `frmr-daemon start/stop` use it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from frmr.daemon import control_client
from frmr.daemon.lock import holder_pid, is_locked
from frmr.model.store.settings import Settings

START_TIMEOUT = 10.0


def is_running(settings: Settings) -> bool:
    return is_locked(settings.home)


def start_detached(settings: Settings, env_overrides: dict[str, str] | None = None) -> int:
    """Start `frmr-daemon run` in its own session, output to the log file; returns its pid
    once its control socket answers (or the pid of the one already running)."""
    if is_running(settings):
        pid = holder_pid(settings.layout.daemon_lock)
        return pid or 0
    env = {**os.environ, "FRMR_HOME": str(settings.home), **(env_overrides or {})}
    if settings.registry_url:
        env.setdefault("FRMR_REGISTRY_URL", settings.registry_url)
    process = subprocess.Popen(
        [sys.executable, "-m", "frmr.daemon.cli", "run", "--quiet"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
        close_fds=True,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"frmr-daemon exited with {process.returncode} at start")
        if control_client.status(settings.control_socket) is not None:
            return process.pid
        time.sleep(0.05)
    return process.pid


def stop(settings: Settings, timeout: float = 5.0) -> bool:
    """SIGTERM the running daemon and wait until it let go of its lock."""
    pid = holder_pid(settings.layout.daemon_lock)
    if not is_running(settings) or pid is None:
        return True
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(settings):
            return True
        time.sleep(0.05)
    return False

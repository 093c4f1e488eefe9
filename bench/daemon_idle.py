"""Idle cost of a running daemon: CPU clock ticks (utime + stime from /proc/<pid>/stat) and
RSS over a window with nothing to do, with inotify and with the polling fallback.

The daemon is logged in to a real `frmr-registry serve` on loopback, so its sync thread is
in the state a user leaves it in; the window starts after the first sync has finished. A
third run has no token file (after `frmr logout`): sync waits for a login.
Production timings (settle, pull, rescan, polling period) are used, not the tests' ones.

    .venv/bin/python bench/daemon_idle.py [SECONDS]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.model.store.account import open_account
from frmr.model.store.settings import Settings, load_settings
from frmr.sync.auth import login, save_token
from frmr.sync.client import RegistryClient
from frmr.sync.engine import SyncEngine
from frmr.sync.profile_push import adopt_remote_profile
from tests.support.daemon_process import FAST_ENV, DaemonProcess, wait_for
from tests.support.registry_process import registry_process

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def ticks_and_rss(pid: int) -> tuple[int, int]:
    """utime + stime in clock ticks, and the resident set in bytes."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    # Fields after the command: state is index 0, so utime (14th) and stime (15th) are 11, 12.
    ticks = int(fields[11]) + int(fields[12])
    rss_pages = int(fields[21])
    return ticks, rss_pages * os.sysconf("SC_PAGE_SIZE")


def prepare_home(base: Path, registry_url: str, login_name: str, password: str) -> Settings:
    os.environ.update(
        FRMR_HOME=str(base / "home"),
        FRMR_CONFIG=str(base / "config.toml"),
        FRMR_REGISTRY_URL=registry_url,
    )
    settings = load_settings()
    token = login(registry_url, login_name, password)
    save_token(settings.token_path, token)
    account = open_account(settings)
    with RegistryClient(registry_url, token=token.access_token) as client:
        adopt_remote_profile(SyncEngine(account.store, client).link)
    account.close()
    return settings


def measure(
    settings: Settings, seconds: float, *, polling: bool, logged_in: bool = True
) -> tuple[float, float, float]:
    # Production timings: the tests' small windows would make the daemon wake more often.
    env = {key: value for key, value in os.environ.items() if key not in FAST_ENV}
    daemon = DaemonProcess(settings)
    daemon.env = {**env, "FRMR_FORCE_POLLING": "1" if polling else "0"}
    daemon.start()
    assert daemon.process is not None
    try:
        if logged_in:
            wait_for(lambda: (s := daemon.status()) is not None and s["last_sync_ok"], timeout=60)
        else:
            wait_for(lambda: (s := daemon.status()) is not None and s["login_required"], timeout=60)
        time.sleep(2.0)  # let the first cycle's threads and connections wind down
        before, _ = ticks_and_rss(daemon.process.pid)
        time.sleep(seconds)
        after, rss = ticks_and_rss(daemon.process.pid)
        status = daemon.status()
        assert status is not None and status["watching"] == ("polling" if polling else "inotify")
    finally:
        daemon.terminate()
    ticks = after - before
    return ticks, ticks / (seconds / 60.0), rss / 1024 / 1024


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    base = Path(tempfile.mkdtemp(prefix="frmr-idle-"))
    try:
        with registry_process(base / "registry") as registry:
            login_name, password = registry.seed_demo()
            settings = prepare_home(base, registry.url, login_name, password)
            print(f"idle window {seconds:.0f} s, {TICKS_PER_SECOND} ticks/s")
            for polling in (False, True):
                ticks, per_minute, rss = measure(settings, seconds, polling=polling)
                mode = "polling" if polling else "inotify"
                print(f"{mode:8} {ticks:.0f} ticks ({per_minute:.1f}/min), RSS {rss:.1f} MB")
            # After `frmr logout`: no token file, sync waits for a login.
            settings.token_path.unlink()
            ticks, per_minute, rss = measure(settings, seconds, polling=False, logged_in=False)
            print(f"{'no login':8} {ticks:.0f} ticks ({per_minute:.1f}/min), RSS {rss:.1f} MB")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

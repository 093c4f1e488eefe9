"""The embedded default: with no registry configured, a sandbox registry on loopback, seeded
with the demo employee once, plus the daemon pointed at it. A still-running sandbox is reused.

`$FRMR_HOME/sandbox/registry.json` (0600) records {url, admin_token, pid, login, password}; the
daemon and `frmr` find the sandbox through it (sync.registry_url.resolve_registry_url).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from frmr.model.private_files import write_private
from frmr.model.settings import Settings
from frmr.model.store import make_private_dir

log = logging.getLogger("tui.sandbox")

START_TIMEOUT = 30.0
HEALTH_PATH = "/api/v1/health"
# The sandbox decides every application by itself this long after delivery, so a new user
# sees a review decision arrive without anyone running `frmr-registry review`.
SANDBOX_REVIEW_SECONDS = 20
# ...and its daemon pulls decisions this often (the production default is minutes).
SANDBOX_PULL_SECONDS = 5


def _registry_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "frmr.registry.cli", *args]


def _alive(info: dict[str, Any]) -> bool:
    url = info.get("url")
    if not isinstance(url, str):
        return False
    try:
        answer = httpx.get(url + HEALTH_PATH, timeout=2)
    except httpx.HTTPError:
        return False
    return answer.status_code == 200 and bool(answer.json().get("sandbox"))


def _write_private(path: Path, data: dict[str, Any]) -> None:
    write_private(path, json.dumps(data, ensure_ascii=False).encode())


def _seed(db: Path) -> tuple[str | None, str]:
    """Enter the demo employee; returns (login, password) as the registry printed them."""
    password = secrets.token_urlsafe(9)
    out = subprocess.run(
        _registry_command("seed-demo", "--db", str(db), "--password", password),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    login = None
    for line in out.splitlines():
        if line.startswith("Логин:"):
            login = line.split(":", 1)[1].strip()
    return login, password


def ensure_sandbox(settings: Settings) -> dict[str, Any]:
    folder, info_path = settings.layout.sandbox_dir, settings.layout.sandbox_info
    make_private_dir(folder)
    old: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        old = json.loads(info_path.read_text(encoding="utf-8"))
    if old and _alive(old):
        return old
    db = folder / "registry.db"
    login, password = old.get("login"), old.get("password")
    if not db.exists() or not password:
        login, password = _seed(db)
    port_file = folder / "port"
    port_file.unlink(missing_ok=True)
    admin_token = secrets.token_urlsafe(24)
    serve_args = ["--port", "0", "--port-file", str(port_file), "--db", str(db)]
    serve_args += ["--admin-token", admin_token, "--auto-review", str(SANDBOX_REVIEW_SECONDS)]
    with (folder / "registry.log").open("ab") as server_log:
        process = subprocess.Popen(
            _registry_command("serve", "--sandbox", *serve_args),
            stdout=server_log,
            stderr=subprocess.STDOUT,
            # Its own session: the sandbox outlives this TUI, so the next start reuses it.
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    info: dict[str, Any] = {"pid": process.pid, "admin_token": admin_token}
    info.update(login=login, password=password)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the sandbox registry exited; see sandbox/registry.log")
        if port_file.exists() and port_file.read_text().strip():
            info["url"] = f"http://127.0.0.1:{int(port_file.read_text())}"
            if _alive(info):
                _write_private(info_path, info)
                log.info("sandbox registry at %s (pid %s)", info["url"], process.pid)
                return info
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the sandbox registry did not start in time")


def daemon_env(settings: Settings) -> dict[str, str]:
    """What the daemon is started with beyond the TUI's own environment.

    A sandbox daemon is not pinned to the sandbox's URL: it reads `sandbox/registry.json` each
    cycle (sync.registry_url), so a sandbox restarted on another port is still found. It pulls
    often, so the sandbox's automatic decision shows within seconds; a pull interval the user
    set (FRMR_PULL_SECONDS or the TOML file) is kept.
    """
    if not settings.is_sandbox:
        return {}
    if "pull_seconds" in settings.model_fields_set or "FRMR_PULL_SECONDS" in os.environ:
        return {}
    return {"FRMR_PULL_SECONDS": str(SANDBOX_PULL_SECONDS)}


def start_daemon(settings: Settings) -> str:
    """Start the user's daemon unless it runs; the answer is a Russian sentence to show."""
    from frmr.daemon.launcher import is_running, start_detached

    if is_running(settings):
        return "Фоновая служба уже работает"
    try:
        pid = start_detached(settings, env_overrides=daemon_env(settings) or None)
    except RuntimeError as exc:
        log.error("starting the daemon failed: %s", exc)
        return f"Фоновая служба не запустилась: см. {settings.log_dir}"
    return f"Фоновая служба запущена (pid {pid})"

"""The embedded default: with no registry configured, a sandbox registry on loopback, seeded
with the demo employee once. A still-running sandbox is reused; one that died is started again
(`Sandbox.keep_up`, which the TUI calls as it runs) and its process reaped.

`$FRMR_HOME/sandbox/registry.json` (0600) records {url, admin_token, pid, login, password}; the
daemon and `frmr` find the sandbox through it (sync.registry_url.resolve_registry_url), and
`frmr sandbox start|stop|status|approve` manages it without anyone reading that file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from frmr.model.rules.private import make_private_dir
from frmr.model.store.private_files import write_private
from frmr.model.store.settings import Settings
from frmr.sync.registry_url import read_info

log = logging.getLogger("sync.sandbox")

ADMIN_TOKEN_ENV = "FRMR_REGISTRY_ADMIN_TOKEN"
START_TIMEOUT = 30.0
HEALTH_PATH = "/api/v1/health"
STOP_TIMEOUT = 10.0


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


def _seed(db: Path) -> tuple[str | None, str]:
    """Enter the demo employee; returns (login, password) as the registry printed them."""
    password = secrets.token_urlsafe(9)
    # On stdin: on the command line any user of the machine would read it in `ps`.
    out = subprocess.run(
        _registry_command("seed-demo", "--db", str(db), "--password-stdin"),
        input=password + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    login = None
    for line in out.splitlines():
        if line.startswith("Логин:"):
            login = line.split(":", 1)[1].strip()
    return login, password


def is_alive(settings: Settings) -> bool:
    info = read_info(settings)
    return bool(info) and _alive(info)


class Sandbox:
    """The sandbox registry of one FRMR_HOME, and the process this program started for it.

    The process runs in its own session so it outlives the program that started it (the next
    `frmr-tui` reuses it); while that program runs, it is its child: `keep_up` reaps it when it
    dies (else it stays a zombie until the program quits) and starts a new one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None

    def keep_up(self) -> tuple[dict[str, Any], bool]:
        """The running sandbox's info, and whether it had to be started now.

        One starter at a time per home: `frmr sandbox start` typed just after `frmr sandbox
        stop` raced the TUI's watch, and both started a server on the same database (one
        left running, unrecorded, with the TUI's settings)."""
        if self.process is not None and self.process.poll() is not None:
            log.warning("the sandbox registry exited with %s", self.process.returncode)
            self.process = None  # reaped by poll()
        folder = self.settings.layout.sandbox_dir
        make_private_dir(folder)
        with (folder / "start.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            info = read_info(self.settings)
            if info and _alive(info):
                return info, False
            return self._start(info), True

    def _start(self, old: dict[str, Any]) -> dict[str, Any]:
        settings = self.settings
        folder = settings.layout.sandbox_dir
        make_private_dir(folder)
        db = folder / "registry.db"
        login, password = old.get("login"), old.get("password")
        if not db.exists() or not password:
            login, password = _seed(db)
        port_file = folder / "port"
        port_file.unlink(missing_ok=True)
        admin_token = secrets.token_urlsafe(24)
        serve_args = ["--port", "0", "--port-file", str(port_file), "--db", str(db)]
        # The automatic decision (Settings.sandbox_auto_review_seconds): recorded in
        # registry.json, so the app can say it is on while it is.
        auto_review = settings.sandbox_auto_review_seconds
        if auto_review:
            serve_args += ["--auto-review", str(auto_review)]
        with (folder / "registry.log").open("ab") as server_log:
            process = subprocess.Popen(
                _registry_command("serve", "--sandbox", *serve_args),
                # In the environment, not the arguments: anyone on the machine can read those
                # in ps (what frmr-registry serve reads: registry.cli.ADMIN_TOKEN_ENV).
                env={**os.environ, ADMIN_TOKEN_ENV: admin_token},
                stdout=server_log,
                stderr=subprocess.STDOUT,
                # Its own session: the sandbox outlives this TUI, so the next start reuses it.
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        info: dict[str, Any] = {"pid": process.pid, "admin_token": admin_token}
        info.update(login=login, password=password, auto_review_seconds=auto_review or None)
        while time.monotonic() < deadline:
            if process.poll() is not None:  # reaped: poll() waited for it
                raise RuntimeError("the sandbox registry exited; see sandbox/registry.log")
            if port_file.exists() and port_file.read_text().strip():
                info["url"] = f"http://127.0.0.1:{int(port_file.read_text())}"
                if _alive(info):
                    write_private(
                        settings.layout.sandbox_info, json.dumps(info, ensure_ascii=False).encode()
                    )
                    log.info("sandbox registry at %s (pid %s)", info["url"], process.pid)
                    self.process = process
                    return info
            time.sleep(0.1)
        process.kill()
        process.wait()
        raise RuntimeError("the sandbox registry did not start in time")


def stop_sandbox(settings: Settings, timeout: float = STOP_TIMEOUT) -> int | None:
    """Stop the running sandbox (SIGTERM, then SIGKILL after `timeout`); its pid, or None when
    none was running."""
    info = read_info(settings)
    pid = info.get("pid")
    if not info or not isinstance(pid, int) or not _alive(info):
        return None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(info):
        time.sleep(0.1)
    if _alive(info):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pid


def auto_review_text(info: dict[str, Any]) -> str:
    """Who decides the sandbox's applications, in Russian, for the app and `frmr sandbox`."""
    seconds = info.get("auto_review_seconds")
    if seconds:
        return (
            f"Песочница сама решает по заявлению через {seconds:g} с после подачи "
            "(настройка sandbox_auto_review_seconds, 0 — решать самому: frmr sandbox review)"
        )
    return "Решения по заявлениям принимаете вы: frmr sandbox review НОМЕР --decision …"


def sandbox_database(settings: Settings) -> Path | None:
    """The sandbox registry's database, or None when no sandbox was ever started here."""
    db = settings.layout.sandbox_dir / "registry.db"
    return db if db.exists() else None


def registry_admin(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a `frmr-registry` admin command (`args[0]` and its subcommand words, then its
    arguments) on the sandbox's database: `--db` goes right after the command's name."""
    db = sandbox_database(settings)
    if db is None:
        return subprocess.CompletedProcess(
            list(args), 1, "", "Песочница ещё не запускалась: frmr sandbox start (или frmr-tui)"
        )
    words = 2 if args[0] == "qr" else 1
    command = [*args[:words], "--db", str(db), *args[words:]]
    return subprocess.run(_registry_command(*command), capture_output=True, text=True, check=False)


def approve_qr(settings: Settings, code: str) -> subprocess.CompletedProcess[str]:
    """Approve a QR login in the sandbox, as the Госуслуги app would (its only employee)."""
    return registry_admin(settings, "qr", "approve", code)

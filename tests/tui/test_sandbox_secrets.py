"""The embedded sandbox gets its admin token through the environment: `ps` never shows it."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from frmr.contract.protocol import ADMIN_TOKEN, Paths
from frmr.model.store.settings import load_settings
from frmr.sync.sandbox import Sandbox


def test_the_admin_token_is_not_on_any_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRMR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
    info, _started = Sandbox(load_settings()).keep_up()
    pid = int(info["pid"])
    try:
        token = str(info["admin_token"])
        listing = subprocess.run(
            ["ps", "-eo", "pid,args", "ww"], capture_output=True, text=True, check=True
        ).stdout
        assert f"{pid} " in listing  # the sandbox is running and listed
        assert token not in listing
        # ...and the registry did get it: the admin endpoint answers to it, and only to it.
        url = str(info["url"]) + Paths.ADMIN_FAULTS
        assert httpx.get(url, headers={ADMIN_TOKEN: token}, timeout=10).status_code == 200
        assert httpx.get(url, headers={ADMIN_TOKEN: "wrong"}, timeout=10).status_code == 403
        assert (tmp_path / "home" / "sandbox" / "registry.json").stat().st_mode & 0o777 == 0o600
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)  # our child: reaped, not left a zombie

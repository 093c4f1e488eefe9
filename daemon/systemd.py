"""The systemd --user unit for the daemon: Type=notify, restarted on failure, watched."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

UNIT_NAME = "frmr-daemon.service"


def unit_text(home: Path, registry_url: str | None) -> str:
    env = [f"Environment=FRMR_HOME={shlex.quote(str(home))}"]
    if registry_url:
        env.append(f"Environment=FRMR_REGISTRY_URL={shlex.quote(registry_url)}")
    command = f"{shlex.quote(sys.executable)} -m frmr.daemon.cli run --quiet"
    return "\n".join(
        [
            "[Unit]",
            "Description=frmr: watched documents folder and sync with ФРМР",
            "After=network-online.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            "Type=notify",
            f"ExecStart={command}",
            *env,
            "Restart=on-failure",
            "RestartSec=5",
            "WatchdogSec=60",
            "TimeoutStopSec=10",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def unit_path() -> Path:
    return Path.home() / ".config" / "systemd" / "user" / UNIT_NAME

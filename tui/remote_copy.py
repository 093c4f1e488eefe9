"""Ready-to-paste commands that copy a file from the doctor's own computer into a folder of
this one: the TUI usually runs over SSH, and the doctor's scans are on the machine in front of
them, not on the server."""

from __future__ import annotations

import shlex
import socket
from collections.abc import Mapping

# What the doctor replaces with their own file; Russian, as everything they read.
SAMPLE_FILE = "файл.pdf"


def ssh_target(env: Mapping[str, str]) -> str:
    """user@host as the doctor's computer reaches this one.

    SSH_CONNECTION is «client_ip client_port server_ip server_port»: the server address the
    doctor connected to is the one that works from their side (a hostname may not resolve
    there). Without SSH, this machine's name is the best guess."""
    parts = env.get("SSH_CONNECTION", "").split()
    host = parts[2] if len(parts) == 4 else socket.gethostname()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address: scp and rsync need it bracketed
    user = env.get("USER") or env.get("LOGNAME")
    return f"{user}@{host}" if user else host


def copy_commands(folder: str, env: Mapping[str, str]) -> list[str]:
    """scp and rsync lines that put a file into `folder` (the trailing slash keeps its name).

    rsync writes into a temporary `.name.XXXXXX` and renames it: the daemon ignores such
    names, so a half-sent file is never imported."""
    destination = f"{ssh_target(env)}:{shlex.quote(folder.rstrip('/') + '/')}"
    return [f"scp {SAMPLE_FILE} {destination}", f"rsync -t {SAMPLE_FILE} {destination}"]

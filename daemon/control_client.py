"""Talking to a running daemon over its control socket (the TUI and the CLI use this)."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _connect(socket_path: Path, timeout: float) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(socket_path))
    except OSError:
        sock.close()
        return None
    return sock


def _lines(sock: socket.socket) -> Iterator[dict[str, Any]]:
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


def request(socket_path: Path, cmd: str, timeout: float = 2.0) -> dict[str, Any] | None:
    """One request, one answer; None when no daemon answers."""
    sock = _connect(socket_path, timeout)
    if sock is None:
        return None
    with sock:
        try:
            sock.sendall(json.dumps({"cmd": cmd}).encode() + b"\n")
            return next(_lines(sock), None)
        except (OSError, ValueError):
            return None


def status(socket_path: Path) -> dict[str, Any] | None:
    answer = request(socket_path, "status")
    if not answer or not answer.get("ok"):
        return None
    result: dict[str, Any] = answer["status"]
    return result


def sync_now(socket_path: Path) -> bool:
    answer = request(socket_path, "sync-now")
    return bool(answer and answer.get("ok"))


def subscribe(
    socket_path: Path, on_subscribed: Callable[[], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Events as they happen; blocks between them, ends when the daemon goes away.
    `on_subscribed` runs once the daemon has acknowledged: no later event is missed."""
    sock = _connect(socket_path, 2.0)
    if sock is None:
        return
    with sock:
        try:
            sock.sendall(b'{"cmd": "subscribe"}\n')
            sock.settimeout(None)
            lines = _lines(sock)
            first = next(lines, None)
            if not first or not first.get("ok"):
                return
            if on_subscribed is not None:
                on_subscribed()
            yield from lines
        except (OSError, ValueError):
            return

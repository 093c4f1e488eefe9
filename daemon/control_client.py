"""Talking to a running daemon over its control socket (the TUI and the CLI use this)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import ValidationError

from frmr.daemon.protocol import Ack, DaemonEvent, DaemonStatus, Request, StatusAnswer


def _connect(socket_path: Path, timeout: float) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(socket_path))
    except OSError:
        sock.close()
        return None
    return sock


def _lines(sock: socket.socket) -> Iterator[bytes]:
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield line


def _ask(socket_path: Path, cmd: str, timeout: float = 2.0) -> bytes | None:
    """One request, one answer line; None when no daemon answers."""
    sock = _connect(socket_path, timeout)
    if sock is None:
        return None
    with sock:
        try:
            sock.sendall(Request.build(cmd=cmd).line())
            return next(_lines(sock), None)
        except OSError:
            return None


def status(socket_path: Path) -> DaemonStatus | None:
    line = _ask(socket_path, "status")
    if line is None:
        return None
    try:
        answer = StatusAnswer.model_validate_json(line)
    except ValidationError:
        return None
    return answer.status if answer.ok else None


def sync_now(socket_path: Path) -> bool:
    line = _ask(socket_path, "sync-now")
    try:
        return line is not None and Ack.model_validate_json(line).ok
    except ValidationError:
        return False


def subscribe(
    socket_path: Path, on_subscribed: Callable[[], None] | None = None
) -> Iterator[DaemonEvent]:
    """Events as they happen; blocks between them, ends when the daemon goes away.
    `on_subscribed` runs once the daemon has acknowledged: no later event is missed."""
    sock = _connect(socket_path, 2.0)
    if sock is None:
        return
    with sock:
        try:
            sock.sendall(Request.build(cmd="subscribe").line())
            sock.settimeout(None)
            lines = _lines(sock)
            first = next(lines, None)
            if first is None or not Ack.model_validate_json(first).ok:
                return
            if on_subscribed is not None:
                on_subscribed()
            for line in lines:
                yield DaemonEvent.model_validate_json(line)
        except (OSError, ValidationError):
            return

"""The control socket: JSON lines over AF_UNIX for the TUI and `frmr-daemon status`.

Requests: {"cmd": "status"}, {"cmd": "sync-now"}, {"cmd": "subscribe"}. The socket is 0600
in a 0700 directory: only the user who runs the daemon can talk to it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from frmr.daemon.events import EventHub
from frmr.model.store import make_private_dir

log = logging.getLogger(__name__)

MAX_REQUEST = 64 * 1024


class ControlServer:
    def __init__(
        self,
        path: Path,
        hub: EventHub,
        *,
        status: Callable[[], dict[str, Any]],
        sync_now: Callable[[], None],
    ) -> None:
        self.path = path
        self.hub = hub
        self._status = status
        self._sync_now = sync_now
        self._stopping = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        make_private_dir(self.path.parent)
        folder = os.stat(self.path.parent)
        if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
            # The folder may be a shared temp dir's (model.settings.control_socket): another
            # user's folder there could hold a socket that answers in our daemon's name.
            raise RuntimeError(f"control socket folder {self.path.parent} is not ours and private")
        # A socket file left by a killed daemon; the instance lock says we are the only one.
        self.path.unlink(missing_ok=True)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(str(self.path))
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)
        sock.listen(16)
        self._sock = sock
        self._thread = threading.Thread(target=self._accept, name="control", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
        self.path.unlink(missing_ok=True)

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5)
                request = self._read_request(conn)
                command = request.get("cmd") if isinstance(request, dict) else None
                if command == "status":
                    self._send(conn, {"ok": True, "status": self._status()})
                elif command == "sync-now":
                    self._sync_now()
                    self._send(conn, {"ok": True})
                elif command == "subscribe":
                    self._stream(conn)
                else:
                    self._send(conn, {"ok": False, "error": f"unknown command {command!r}"})
            except (OSError, ValueError) as error:
                log.debug("control connection ended: %s", error)
            except Exception:
                log.exception("control request failed")

    @staticmethod
    def _read_request(conn: socket.socket) -> Any:
        data = b""
        while b"\n" not in data and len(data) < MAX_REQUEST:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        return json.loads(data.split(b"\n", 1)[0] or b"{}")

    @staticmethod
    def _send(conn: socket.socket, message: dict[str, Any]) -> None:
        conn.sendall(json.dumps(message, ensure_ascii=False, default=str).encode() + b"\n")

    def _stream(self, conn: socket.socket) -> None:
        subscriber = self.hub.subscribe()
        conn.settimeout(10)
        try:
            # Acknowledged once subscribed: every event after the "ok" reaches this client.
            self._send(conn, {"ok": True})
            while not self._stopping.is_set():
                try:
                    event = subscriber.get(timeout=30)
                except queue.Empty:
                    if not self.hub.is_subscribed(subscriber):
                        return
                    continue
                if event is None:
                    return
                self._send(conn, event)
        finally:
            self.hub.unsubscribe(subscriber)

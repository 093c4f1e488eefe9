"""The control socket: JSON lines over AF_UNIX for the TUI and `frmr-daemon status`.

Requests and answers are daemon/protocol.py's models, one JSON line each. The socket is 0600
in a 0700 directory: only the user who runs the daemon can talk to it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from frmr.daemon.events import EventHub
from frmr.daemon.protocol import Ack, DaemonStatus, Request, StatusAnswer
from frmr.model.store.engine import make_private_dir

log = logging.getLogger(__name__)

MAX_REQUEST = 64 * 1024


class ControlServer:
    def __init__(
        self,
        path: Path,
        hub: EventHub,
        *,
        status: Callable[[], DaemonStatus],
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
            # The folder may be a shared temp dir's (model.store.settings.control_socket): another
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
                line = self._read_line(conn)
                try:
                    request = Request.model_validate_json(line)
                except ValidationError:
                    conn.sendall(Ack(ok=False, error=f"bad request {line[:200]!r}").line())
                    return
                if request.cmd == "status":
                    conn.sendall(StatusAnswer(ok=True, status=self._status()).line())
                elif request.cmd == "sync-now":
                    self._sync_now()
                    conn.sendall(Ack(ok=True).line())
                else:
                    self._stream(conn)
            except (OSError, ValueError) as error:
                log.debug("control connection ended: %s", error)
            except Exception:
                log.exception("control request failed")

    @staticmethod
    def _read_line(conn: socket.socket) -> bytes:
        data = b""
        while b"\n" not in data and len(data) < MAX_REQUEST:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b"\n", 1)[0]

    def _stream(self, conn: socket.socket) -> None:
        subscriber = self.hub.subscribe()
        conn.settimeout(10)
        try:
            # Acknowledged once subscribed: every event after the "ok" reaches this client.
            conn.sendall(Ack(ok=True).line())
            while not self._stopping.is_set():
                try:
                    event = subscriber.get(timeout=30)
                except queue.Empty:
                    if not self.hub.is_subscribed(subscriber):
                        return
                    continue
                if event is None:
                    return
                conn.sendall(event.line())
        finally:
            self.hub.unsubscribe(subscriber)

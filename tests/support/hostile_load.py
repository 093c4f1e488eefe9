"""A bounded hostile load on a served registry, for its test and its bench.

Raw sockets, not httpx, for the hostile side: a slow sender must control every byte and see
the answer while it is still sending, and a big body must stop at a bound of our own.
"""

from __future__ import annotations

import hashlib
import json
import random
import select
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from frmr.contract.protocol import Paths
from frmr.registry.db import Database, make_engine
from frmr.registry.employees import NewEmployee, add_employee
from tests.registry.conftest import HOSPITAL, PASSWORD, pdf, random_snils

BIG_BODY = 500 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass
class Answer:
    """What a raw request got: an HTTP status and JSON body, or how the connection ended."""

    status: int | None = None
    body: dict[str, object] = field(default_factory=dict)
    sent: int = 0
    ended: str = ""


def rss_kib(pid: int) -> tuple[int, int]:
    """The process's resident memory now and at its peak (VmRSS, VmHWM), in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def employee_tokens(url: str, db_url: str, count: int) -> list[str]:
    rng = random.Random()
    db = Database(make_engine(db_url))
    logins = []
    with db.write() as session:
        for i in range(count):
            snils = random_snils(rng)
            add_employee(session, NewEmployee(snils, "Петров", f"Пётр{i}", HOSPITAL), PASSWORD)
            logins.append(snils)
    db.engine.dispose()
    return [
        httpx.post(url + Paths.LOGIN, json={"login": s, "password": PASSWORD}, timeout=60).json()[
            "access_token"
        ]
        for s in logins
    ]


def upload(url: str, token: str, size: int = 256 * 1024) -> tuple[int, float]:
    """One honest upload of a fresh PDF: its status and how long it took (seconds)."""
    content = pdf(size)
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Content-SHA256": hashlib.sha256(content).hexdigest(),
        "X-Document-Id": str(uuid.uuid4()),
        "Content-Type": "application/pdf",
    }
    start = time.perf_counter()
    answer = httpx.post(url + Paths.DOCUMENTS, content=content, headers=headers, timeout=120)
    return answer.status_code, time.perf_counter() - start


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=60)


def _read_answer(sock: socket.socket, answer: Answer, wait: float) -> Answer:
    """Read one HTTP answer (or the connection's end) within `wait` seconds."""
    sock.settimeout(wait)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                answer.ended = answer.ended or "closed"
                return answer
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        answer.status = int(lines[0].split()[1])
        length = next(
            (
                int(v)
                for k, _, v in (h.partition(":") for h in lines[1:])
                if k.lower() == "content-length"
            ),
            0,
        )
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        if rest:
            answer.body = json.loads(rest[:length])
    except TimeoutError:
        answer.ended = answer.ended or "no answer"
    except OSError as error:
        answer.ended = answer.ended or type(error).__name__
    return answer


def _answered(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def slow_upload(
    url: str,
    token: str,
    stop: threading.Event,
    holding: threading.Event | None = None,
    interval: float = 2.0,
    declared: int = 4096,
) -> Answer:
    """An upload that sends one byte every `interval` seconds until the registry answers or
    `stop` is set, then reads the answer. `holding` is set once its second byte is out, one
    interval after the headers: by then the registry has long taken it in."""
    answer = Answer()
    with _connect(url) as sock:
        head = (
            f"POST {Paths.DOCUMENTS} HTTP/1.1\r\nHost: registry\r\n"
            f"Authorization: Bearer {token}\r\nX-Content-SHA256: {'0' * 64}\r\n"
            f"X-Document-Id: {uuid.uuid4()}\r\nContent-Type: application/pdf\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        )
        sock.sendall(head.encode())
        body = b"%PDF-1.7\n" + b"0" * declared
        while answer.sent < declared and not stop.is_set() and not _answered(sock):
            try:
                sock.sendall(body[answer.sent : answer.sent + 1])
            except OSError as error:
                answer.ended = type(error).__name__
                break
            answer.sent += 1
            if answer.sent == 2 and holding is not None:
                holding.set()
            stop.wait(interval)
        return _read_answer(sock, answer, wait=10)


def big_body(url: str, size: int = BIG_BODY, *, chunked: bool = False, limit: float = 60) -> Answer:
    """An unauthenticated body of `size` bytes to the login, streamed as fast as the
    registry takes it, until it answers, the connection ends, or `limit` seconds pass."""
    answer = Answer()
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    deadline = time.monotonic() + limit
    with _connect(url) as sock:
        sock.sendall(
            f"POST {Paths.LOGIN} HTTP/1.1\r\nHost: registry\r\n"
            f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode()
        )
        payload = b'{"login": "' + b"1" * (_CHUNK - 11)
        if chunked:
            payload = f"{len(payload):x}\r\n".encode() + payload + b"\r\n"
        sock.settimeout(5)
        while answer.sent < size and time.monotonic() < deadline and not _answered(sock):
            try:
                sock.sendall(payload)
            except TimeoutError:
                continue
            except OSError as error:
                answer.ended = type(error).__name__
                break
            answer.sent += _CHUNK
        return _read_answer(sock, answer, wait=10)

"""Twenty parallel uploads just over the 10 MiB limit (under the body cap, so each is read),
from twenty employees: the registry buffers a bounded number at once (503 + Retry-After for
the rest), so its peak memory stays bounded. Asserts RSS, never time. Larger bodies are
refused before they are read (test_bounded_bodies)."""

from __future__ import annotations

import hashlib
import random
import ssl
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from frmr.contract.protocol import Paths
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.registry.db import Database, make_engine
from frmr.registry.employees import NewEmployee, add_employee
from tests.registry.conftest import HOSPITAL, PASSWORD, random_snils, start_server, stop_server

# A load story on a real server process, as test_bounded_bodies' is: the real-process tier.
pytestmark = pytest.mark.real_process

UPLOADS = 20
CHUNK = 1024 * 1024
BODY = MAX_TOTAL_BYTES + 32 * 1024
# Four slots of up to 10 MiB, each briefly twice (buffer and bytes), plus the drained chunks:
# well under this; twenty buffered at once would be about 400 MiB.
MAX_GROWTH_KIB = 120 * 1024


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _body() -> Iterator[bytes]:
    yield b"%PDF-1.7\n" + b"0" * (CHUNK - 9)
    for sent in range(CHUNK, BODY, CHUNK):
        yield b"0" * min(CHUNK, BODY - sent)


def test_parallel_large_uploads_keep_memory_bounded(tmp_path: Path) -> None:
    server = start_server(f"sqlite:///{tmp_path / 'r.db'}", tmp_path)
    # One SSL context for the 41 plain-HTTP calls, not one each: 29 ms of CPU a call loading
    # the CA bundle, which for the uploads came after the barrier and spread their burst.
    tls = ssl.create_default_context()
    try:
        rng = random.Random()
        logins = [random_snils(rng) for _ in range(UPLOADS)]
        db = Database(make_engine(server.db_url))
        with db.write() as session:
            for snils in logins:
                add_employee(session, NewEmployee(snils, "Петров", "Пётр", HOSPITAL), PASSWORD)
        db.engine.dispose()
        tokens = [
            httpx.post(
                server.url + Paths.LOGIN,
                json={"login": snils, "password": PASSWORD},
                timeout=60,
                verify=tls,
            ).json()["access_token"]
            for snils in logins
        ]
        before = _peak_rss_kib(server.process.pid)
        start = threading.Barrier(UPLOADS)
        outcomes: list[object] = []

        def upload(token: str) -> None:
            headers = {
                "Authorization": f"Bearer {token}",
                "X-Content-SHA256": hashlib.sha256(b"x").hexdigest(),
                "X-Document-Id": str(uuid.uuid4()),
                "Content-Type": "application/pdf",
                "Content-Length": str(BODY),
            }
            start.wait()
            try:
                answer = httpx.post(
                    server.url + Paths.DOCUMENTS,
                    content=_body(),
                    headers=headers,
                    timeout=600,
                    verify=tls,
                )
                outcomes.append(answer.status_code)
            except httpx.TransportError as error:  # refused early while still sending
                outcomes.append(type(error).__name__)

        threads = [threading.Thread(target=upload, args=(token,)) for token in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        growth = _peak_rss_kib(server.process.pid) - before
        assert growth < MAX_GROWTH_KIB, (growth, outcomes)
        assert 413 in outcomes  # the uploads that got a slot were read and refused by size
        assert '" 503' in server.log.read_text()  # the rest were turned away at once
        health = httpx.get(server.url + Paths.HEALTH, timeout=60, verify=tls)
        assert health.status_code == 200
    finally:
        stop_server(server)

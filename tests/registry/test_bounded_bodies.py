"""The registry bounds request bodies before reading them (issue 21): a size cap per route
(413), a minimum pace (408), and one upload slot per employee, so a hostile client starves
neither the registry's memory nor the other employees. A served registry on loopback; the
assertions are on answers and resident memory, never on time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from frmr.contract.protocol import ErrorCode
from frmr.registry.bodies import AUTH_BODY_BYTES
from tests.registry.conftest import Server, start_server, stop_server
from tests.support.hostile_load import big_body, employee_tokens, rss_kib, slow_upload, upload

pytestmark = pytest.mark.real_process

# Long enough that the other employees' uploads happen while the slow ones still hold on.
GRACE_SECONDS = 15
MAX_RSS_KIB = 300 * 1024
# A slow sender gives up after this long; without a pace rule it would never be answered.
SLOW_SENDER_LIMIT = 90


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list[str]]]:
    workdir = tmp_path_factory.mktemp("bounded")
    server = start_server(
        f"sqlite:///{workdir / 'r.db'}",
        workdir,
        env={"FRMR_REGISTRY_BODY_GRACE_SECONDS": str(GRACE_SECONDS)},
    )
    try:
        yield server, employee_tokens(server.url, server.db_url, 4)
    finally:
        stop_server(server)


def test_declared_big_login_body_is_refused_before_it_is_read(
    served: tuple[Server, list[str]],
) -> None:
    server, _ = served
    answer = big_body(server.url)
    assert answer.status == 413, answer
    assert answer.body["code"] == ErrorCode.REQUEST_TOO_LARGE
    assert answer.body["message"] == "Запрос не принят: он больше 16 КБ — предела для этого адреса"
    assert answer.body["details"] == {"max_bytes": AUTH_BODY_BYTES, "size": 500 * 1024 * 1024}


def test_chunked_big_login_body_is_cut_off_at_the_cap(served: tuple[Server, list[str]]) -> None:
    server, _ = served
    answer = big_body(server.url, chunked=True)
    assert answer.status == 413, answer
    assert answer.body["code"] == ErrorCode.REQUEST_TOO_LARGE
    assert answer.body["details"] == {"max_bytes": AUTH_BODY_BYTES}


def test_slow_uploads_and_big_bodies_starve_no_one(served: tuple[Server, list[str]]) -> None:
    server, tokens = served
    hostile, others = tokens[0], tokens[1:]
    stop = threading.Event()
    stopper = threading.Timer(SLOW_SENDER_LIMIT, stop.set)
    stopper.start()
    with ThreadPoolExecutor(8) as pool:
        holding = threading.Event()
        first = pool.submit(slow_upload, server.url, hostile, stop, holding)
        # The first must hold its slot before the second asks for one.
        holding.wait()
        second = pool.submit(slow_upload, server.url, hostile, stop)
        bigs = [pool.submit(big_body, server.url, chunked=i == 2) for i in range(3)]
        statuses = [upload(server.url, token)[0] for token in others for _ in range(2)]
        # The uploads above ran while the hostile employee's first upload was still held.
        assert not first.done()
        assert second.result().status == 503
        slow = first.result()
        big_answers = [b.result() for b in bigs]
    stopper.cancel()
    assert statuses == [201] * 6
    assert slow.status == 408, slow
    assert slow.body["code"] == ErrorCode.REQUEST_TIMEOUT
    assert str(slow.body["message"]).startswith("Запрос не принят: данные шли слишком медленно")
    assert [b.status for b in big_answers] == [413] * 3
    assert rss_kib(server.process.pid)[1] < MAX_RSS_KIB

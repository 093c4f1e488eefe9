"""The lockout holds under a burst of parallel logins on PostgreSQL with four workers: the
failure count and the password check are one decision per person (a row lock)."""

from __future__ import annotations

import os
import random
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from frmr.contract.protocol import Paths
from frmr.registry.db import Database, make_engine
from frmr.registry.employees import NewEmployee, add_employee
from tests.registry.conftest import (
    HOSPITAL,
    PASSWORD,
    Server,
    _fresh_pg_database,
    random_snils,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.real_process

MAX_FAILURES = 5


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = os.environ.get("FRMR_TEST_PG_URL")
    if not base:
        pytest.fail('the lockout race needs PostgreSQL: eval "$(.ci/postgres.sh start)" first')
    db_url = _fresh_pg_database(base)
    running = start_server(db_url, tmp_path_factory.mktemp("pg4"), "--workers", "4")
    yield running
    stop_server(running)


def _employee(server: Server) -> str:
    snils = random_snils(random.Random())
    db = Database(make_engine(server.db_url))
    with db.write() as session:
        add_employee(session, NewEmployee(snils, "Петров", "Пётр", HOSPITAL), PASSWORD)
    db.engine.dispose()
    return snils


def _burst(server: Server, snils: str, passwords: list[str]) -> list[tuple[str, int, str]]:
    """Every attempt released at once (a barrier), each on its own connection."""
    start = threading.Barrier(len(passwords))
    # Each client would load the CA bundle into an SSL context of its own (29 ms of CPU, 20 s
    # over the module's 700 clients) that a plain-HTTP loopback never uses.
    tls = ssl.create_default_context()

    def attempt(password: str) -> tuple[str, int, str]:
        with httpx.Client(base_url=server.url, timeout=120, verify=tls) as client:
            start.wait()
            answer = client.post(Paths.LOGIN, json={"login": snils, "password": password})
        return password, answer.status_code, answer.json().get("code", "")

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def test_200_parallel_attempts_evaluate_at_most_five_wrong_passwords(
    pg_server: Server,
) -> None:
    snils = _employee(pg_server)
    answers = _burst(pg_server, snils, [f"wrong-{i}" for i in range(200)])
    codes = Counter(code for _, _, code in answers)
    assert codes["invalid_credentials"] == MAX_FAILURES, codes
    assert codes["login_locked"] == 200 - MAX_FAILURES, codes

    # Locked: a second burst with the right password among wrong ones is refused throughout.
    mixed = [PASSWORD if i % 4 == 0 else f"again-{i}" for i in range(100)]
    again = _burst(pg_server, snils, mixed)
    assert {(status, code) for _, status, code in again} == {(429, "login_locked")}


def test_right_passwords_in_a_burst_never_let_more_than_five_wrong_ones_through(
    pg_server: Server,
) -> None:
    """A success clears the failures, so the bound is per run of failures: at most five wrong
    passwords are evaluated before each accepted login and after the last one."""
    snils = _employee(pg_server)
    passwords = [PASSWORD if i % 10 == 0 else f"wrong-{i}" for i in range(200)]
    answers = _burst(pg_server, snils, passwords)
    evaluated_wrong = sum(1 for _, _, code in answers if code == "invalid_credentials")
    accepted = sum(1 for _, status, _ in answers if status == 200)
    assert evaluated_wrong <= MAX_FAILURES * (accepted + 1), (evaluated_wrong, accepted)
    assert all(code in ("", "invalid_credentials", "login_locked") for _, _, code in answers)


def test_a_burst_on_an_unknown_snils_is_answered_as_one_on_a_registered_one(
    pg_server: Server,
) -> None:
    """The lockout can't tell registered СНИЛС apart either: an unknown one also gets exactly
    five refusals, then the lock, however many attempts arrive at once."""
    unknown = random_snils(random.Random())
    answers = _burst(pg_server, unknown, [f"wrong-{i}" for i in range(200)])
    codes = Counter(code for _, _, code in answers)
    assert codes["invalid_credentials"] == MAX_FAILURES, codes
    assert codes["login_locked"] == 200 - MAX_FAILURES, codes

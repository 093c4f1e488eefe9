"""A real registry for each backend: ``frmr-registry serve`` on a loopback port, httpx clients.

PostgreSQL comes from ``FRMR_TEST_PG_URL`` (``eval "$(.ci/postgres.sh start)"``); without it
the PostgreSQL variants fail, unless ``FRMR_TEST_NO_PG=1`` asks to leave them out (the quick
tier): they are then deselected, counted with the other deselected tests, not skipped.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy.engine import make_url

from frmr.contract.protocol import ADMIN_TOKEN, COLLECTIONS, Paths
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.snils import snils_check_number
from frmr.registry import employees
from frmr.registry.auth import issue_token
from frmr.registry.db import Database, make_engine
from frmr.registry.employees import NewEmployee, add_employee
from frmr.registry.passwords import hash_password
from frmr.registry.seed import demo_portfolio
from frmr.registry.settings import RegistrySettings
from frmr.registry.tables import PortfolioItem

ADMIN = "test-admin-token"
PASSWORD = "correct horse battery"
HOSPITAL = "ГБУЗ «Городская больница № 7»"


def random_snils(rng: random.Random) -> str:
    first9 = f"{rng.randint(2_000_000, 999_999_999):09d}"
    return first9 + snils_check_number(first9)


def pdf(size: int = 2048, salt: str | None = None) -> bytes:
    head = b"%PDF-1.7\n" + (salt or uuid.uuid4().hex).encode()
    return head + b"0" * max(0, size - len(head))


def _fresh_pg_database(base_url: str) -> str:
    import psycopg  # here, not at the top: a run without PostgreSQL never imports it

    url = make_url(base_url)
    name = f"frmr_{uuid.uuid4().hex[:12]}"
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("FRMR_TEST_NO_PG") != "1":
        return
    kept, left_out = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_pg = params is not None and params.params.get("db_url") == "postgresql"
        (left_out if on_pg else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('registry')}/registry.db"
    base = os.environ.get("FRMR_TEST_PG_URL")
    if not base:
        pytest.fail(
            "the PostgreSQL variants need FRMR_TEST_PG_URL: run "
            '`eval "$(.ci/postgres.sh start)"` first (or set FRMR_TEST_NO_PG=1 to deselect them)'
        )
    return _fresh_pg_database(base)


@dataclass
class Server:
    url: str
    db_url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(
    db_url: str, workdir: Path, *extra: str, env: dict[str, str] | None = None
) -> Server:
    port_file = workdir / "port"
    log = workdir / "server.log"
    command = [
        sys.executable, "-m", "frmr.registry.cli", "serve", "--db", db_url, "--port", "0",
        "--port-file", str(port_file), "--sandbox", *extra,
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "FRMR_REGISTRY_ADMIN_TOKEN": ADMIN, **(env or {})},
        )
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"registry exited: {log.read_text()}")
        if port_file.exists():
            url = f"http://127.0.0.1:{port_file.read_text()}"
            try:
                if httpx.get(url + Paths.HEALTH, timeout=2).status_code == 200:
                    return Server(url=url, db_url=db_url, process=process, log=log)
            except httpx.TransportError:
                pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"registry did not start: {log.read_text()}")
        time.sleep(0.05)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(db_url, tmp_path_factory.mktemp("server"))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def registry_db(server: Server) -> Iterator[Database]:
    db = Database(make_engine(server.db_url))
    yield db
    db.engine.dispose()


@pytest.fixture
def admin(server: Server) -> Iterator[httpx.Client]:
    """The admin endpoint; faults set through it are cleared after the test."""
    with httpx.Client(base_url=server.url, headers={ADMIN_TOKEN: ADMIN}, timeout=10) as client:
        yield client
        client.delete(Paths.ADMIN_FAULTS).raise_for_status()


@dataclass
class Person:
    snils: str
    phone: str
    email: str
    client: httpx.Client

    def create_application(self, **overrides: Any) -> dict[str, Any]:
        body = application_body(**overrides)
        response = self.client.post(
            Paths.APPLICATIONS, json=body, headers={"Idempotency-Key": body["id"]}
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def upload(self, content: bytes, name: str = "скан.pdf") -> httpx.Response:
        return self.client.post(
            Paths.DOCUMENTS,
            content=content,
            headers={
                "X-Content-SHA256": hashlib.sha256(content).hexdigest(),
                "X-Document-Id": str(uuid.uuid4()),
                "X-File-Name": quote(name),
                "Content-Type": "application/pdf",
            },
        )

    def submit(self, app_id: str, key: str | None = None) -> httpx.Response:
        return self.client.post(
            Paths.APPLICATION_SUBMIT.format(id=app_id),
            headers={"Idempotency-Key": key or f"{app_id}:1"},
        )


def application_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "kind": "periodic",
        "specialty_code": "31.08.49",
        "specialty_name": "Терапия",
        "education_level": "Высшее",
        "phone": "+79161234567",
        "email": "worker@example.org",
        "report_agreed": True,
        "comment": None,
    }
    body.update(overrides)
    return body


@pytest.fixture(scope="session")
def password_hash() -> str:
    """PASSWORD's scrypt hash, made once per worker: each made person's cost 50 ms of CPU.
    Every login still checks the password against it with scrypt in the registry."""
    return hash_password(PASSWORD)


@pytest.fixture
def make_person(
    server: Server, registry_db: Database, password_hash: str
) -> Iterator[Callable[..., Person]]:
    """Enter an employee with the demo portfolio and log them in (enter_person)."""
    rng = random.Random()
    clients: list[httpx.Client] = []

    def make(*, login: bool = True) -> Person:
        person = enter_person(server, registry_db, password_hash, rng, login=login)
        clients.append(person.client)
        return person

    yield make
    for client in clients:
        client.close()


def enter_person(
    server: Server,
    registry_db: Database,
    password_hash: str,
    rng: random.Random,
    *,
    login: bool = True,
) -> Person:
    """An employee with the demo portfolio, logged in: the token is issued as the login route
    issues it (registry.auth.issue_token), without the password check's 40 ms of scrypt in
    the registry; test_accounts logs in through HTTP. The caller closes the client."""
    snils = random_snils(rng)
    phone = f"+79{rng.randint(0, 999_999_999):09d}"
    email = f"w{uuid.uuid4().hex[:10]}@example.org"
    new = NewEmployee(snils, "Петров", "Пётр", HOSPITAL, phone=phone, email=email)

    def known_hash(password: str) -> str:
        assert password == PASSWORD
        return password_hash

    ttl = RegistrySettings(db_url=server.db_url).token_ttl
    with pytest.MonkeyPatch.context() as patch, registry_db.write() as session:
        patch.setattr(employees, "hash_password", known_hash)
        employee = add_employee(session, new, PASSWORD)
        session.add_all(_portfolio_for(employee.id))
        token = issue_token(session, employee.id, ttl) if login else None
    client = httpx.Client(base_url=server.url, timeout=20)
    if token is not None:
        client.headers["Authorization"] = f"Bearer {token.access_token}"
    return Person(snils=snils, phone=phone, email=email, client=client)


def _portfolio_for(person_id: str) -> list[PortfolioItem]:
    items = []
    for collection, model in demo_portfolio(today()):
        assert collection in COLLECTIONS
        data = model.model_dump(mode="json")
        if collection in ("employment", "reports"):
            data["organization"] = HOSPITAL
        item = PortfolioItem(
            person_id=person_id,
            collection=collection,
            id=str(uuid.uuid4()),
            data=data,
            updated_at=utcnow(),
        )
        items.append(item)
    return items

"""`serve --auto-review S`: a running sandbox decides submitted applications by itself."""

from __future__ import annotations

import random
import time
import uuid
from pathlib import Path

import httpx

from frmr.contract.protocol import Paths
from frmr.registry.db import Database, make_engine
from frmr.registry.employees import NewEmployee, add_employee
from tests.registry.conftest import (
    HOSPITAL,
    PASSWORD,
    Person,
    _portfolio_for,
    pdf,
    random_snils,
    start_server,
    stop_server,
)


def test_auto_review_decides_with_a_reason_reported_in_changes(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/registry.db"
    server = start_server(db_url, tmp_path, "--auto-review", "0.3")
    db = Database(make_engine(db_url))
    try:
        snils = random_snils(random.Random(11))
        with db.write() as session:
            employee = add_employee(
                session, NewEmployee(snils, "Сидорова", "Анна", HOSPITAL), PASSWORD
            )
            session.add_all(_portfolio_for(employee.id))
        with httpx.Client(base_url=server.url, timeout=20) as client:
            token = client.post(Paths.LOGIN, json={"login": snils, "password": PASSWORD})
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            person = Person(snils, "", "", client)
            app = person.create_application()
            document = person.upload(pdf(salt=uuid.uuid4().hex)).json()
            client.post(
                Paths.APPLICATION_DOCUMENTS.format(id=app["id"]),
                json={"document_id": document["id"]},
            ).raise_for_status()
            assert person.submit(app["id"]).json()["status"] == "under_review"
            deadline = time.monotonic() + 30
            decided = None
            while decided is None and time.monotonic() < deadline:
                changes = client.get(Paths.CHANGES).json()["changes"]
                decided = next(
                    (c for c in changes if c["status"] in {"passed", "rejected", "refused"}),
                    None,
                )
                time.sleep(0.2)
        assert decided is not None, "no decision within 30 s"
        assert decided["application_id"] == app["id"]
        assert decided["actor"] == "registry"
        assert decided["reason"]
    finally:
        db.engine.dispose()
        stop_server(server)

"""A submission the registry answered survives the registry's stop and its kill, and a
process holding the database open through them (the operator's tools, the tests' harness)
reads what the restarted registry writes.

It did not: each open of the database in that process (registry.db.make_engine) opened and
closed the file, which drops all the process's POSIX locks on it, SQLite's too. The stopping
registry (or, after a kill, the restarted one closing its first connection) then found no
other user, folded the WAL in and deleted it and the -shm, and the holder kept the deleted
-shm mapped: every later read in that process, on any connection, saw the database as it
was at the stop. The daemon story on the shared registry failed so in CI.
"""

from __future__ import annotations

import json
import random
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from frmr.registry.cli import main
from frmr.registry.db import Database, make_engine
from tests.registry.conftest import Person, enter_person, start_server

pytestmark = pytest.mark.real_process


@pytest.fixture
def registry_db(tmp_path: Path) -> Iterator[Database]:
    """This process's connection to the database, open the whole test: as the shared test
    registry's harness holds one, or an operator's tool that reads while the registry runs."""
    db = Database(make_engine(f"sqlite:///{tmp_path / 'registry.db'}"))
    yield db
    db.engine.dispose()


def _listing(db: Database) -> dict[str, str]:
    """The operator's `frmr-registry applications --json`, run in this process: it opens
    the database afresh, as each command does."""
    url = db.engine.url.database
    assert url is not None
    result = CliRunner().invoke(main, ["applications", "--json", "--db", url])
    assert result.exit_code == 0, result.output
    listing: list[dict[str, Any]] = json.loads(result.stdout)
    return {item["id"]: item["status"] for item in listing}


def _submitted(person: Person) -> str:
    app = person.create_application()
    answer = person.submit(app["id"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "under_review"
    return str(app["id"])


def test_answered_submissions_are_kept_through_a_stop_and_a_kill_and_later_ones_are_seen(
    tmp_path: Path, registry_db: Database, password_hash: str
) -> None:
    url = str(registry_db.engine.url)
    server = start_server(url, _folder(tmp_path / "0"))
    person = enter_person(server, registry_db, password_hash, random.Random())
    expected: dict[str, str] = {}
    try:
        for n, stop in enumerate((signal.SIGTERM, signal.SIGKILL), start=1):
            expected[_submitted(person)] = "under_review"
            assert _listing(registry_db) == expected
            # Right after the answer: a write still in flight would be lost here.
            server.process.send_signal(stop)
            server.process.wait(timeout=10)
            server = start_server(url, _folder(tmp_path / str(n)))
            person.client.base_url = httpx.URL(server.url)
            assert _listing(registry_db) == expected, f"after {stop.name}"
        expected[_submitted(person)] = "under_review"
        assert _listing(registry_db) == expected
    finally:
        person.client.close()
        server.process.kill()
        server.process.wait()


def _folder(path: Path) -> Path:
    path.mkdir()
    return path

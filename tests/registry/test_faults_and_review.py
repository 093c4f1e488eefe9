"""Each injected fault as a real client sees it; review decisions reaching /changes."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlmodel import select

from frmr.contract.protocol import Paths
from frmr.registry.cli import main
from frmr.registry.review import AUTO_PASSED, AUTO_REJECTED, decide_due
from frmr.registry.tables import Application

from .conftest import application_body, pdf


def _set(admin: httpx.Client, **faults: object) -> None:
    admin.put(Paths.ADMIN_FAULTS, json=faults).raise_for_status()


@pytest.mark.parametrize("status", [500, 503])
def test_error_rate_answers_the_error_body(make_person, admin, status) -> None:
    person = make_person()
    _set(admin, error_rate=1.0, error_status=status)
    answer = person.client.get(Paths.APPLICATIONS)
    assert answer.status_code == status
    assert answer.json()["code"] in ("internal", "unavailable")
    assert "Повторите" in answer.json()["message"]


def test_rate_limit_answers_429_with_retry_after(make_person, admin) -> None:
    person = make_person()
    _set(admin, rate_limit_rate=1.0, retry_after_s=7)
    answer = person.client.get(Paths.APPLICATIONS)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"


def test_latency_delays_the_answer(make_person, admin) -> None:
    person = make_person()
    _set(admin, latency_ms=400)
    started = time.monotonic()
    assert person.client.get(Paths.APPLICATIONS).status_code == 200
    assert time.monotonic() - started >= 0.4


def test_drop_before_the_handler_creates_nothing(make_person, admin, registry_db) -> None:
    person = make_person()
    _set(admin, drop_before_rate=1.0, path_prefix=Paths.APPLICATIONS, budget=1)
    body_id = "00000000-0000-4000-8000-000000000001-" + person.snils
    with pytest.raises(httpx.TransportError):
        person.client.post(
            Paths.APPLICATIONS,
            json=application_body(id=body_id),
            headers={"Idempotency-Key": body_id},
        )
    with registry_db.read() as session:
        assert session.exec(select(Application).where(Application.id == body_id)).first() is None
    assert person.client.get(Paths.IDEMPOTENCY.format(key=body_id)).status_code == 404
    # the budget is spent: the retry goes through
    retry = person.client.post(
        Paths.APPLICATIONS, json=application_body(id=body_id), headers={"Idempotency-Key": body_id}
    )
    assert retry.status_code == 201


def test_drop_after_commit_loses_the_answer_but_keeps_the_effect(make_person, admin) -> None:
    person = make_person()
    _set(admin, drop_after_commit_rate=1.0, path_prefix=Paths.APPLICATIONS, budget=1)
    body_id = "00000000-0000-4000-8000-000000000002-" + person.snils
    with pytest.raises(httpx.TransportError):
        person.client.post(
            Paths.APPLICATIONS,
            json=application_body(id=body_id),
            headers={"Idempotency-Key": body_id},
        )
    stored = person.client.get(Paths.IDEMPOTENCY.format(key=body_id))
    assert stored.json()["status_code"] == 201
    assert [a["id"] for a in person.client.get(Paths.APPLICATIONS).json()] == [body_id]


def test_failed_delivery_is_not_delivered_until_a_new_attempt(make_person, admin) -> None:
    person = make_person()
    app = person.create_application()
    _set(admin, delivery_failure_rate=1.0, budget=1)
    first = person.submit(app["id"], f"{app['id']}:1")
    assert first.status_code == 200
    assert first.json()["status"] == "not_delivered"
    assert first.json()["status_reason"]
    assert person.submit(app["id"], f"{app['id']}:1").json()["status"] == "not_delivered"
    second = person.submit(app["id"], f"{app['id']}:2")
    assert second.json()["status"] == "under_review"
    statuses = [c["status"] for c in person.client.get(Paths.CHANGES).json()["changes"]]
    assert statuses == ["formed", "not_delivered", "under_review"]


def test_faults_need_the_admin_token(server) -> None:
    answer = httpx.put(server.url + Paths.ADMIN_FAULTS, json={"error_rate": 1.0})
    assert answer.status_code == 403


def test_review_decision_with_reason_appears_in_changes(make_person, server) -> None:
    person = make_person()
    app = person.create_application()
    assert person.submit(app["id"]).status_code == 200
    cursor = person.client.get(Paths.CHANGES).json()["cursor"]
    result = CliRunner().invoke(
        main,
        ["review", app["id"], "--db", server.db_url, "--decision", "refused",
         "--reason", "Недостаточно часов обучения"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    feed = person.client.get(Paths.CHANGES, params={"since": cursor}).json()
    assert [(c["status"], c["reason"], c["actor"]) for c in feed["changes"]] == [
        ("refused", "Недостаточно часов обучения", "registry")
    ]
    assert (
        person.client.get(Paths.CHANGES, params={"since": feed["cursor"]}).json()["changes"] == []
    )
    again = CliRunner().invoke(
        main, ["review", app["id"], "--db", server.db_url, "--decision", "passed", "--reason", "x"]
    )
    assert again.exit_code != 0


def test_auto_review_decides_by_attached_documents(make_person, registry_db) -> None:
    person = make_person()
    bare = person.create_application()
    documented = person.create_application()
    document = person.upload(pdf()).json()
    person.client.post(
        Paths.APPLICATION_DOCUMENTS.format(id=documented["id"]),
        json={"document_id": document["id"]},
    ).raise_for_status()
    for app in (bare, documented):
        assert person.submit(app["id"]).status_code == 200
    decide_due(registry_db, wait=timedelta(0))
    decided = {a["id"]: a for a in person.client.get(Paths.APPLICATIONS).json()}
    assert (decided[bare["id"]]["status"], decided[bare["id"]]["status_reason"]) == (
        "rejected",
        AUTO_REJECTED,
    )
    assert decided[documented["id"]]["status_reason"] == AUTO_PASSED


def test_applications_json_lists_keys_per_application(make_person, server) -> None:
    person = make_person()
    app = person.create_application()
    person.submit(app["id"], f"{app['id']}:1").raise_for_status()
    result = CliRunner().invoke(main, ["applications", "--db", server.db_url, "--json"])
    listing = {a["id"]: a for a in json.loads(result.output)}
    assert sorted(listing[app["id"]]["idempotency_keys"]) == sorted([app["id"], f"{app['id']}:1"])
    assert listing[app["id"]]["status"] == "under_review"


def test_applications_plain_listing_is_aligned_columns_a_person_reads(make_person, server) -> None:
    person = make_person()
    draft = person.create_application()
    app = person.create_application()
    number = person.submit(app["id"]).json()["number"]
    CliRunner().invoke(
        main,
        [
            "review",
            number,
            "--db",
            server.db_url,
            "--decision",
            "rejected",
            "--reason",
            "Нет диплома",
        ],
    )
    result = CliRunner().invoke(main, ["applications", "--db", server.db_url])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.splitlines()
    assert header.split() == ["Номер", "Статус", "Создано", "Причина"]
    [decided] = [row for row in rows if row.startswith(number)]
    # The status stands in its own column, apart from the next field, and the reason follows.
    status_at = header.index("Статус")
    assert decided[status_at:].startswith("Отклонено  ")
    assert decided.endswith("Нет диплома") and "ключей" not in result.output
    [formed] = [row for row in rows if row.startswith(draft["number"])]
    # The session's server holds other tests' applications too: the column is as wide as the
    # longest status listed, whichever ran first, and the next field starts where its header does.
    created_at = header.index("Создано")
    assert formed[status_at:created_at].rstrip() == "Сформировано"
    assert formed[created_at - 2 : created_at] == "  " and formed[created_at] != " "


def test_review_takes_the_number_a_person_reads(make_person, server) -> None:
    person = make_person()
    app = person.create_application()
    submitted = person.submit(app["id"])
    assert submitted.status_code == 200
    number = submitted.json()["number"]
    assert number.startswith("ФРМР-")
    result = CliRunner().invoke(
        main, ["review", number, "--db", server.db_url, "--decision", "passed", "--reason", "ок"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{number}: Аккредитация пройдена"


@pytest.mark.parametrize(
    "command",
    [
        ["applications"],
        ["employee", "list"],
        ["review", "ФРМР-2026-000001", "--decision", "passed", "--reason", "x"],
        ["qr", "approve", "123456"],
    ],
    ids=lambda c: c[0],
)
def test_admin_commands_never_create_a_database(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default place too: platformdirs puts it under XDG_DATA_HOME.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("FRMR_REGISTRY_DB", raising=False)
    missing = tmp_path / "elsewhere" / "registry.db"
    for db in (["--db", str(missing)], []):
        result = CliRunner().invoke(main, [*command[:2], *db, *command[2:]])
        assert result.exit_code != 0, result.output
        assert "База регистра не найдена" in result.output
    assert not missing.exists() and not missing.parent.exists()
    assert not (tmp_path / "data").exists()

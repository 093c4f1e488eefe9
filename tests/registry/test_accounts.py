"""Logging in as ФРМР answers it, lockout, tokens, QR login, and one person's walls."""

from __future__ import annotations

import httpx
from click.testing import CliRunner

from frmr.contract.protocol import Paths
from frmr.model.rules.errors import LOGIN_REFUSED, LOGIN_REFUSED_FIX
from frmr.model.rules.snils import format_snils
from frmr.registry.auth import approve_qr
from frmr.registry.cli import main
from frmr.registry.employees import active_employees

from .conftest import PASSWORD, application_body, pdf


def _login(server, login: str, password: str) -> httpx.Response:
    return httpx.post(server.url + Paths.LOGIN, json={"login": login, "password": password})


def _answer(response: httpx.Response) -> tuple[int, object]:
    body = response.json()
    if "retry_after" in body["details"]:
        body["details"]["retry_after"] = "…"  # seconds left: one apart between two calls
    return response.status_code, body


def test_unknown_snils_and_wrong_password_get_one_answer_and_one_lockout(
    make_person, server
) -> None:
    """Nobody can learn which СНИЛС are registered: an unknown one is answered, counted and
    locked out exactly as a registered one with a wrong password."""
    person = make_person(login=False)
    unknown = "112-233-445 95"
    for attempt in range(5):
        wrong = _login(server, person.snils, "wrong")
        # The unknown number written another way counts as the same login.
        stranger = _login(server, unknown if attempt % 2 else unknown.replace("-", ""), "wrong")
        assert _answer(wrong) == _answer(stranger)
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "invalid_credentials"
        assert wrong.json()["message"] == LOGIN_REFUSED
        assert wrong.json()["details"] == {"fix": LOGIN_REFUSED_FIX}
    locked, stranger_locked = _login(server, person.snils, "x"), _login(server, unknown, "x")
    assert locked.status_code == stranger_locked.status_code == 429
    assert _answer(locked) == _answer(stranger_locked)
    for answer in (locked, stranger_locked):
        assert 800 < int(answer.headers["Retry-After"]) <= 900


def test_login_by_formatted_snils_phone_and_email(make_person, server) -> None:
    person = make_person(login=False)
    for login in (
        format_snils(person.snils),
        person.phone,
        person.email.replace("example.org", "Example.ORG"),
    ):
        answer = httpx.post(server.url + Paths.LOGIN, json={"login": login, "password": PASSWORD})
        assert answer.status_code == 200, login
        assert answer.json()["token_type"] == "bearer"


def test_five_failures_lock_the_login_with_retry_after(make_person, server) -> None:
    person = make_person(login=False)
    for _ in range(5):
        wrong = httpx.post(
            server.url + Paths.LOGIN, json={"login": person.snils, "password": "wrong"}
        )
        assert wrong.status_code == 401
        assert wrong.json()["message"] == LOGIN_REFUSED
    locked = httpx.post(
        server.url + Paths.LOGIN, json={"login": person.snils, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert 800 < int(locked.headers["Retry-After"]) <= 900
    assert "Повторите через 15 минут" in locked.json()["message"]


def test_a_bad_token_is_unauthorized(server) -> None:
    answer = httpx.get(server.url + Paths.ME, headers={"Authorization": "Bearer nonsense"})
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthorized"
    missing = httpx.get(server.url + Paths.ME)
    assert missing.status_code == 401 and missing.json()["code"] == "unauthorized"
    # RFC 6750: both say how to authenticate.
    assert answer.headers["WWW-Authenticate"] == missing.headers["WWW-Authenticate"] == "Bearer"


def test_qr_login_hands_the_token_out_once_after_approval(make_person, server, registry_db) -> None:
    person = make_person(login=False)
    qr = httpx.post(server.url + Paths.QR).json()
    status = server.url + Paths.QR_STATUS.format(code=qr["code"])
    assert httpx.get(status).json() == {"state": "pending", "token": None}
    with registry_db.write() as session:
        employee = next(e for e in active_employees(session) if e.snils == person.snils)
        assert approve_qr(session, qr["code"], employee.id)
    approved = httpx.get(status).json()
    assert approved["state"] == "approved"
    token = approved["token"]["access_token"]
    me = httpx.get(server.url + Paths.ME, headers={"Authorization": f"Bearer {token}"})
    assert me.json()["snils"] == person.snils
    assert httpx.get(status).json()["state"] == "expired"


def test_a_removed_employee_can_no_longer_log_in(make_person, server) -> None:
    person = make_person()
    result = CliRunner().invoke(
        main,
        [
            "employee",
            "remove",
            "--db",
            server.db_url,
            "--snils",
            person.snils,
            "--reason",
            "уволен",
        ],
    )
    assert result.exit_code == 0, result.output
    assert person.client.get(Paths.ME).status_code == 401
    again = httpx.post(server.url + Paths.LOGIN, json={"login": person.snils, "password": PASSWORD})
    assert again.status_code == 401
    assert again.json()["message"] == LOGIN_REFUSED


def test_person_a_cannot_read_or_change_anything_of_b(make_person) -> None:
    a, b = make_person(), make_person()
    app = a.create_application()
    document = a.upload(pdf()).json()
    a.client.post(
        Paths.APPLICATION_DOCUMENTS.format(id=app["id"]), json={"document_id": document["id"]}
    ).raise_for_status()
    app_id = app["id"]
    refused = [
        b.client.get(Paths.APPLICATION.format(id=app_id)),
        b.client.post(Paths.APPLICATION_DOCUMENTS.format(id=app_id), json={"document_id": "x"}),
        b.client.delete(Paths.APPLICATION_DOCUMENT.format(id=app_id, document_id=document["id"])),
        b.submit(app_id),
        b.client.post(Paths.APPLICATION_CANCEL.format(id=app_id)),
        b.client.get(Paths.IDEMPOTENCY.format(key=app_id)),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    assert all(r.json()["code"] == "not_found" for r in refused)
    own = b.create_application()
    foreign_doc = b.client.post(
        Paths.APPLICATION_DOCUMENTS.format(id=own["id"]), json={"document_id": document["id"]}
    )
    assert foreign_doc.status_code == 404
    assert b.client.get(Paths.APPLICATIONS).json() == [own]
    assert document["id"] not in {d["id"] for d in b.client.get(Paths.DOCUMENTS).json()}
    job = a.client.get("/api/v1/me/employment").json()[0]
    hijack = b.client.put(
        f"/api/v1/me/employment/{job['id']}", json=job, headers={"If-Match": '"1"'}
    )
    assert hijack.status_code == 404
    assert all(c["application_id"] != app_id for c in b.client.get(Paths.CHANGES).json()["changes"])
    # Creating with A's id tells B no more than reading it does: not found, not «taken».
    taken = b.client.post(
        Paths.APPLICATIONS, json=application_body(id=app_id), headers={"Idempotency-Key": "k"}
    )
    assert taken.status_code == 404, taken.text
    assert taken.json()["code"] == "not_found"


def test_an_own_application_id_under_a_new_key_is_a_conflict(make_person) -> None:
    a = make_person()
    app = a.create_application()
    again = a.client.post(
        Paths.APPLICATIONS, json=application_body(id=app["id"]), headers={"Idempotency-Key": "k2"}
    )
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "already_exists"

"""Applications through a real server: idempotent creation and submission, documents, limits."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import select

from frmr.contract.protocol import Paths
from frmr.model.rules.errors import VALIDATION_ERROR
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.registry.tables import Application, IdempotencyRecord

from .conftest import application_body, pdf


def _count_applications(registry_db: Any, app_id: str) -> int:
    with registry_db.read() as session:
        return len(session.exec(select(Application).where(Application.id == app_id)).all())


def test_repeated_create_with_one_key_answers_the_same(make_person, registry_db) -> None:
    person = make_person()
    body = application_body()
    headers = {"Idempotency-Key": body["id"]}
    first = person.client.post(Paths.APPLICATIONS, json=body, headers=headers)
    second = person.client.post(Paths.APPLICATIONS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first.json()["status"] == "formed"
    assert first.json()["number"].startswith("ФРМР-")
    assert _count_applications(registry_db, body["id"]) == 1


def test_concurrent_creates_with_one_key_make_one_application(make_person, registry_db) -> None:
    person = make_person()
    body = application_body()
    barrier = threading.Barrier(4)
    answers: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=str(person.client.base_url), timeout=30) as client:
            barrier.wait()
            answers.append(
                client.post(
                    Paths.APPLICATIONS,
                    json=body,
                    headers={
                        "Idempotency-Key": body["id"],
                        "Authorization": person.client.headers["Authorization"],
                    },
                )
            )

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json()["number"] for a in answers}) == 1
    assert _count_applications(registry_db, body["id"]) == 1


def test_same_key_with_a_different_body_is_refused(make_person) -> None:
    person = make_person()
    body = application_body()
    headers = {"Idempotency-Key": body["id"]}
    assert person.client.post(Paths.APPLICATIONS, json=body, headers=headers).status_code == 201
    changed = {**body, "comment": "другое"}
    answer = person.client.post(Paths.APPLICATIONS, json=changed, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["code"] == "idempotency_key_reused"


def test_create_without_a_key_is_refused(make_person) -> None:
    answer = make_person().client.post(Paths.APPLICATIONS, json=application_body())
    assert answer.status_code == 400
    assert answer.json()["code"] == "idempotency_key_required"


def test_submit_repeated_after_a_lost_answer_creates_nothing_new(
    make_person, admin, registry_db
) -> None:
    person = make_person()
    app = person.create_application()
    submit_path = Paths.APPLICATION_SUBMIT.format(id=app["id"])
    admin.put(
        Paths.ADMIN_FAULTS,
        json={"drop_after_commit_rate": 1.0, "path_prefix": submit_path, "budget": 1},
    ).raise_for_status()
    key = f"{app['id']}:1"
    with pytest.raises(httpx.TransportError):
        person.submit(app["id"], key)
    stored = person.client.get(Paths.IDEMPOTENCY.format(key=key))
    assert stored.status_code == 200
    assert stored.json()["body"]["status"] == "under_review"
    again = person.submit(app["id"], key)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == stored.json()["body"]
    history = [h["to_status"] for h in again.json()["history"]]
    assert history == ["formed", "under_review"]
    with registry_db.read() as session:
        keys = session.exec(
            select(IdempotencyRecord.key).where(IdempotencyRecord.application_id == app["id"])
        ).all()
    assert sorted(keys) == sorted([app["id"], key])


def test_submit_of_a_submitted_application_with_a_new_key_is_refused(make_person) -> None:
    person = make_person()
    app = person.create_application()
    assert person.submit(app["id"], f"{app['id']}:1").status_code == 200
    again = person.submit(app["id"], f"{app['id']}:2")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_refused"


def test_same_content_twice_is_the_same_document(make_person) -> None:
    person = make_person()
    content = pdf()
    first = person.upload(content, "диплом.pdf")
    second = person.upload(content, "копия.pdf")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["file_name"] == "диплом.pdf"
    assert first.json()["media_type"] == "application/pdf"


def test_upload_with_a_wrong_checksum_is_refused(make_person) -> None:
    person = make_person()
    answer = person.client.post(
        Paths.DOCUMENTS,
        content=pdf(),
        headers={"X-Content-SHA256": "0" * 64, "X-Document-Id": str(uuid.uuid4())},
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "checksum_mismatch"


def test_a_file_not_pdf_jpeg_or_png_is_refused(make_person) -> None:
    answer = make_person().upload(b"\x7fELF\x02\x01\x01\x00" + b"0" * 100, "a.pdf")
    assert answer.status_code == 422
    assert answer.json()["code"] == "validation_error"


def test_a_file_over_ten_mebibytes_is_refused_with_validation_error(make_person) -> None:
    answer = make_person().upload(pdf(MAX_TOTAL_BYTES + 1))
    assert answer.status_code == 413
    assert answer.json()["code"] == "validation_error"
    assert answer.json()["message"].startswith(VALIDATION_ERROR)


def test_sixth_document_is_rejected_with_validation_error(make_person) -> None:
    person = make_person()
    app = person.create_application()
    attach = Paths.APPLICATION_DOCUMENTS.format(id=app["id"])
    for _ in range(5):
        document = person.upload(pdf()).json()
        assert person.client.post(attach, json={"document_id": document["id"]}).status_code == 201
    sixth = person.upload(pdf()).json()
    answer = person.client.post(attach, json={"document_id": sixth["id"]})
    assert answer.status_code == 422
    assert answer.json()["code"] == "validation_error"
    assert answer.json()["message"].startswith(VALIDATION_ERROR)
    assert (
        len(person.client.get(Paths.APPLICATION.format(id=app["id"])).json()["document_ids"]) == 5
    )


def test_attachments_over_ten_mebibytes_in_total_are_refused(make_person) -> None:
    person = make_person()
    app = person.create_application()
    attach = Paths.APPLICATION_DOCUMENTS.format(id=app["id"])
    big = person.upload(pdf(MAX_TOTAL_BYTES - 100)).json()
    assert person.client.post(attach, json={"document_id": big["id"]}).status_code == 201
    small = person.upload(pdf(101)).json()
    answer = person.client.post(attach, json={"document_id": small["id"]})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(VALIDATION_ERROR)


def test_attaching_a_document_again_changes_nothing(make_person) -> None:
    person = make_person()
    app = person.create_application()
    document = person.upload(pdf()).json()
    attach = Paths.APPLICATION_DOCUMENTS.format(id=app["id"])
    assert person.client.post(attach, json={"document_id": document["id"]}).status_code == 201
    again = person.client.post(attach, json={"document_id": document["id"]})
    assert again.status_code == 200
    assert again.json()["document_ids"] == [document["id"]]
    detached = person.client.delete(
        Paths.APPLICATION_DOCUMENT.format(id=app["id"], document_id=document["id"])
    )
    assert detached.json()["document_ids"] == []


def test_portfolio_problems_refuse_the_submission(make_person) -> None:
    person = make_person()
    jobs = person.client.get("/api/v1/me/employment").json()
    for job in jobs:
        person.client.put(
            f"/api/v1/me/employment/{job['id']}",
            json={**job, "organization": ""},
            headers={"If-Match": f'"{job["version"]}"'},
        ).raise_for_status()
    app = person.create_application()
    answer = person.submit(app["id"])
    assert answer.status_code == 422
    assert answer.json()["code"] == "organization_missing"
    assert answer.json()["message"].startswith("Отсутствуют сведения об организации")
    assert answer.json()["details"]["problems"][0]["code"] == "organization_missing"


def test_cancel_records_the_worker_and_is_idempotent(make_person) -> None:
    person = make_person()
    app = person.create_application()
    cancel = Paths.APPLICATION_CANCEL.format(id=app["id"])
    first = person.client.post(cancel, json={"reason": "передумала"})
    second = person.client.post(cancel)
    assert first.json()["status"] == second.json()["status"] == "cancelled"
    assert [h["actor"] for h in second.json()["history"]] == ["worker", "worker"]

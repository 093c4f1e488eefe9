"""Delivering filed applications, and their cancellations.

Create (idempotent by the application's id), attach its documents, then submit under the
key stored with the intent before the request left (model.applications.delivery); a lost answer
is settled by asking the registry what it answered that key, never by resending blindly.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from frmr.contract.protocol import (
    IDEMPOTENCY_KEY,
    ApplicationCreate,
    ApplicationOut,
    CancelIn,
    IdempotencyRecordOut,
    Paths,
)
from frmr.model.applications import delivery
from frmr.model.documents.library import attached_documents
from frmr.model.report.record import report_agreement
from frmr.model.rules.clock import utcnow
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.statuses import DELIVERED, PENDING_DELIVERY, Actor, ApplicationStatus
from frmr.model.store import sync_rows
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.applications import due_submissions
from frmr.model.store.tables import Application, Document
from frmr.sync.documents_push import remote_document_id
from frmr.sync.errors import RegistryRejected, RegistryUnavailable
from frmr.sync.link import CycleReport, Link, invalid_row, payload

log = logging.getLogger(__name__)

REPLAYED = "Idempotent-Replayed"


def deliver_due(link: Link, report: CycleReport) -> None:
    with link.store.read() as session:
        due = due_submissions(session_connection(session), utcnow())
    for app_id in due:
        try:
            deliver(link, app_id, report)
        except RegistryRejected as error:
            _refuse(link, app_id, error.user_text())
            report.row_errors += 1
        except ValidationError as error:
            _refuse(link, app_id, invalid_row(error))
            report.row_errors += 1


def _refuse(link: Link, app_id: str, message: str) -> None:
    with link.store.write() as session:
        app = session.get(Application, app_id)
        if app is not None:
            delivery.record_refused(session, app, message)
    log.warning("application %s refused: %s", app_id, mask_personal_data(message))
    link.emit("error", {"application_id": app_id, "message": message})


def deliver(link: Link, app_id: str, report: CycleReport) -> None:
    """Create, attach, then submit; a lost answer is settled by asking the registry."""
    with link.store.read() as session:
        app = session.get(Application, app_id)
        if app is None or app.submit_key is None or app.status not in PENDING_DELIVERY:
            return
        documents = attached_documents(session, app.id)
    out = _create(link, app)
    # That the registry has the application is recorded with the next commit (the submit
    # intent or the answer), not in one of its own: one fsync less per application.
    try:
        if ApplicationStatus(out.status) in DELIVERED:
            _record_answer(link, app, out, report)
            return
        _reconcile_documents(link, app, out, documents)
        out = _submit(link, app)
    except BaseException:
        _record_created(link, app.id)
        raise
    _record_answer(link, app, out, report)


def _create(link: Link, app: Application) -> ApplicationOut:
    with link.store.read() as session:
        report_agreed = report_agreement(session)
    body = payload(
        app,
        ApplicationCreate,
        education_level=app.education_level or "",
        report_agreed=report_agreed,
    )
    response = link.client.send(
        "POST",
        Paths.APPLICATIONS,
        json=body.model_dump(mode="json"),
        headers={IDEMPOTENCY_KEY: app.id},
        accept=(409,),
    )
    if response.status_code == 201 and REPLAYED not in response.headers:
        return ApplicationOut.model_validate_json(response.content)
    # A replay (or a 409) describes the past: read what the registry has now.
    return _fetch(link, app.id)


def _record_created(link: Link, app_id: str) -> None:
    """The registry has this application (a cancellation must be sent there)."""
    try:
        with link.store.write() as session:
            row = session.get(Application, app_id)
            if row is not None and row.remote_version is None:
                row.remote_version = 1
                session.add(row)
    except Exception:
        log.exception("recording that the registry has %s failed", app_id)


def _fetch(link: Link, app_id: str) -> ApplicationOut:
    response = link.client.send("GET", Paths.APPLICATION.format(id=app_id))
    return ApplicationOut.model_validate_json(response.content)


def _reconcile_documents(
    link: Link, app: Application, out: ApplicationOut, documents: list[Document]
) -> None:
    wanted = [remote_document_id(link, d.id) for d in documents]
    for document_id in wanted:
        if document_id not in out.document_ids:
            link.client.send(
                "POST",
                Paths.APPLICATION_DOCUMENTS.format(id=app.id),
                json={"document_id": document_id},
            )
    for document_id in out.document_ids:
        if document_id not in wanted:
            link.client.send(
                "DELETE",
                Paths.APPLICATION_DOCUMENT.format(id=app.id, document_id=document_id),
                accept=(404,),
            )


def _probe(link: Link, key: str) -> Callable[[], httpx.Response | None]:
    def ask() -> httpx.Response | None:
        response = link.client.send(
            "GET", Paths.IDEMPOTENCY.format(key=quote(key, safe="")), accept=(404,)
        )
        if response.status_code == 404:
            return None
        record = IdempotencyRecordOut.model_validate_json(response.content)
        log.info("key %s was answered %d before: not resending", key, record.status_code)
        return httpx.Response(
            record.status_code,
            content=json.dumps(record.body).encode(),
            headers={"Content-Type": "application/json", REPLAYED: "true"},
            request=response.request,
        )

    return ask


def _submit(link: Link, app: Application) -> ApplicationOut:
    key = app.submit_key
    assert key is not None
    probe = _probe(link, key)
    if app.sync_attempts > 0:
        # Sent before with this key (then a crash or a lost answer): ask, don't resend.
        earlier = probe()
        if earlier is not None:
            return _answer(link, app.id, earlier)
    with link.store.write() as session:
        row = session.get(Application, app.id)
        if row is None or row.submit_key != key:
            raise RegistryRejected(409, "stale", "Заявление изменилось", "submit key changed")
        row.remote_version = row.remote_version or 1  # created just before
        delivery.record_sending(session, row)
    response = link.client.send(
        "POST",
        Paths.APPLICATION_SUBMIT.format(id=app.id),
        headers={IDEMPOTENCY_KEY: key},
        probe=probe,
        accept=(409,),
    )
    return _answer(link, app.id, response)


def _answer(link: Link, app_id: str, response: httpx.Response) -> ApplicationOut:
    if response.status_code == 409 or response.status_code >= 400:
        # Already past «Сформировано» (e.g. delivered under an earlier key): read it.
        return _fetch(link, app_id)
    return ApplicationOut.model_validate_json(response.content)


def _record_answer(link: Link, app: Application, out: ApplicationOut, report: CycleReport) -> None:
    status = ApplicationStatus(out.status)
    with link.store.write() as session:
        row = session.get(Application, app.id)
        if row is None:
            return
        before = row.status
        row.remote_version = row.remote_version or 1
        due: datetime | None = None
        # «Сформировано» after a submit means the registry did not take it: try again later.
        if status in (ApplicationStatus.NOT_DELIVERED, ApplicationStatus.FORMED):
            due = delivery.record_not_delivered(
                session,
                row,
                actor=Actor.REGISTRY if status is ApplicationStatus.NOT_DELIVERED else Actor.DAEMON,
                reason=out.status_reason,
                delay=link.schedule.resubmit_delay(row),
            )
            report.not_delivered += 1
        else:
            delivery.record_delivered(session, row, number=out.number, sent_version=app.version)
            if status is not ApplicationStatus.UNDER_REVIEW:
                delivery.apply_registry_status(
                    session, row, status, out.status_reason, Actor.REGISTRY
                )
            report.delivered += 1
        after = row.status
        number = row.number
    if after is before:
        return
    if after is ApplicationStatus.NOT_DELIVERED:
        link.status_changed(app.id, number, before, after, next_attempt_at=due)
    else:
        # A submission's answer: it reached the registry, whatever the registry then said.
        said = f"Заявление {number or app.id[:8]} доставлено в ФРМР: «{after.label}»"
        link.status_changed(app.id, number, before, after, message=said)


def fail_due_submissions(link: Link, error: RegistryUnavailable) -> int:
    """The registry can't be reached: every due submission is «Не доставлено» now, with
    its next attempt stored in the row (at least the registry's Retry-After)."""
    changed: list[tuple[str, str | None, ApplicationStatus, datetime | None]] = []
    with link.store.write() as session:
        for app_id in due_submissions(session_connection(session), utcnow()):
            app = session.get_one(Application, app_id)
            before = app.status
            due = delivery.record_not_delivered(
                session,
                app,
                actor=Actor.DAEMON,
                reason=delivery.UNREACHABLE_REASON,
                delay=max(link.schedule.resubmit_delay(app), error.retry_after or 0.0),
            )
            changed.append((app.id, app.number, before, due))
    for app_id, number, before, due in changed:
        if before is not ApplicationStatus.NOT_DELIVERED:
            link.status_changed(
                app_id, number, before, ApplicationStatus.NOT_DELIVERED, next_attempt_at=due
            )
    if changed:
        log.warning("registry unreachable, %d submissions rescheduled: %s", len(changed), error)
    return len(changed)


def push_cancellations(link: Link, report: CycleReport) -> None:
    for app in sync_rows.dirty_rows(link.store, Application):
        if app.status is not ApplicationStatus.CANCELLED:
            continue
        if app.remote_version is not None:
            try:
                response = link.client.send(
                    "POST",
                    Paths.APPLICATION_CANCEL.format(id=app.id),
                    json=CancelIn(reason=app.status_reason).model_dump(mode="json"),
                    accept=(404,),
                )
            except RegistryRejected as error:
                link.row_error(Application, app.id, app.version, error.user_text(), report)
                continue
            # The status was «Отменено» here already; what the daemon did is tell the
            # registry, which no status change would say (404: it never had it).
            if response.status_code != 404:
                link.emit(
                    "cancel_sent",
                    {
                        "application_id": app.id,
                        "number": app.number,
                        "message": f"Заявление {app.number or app.id[:8]}: отмена передана в ФРМР",
                    },
                )
        link.synced(Application, app.id, app.version, app.remote_version, report)

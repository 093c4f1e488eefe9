"""Applications: create, attach documents, submit, cancel; the idempotency look-up."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session, col, delete, select

from frmr.contract.protocol import (
    ApplicationCreate,
    ApplicationOut,
    AttachDocumentIn,
    CancelIn,
    ErrorCode,
    IdempotencyRecordOut,
)
from frmr.model.portfolio.checks import require_consistent
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.limits import check_attachment_set
from frmr.model.rules.statuses import Actor, ApplicationStatus
from frmr.registry import history
from frmr.registry.applications import (
    APPLICATION_NOT_FOUND,
    application_out,
    attached,
    next_number,
    owned,
)
from frmr.registry.deps import PersonDep, ServicesDep
from frmr.registry.errors import ApiError, not_found
from frmr.registry.idempotency import find, request_hash, require_key, run_once
from frmr.registry.portfolio import portfolio_facts
from frmr.registry.tables import Application, ApplicationDocument, Document

log = logging.getLogger(__name__)
router = APIRouter(tags=["applications"])

AppId = Annotated[str, Path(min_length=1, max_length=64)]
# Required, and checked by require_key (400 with its own message; errors.py maps a missing
# one to the same answer).
IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=200)]

NOT_DELIVERED_REASON = "Заявление не доставлено в ФРМР: отправьте его повторно"


def _json(session: Session, application: Application) -> dict[str, object]:
    return application_out(session, application).model_dump(mode="json")


@router.post(
    "/applications",
    response_model=ApplicationOut,
    status_code=201,
    responses={400: {}, 404: {}, 409: {}},
)
def create_application(
    body: ApplicationCreate,
    request: Request,
    person: PersonDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    key = require_key(idempotency_key)
    phone = normalize_phone(body.phone)
    email = normalize_email(body.email)

    def create(session: Session) -> tuple[int, dict[str, object]]:
        now = utcnow()
        application = Application(
            # The contract's fields are the table's columns, the contacts as normalised.
            **body.model_dump(exclude={"phone", "email"}),
            person_id=person,
            number=next_number(session, now.year),
            phone=phone,
            email=email,
            status="",
            created_at=now,
            updated_at=now,
        )
        session.add(application)
        session.flush()
        history.record(session, application, ApplicationStatus.FORMED, Actor.WORKER, None)
        session.flush()
        return 201, _json(session, application)

    return run_once(
        services.db,
        person,
        key,
        request_hash("POST", request.url.path, body.model_dump(mode="json")),
        create,
        application_id=body.id,
        conflict=lambda session: _id_taken(session, person, body.id),
    )


def _id_taken(session: Session, person: str, app_id: str) -> ApiError:
    """409 when the id is the person's own application, 404 when it is someone else's:
    as for every other request naming another person's id, its existence is not told."""
    taken = session.get(Application, app_id)
    if taken is None or taken.person_id != person:
        return not_found(APPLICATION_NOT_FOUND)
    return ApiError(
        409,
        ErrorCode.ALREADY_EXISTS,
        "Заявление с таким идентификатором уже существует",
        details={"id": app_id},
    )


@router.get("/applications", response_model=list[ApplicationOut])
def list_applications(person: PersonDep, services: ServicesDep) -> list[ApplicationOut]:
    with services.db.read() as session:
        applications = session.exec(
            select(Application)
            .where(Application.person_id == person)
            .order_by(col(Application.created_at))
        ).all()
        return [application_out(session, a) for a in applications]


@router.get("/applications/{app_id}", response_model=ApplicationOut)
def get_application(app_id: AppId, person: PersonDep, services: ServicesDep) -> ApplicationOut:
    with services.db.read() as session:
        return application_out(session, owned(session, person, app_id))


def _require_editable(application: Application) -> None:
    status = ApplicationStatus(application.status)
    if not status.is_editable:
        raise ApiError(
            409,
            ErrorCode.APPLICATION_NOT_EDITABLE,
            f"Документы можно менять только у сформированного заявления, а это — «{status.label}»",
            details={"status": status.value},
        )


@router.post(
    "/applications/{app_id}/documents",
    response_model=ApplicationOut,
    status_code=201,
    responses={200: {"model": ApplicationOut, "description": "already attached"}, 409: {}},
)
def attach_document(
    app_id: AppId, body: AttachDocumentIn, person: PersonDep, services: ServicesDep
) -> JSONResponse:
    with services.db.write() as session:
        application = owned(session, person, app_id, lock=True)
        documents = attached(session, app_id, person)
        if any(d.id == body.document_id for d in documents):
            return JSONResponse(_json(session, application), status_code=200)
        _require_editable(application)
        document = session.get(Document, (person, body.document_id))
        if document is None:
            raise not_found("Документ не найден")
        check_attachment_set([d.size for d in documents], [document.size])
        session.add(
            ApplicationDocument(
                application_id=app_id, document_id=document.id, attached_at=utcnow()
            )
        )
        application.updated_at = utcnow()
        session.add(application)
        session.flush()
        return JSONResponse(_json(session, application), status_code=201)


@router.delete(
    "/applications/{app_id}/documents/{document_id}",
    response_model=ApplicationOut,
    responses={409: {}},
)
def detach_document(
    app_id: AppId,
    document_id: Annotated[str, Path(min_length=1, max_length=64)],
    person: PersonDep,
    services: ServicesDep,
) -> ApplicationOut:
    with services.db.write() as session:
        application = owned(session, person, app_id, lock=True)
        _require_editable(application)
        removed = session.execute(
            delete(ApplicationDocument).where(
                col(ApplicationDocument.application_id) == app_id,
                col(ApplicationDocument.document_id) == document_id,
            )
        )
        if removed.rowcount != 1:  # type: ignore[attr-defined]
            raise not_found("Документ не приложен к заявлению")
        application.updated_at = utcnow()
        session.add(application)
        session.flush()
        return application_out(session, application)


@router.post(
    "/applications/{app_id}/submit",
    response_model=ApplicationOut,
    responses={400: {}, 409: {}},
)
def submit_application(
    app_id: AppId,
    request: Request,
    person: PersonDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """File the application: «На рассмотрении», or «Не доставлено» when delivery fails."""
    key = require_key(idempotency_key)

    def submit(session: Session) -> tuple[int, dict[str, object]]:
        application = owned(session, person, app_id, lock=True)
        sizes = [d.size for d in attached(session, app_id, person)]
        current = ApplicationStatus(application.status)
        if current in (ApplicationStatus.FORMED, ApplicationStatus.NOT_DELIVERED):
            require_consistent(portfolio_facts(session, application, sizes), today())
        if services.faults.delivery_fails(session):
            if current is not ApplicationStatus.NOT_DELIVERED:
                history.move(
                    session,
                    application,
                    ApplicationStatus.NOT_DELIVERED,
                    Actor.REGISTRY,
                    NOT_DELIVERED_REASON,
                )
        else:
            history.move(session, application, ApplicationStatus.UNDER_REVIEW, Actor.REGISTRY)
        session.flush()
        return 200, _json(session, application)

    return run_once(
        services.db,
        person,
        key,
        request_hash("POST", request.url.path, None),
        submit,
        application_id=app_id,
    )


@router.post("/applications/{app_id}/cancel", response_model=ApplicationOut, responses={409: {}})
def cancel_application(
    app_id: AppId,
    person: PersonDep,
    services: ServicesDep,
    body: CancelIn | None = None,
) -> ApplicationOut:
    """Cancel by the worker; cancelling a cancelled application answers it as it is."""
    with services.db.write() as session:
        application = owned(session, person, app_id, lock=True)
        if application.status != ApplicationStatus.CANCELLED:
            history.move(
                session,
                application,
                ApplicationStatus.CANCELLED,
                Actor.WORKER,
                body.reason if body else None,
            )
            session.flush()
        return application_out(session, application)


@router.get("/idempotency/{key}", response_model=IdempotencyRecordOut)
def get_idempotency_record(
    key: Annotated[str, Path(min_length=1, max_length=200)],
    person: PersonDep,
    services: ServicesDep,
) -> IdempotencyRecordOut:
    """The answer stored for a key: what a client asks after an unknown outcome."""
    with services.db.read() as session:
        record = find(session, person, key)
    if record is None:
        raise not_found("Запрос с этим ключом не поступал")
    return IdempotencyRecordOut(key=record.key, status_code=record.status_code, body=record.body)

"""Applications on the registry side: numbering, the answer shape, and the lookups."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from frmr.contract.protocol import ApplicationOut
from frmr.registry.db import NUMBER_COUNTER
from frmr.registry.errors import not_found
from frmr.registry.tables import Application, ApplicationDocument, Counter, Document, StatusChange

APPLICATION_NOT_FOUND = "Заявление не найдено"


def next_number(session: Session, year: int) -> str:
    """«ФРМР-2026-000123»: one sequence for the whole registry, under a row lock."""
    result = session.execute(
        update(Counter)
        .where(col(Counter.name) == NUMBER_COUNTER)
        .values(value=col(Counter.value) + 1)
        .returning(col(Counter.value))
    )
    return f"ФРМР-{year}-{int(result.scalar_one()):06d}"


def owned(session: Session, person: str, application_id: str, *, lock: bool = False) -> Application:
    """The person's application, or 404 (also for another person's id)."""
    application = session.get(Application, application_id, with_for_update=lock)
    if application is None or application.person_id != person:
        raise not_found(APPLICATION_NOT_FOUND)
    return application


def attached(session: Session, application_id: str, person: str) -> list[Document]:
    return list(
        session.exec(
            select(Document)
            .join(ApplicationDocument, col(ApplicationDocument.document_id) == col(Document.id))
            .where(
                ApplicationDocument.application_id == application_id,
                Document.person_id == person,
            )
            .order_by(col(ApplicationDocument.attached_at))
        ).all()
    )


def application_out(session: Session, application: Application) -> ApplicationOut:
    changes = session.exec(
        select(StatusChange)
        .where(StatusChange.application_id == application.id)
        .order_by(col(StatusChange.seq))
    ).all()
    # The table's columns are the contract's names; what it does not carry (the person) is
    # left out.
    return ApplicationOut.model_validate(
        {
            **application.model_dump(),
            "document_ids": [
                d.id for d in attached(session, application.id, application.person_id)
            ],
            "history": [c.model_dump() for c in changes],
        }
    )

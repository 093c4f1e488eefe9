"""Finding an application or a document by what a person types: full id, id prefix or number."""

from __future__ import annotations

from sqlmodel import Session, col, select

from frmr.model.rules.errors import NotFound
from frmr.model.store.tables import Application, Document


def find_application(session: Session, ref: str) -> Application:
    ref = ref.strip()
    app = session.get(Application, ref)
    if app is None and ref:
        matches = list(
            session.exec(
                select(Application).where(
                    col(Application.id).startswith(ref) | (Application.number == ref)
                )
            ).all()
        )
        if len(matches) == 1:
            app = matches[0]
        elif len(matches) > 1:
            raise NotFound(
                f"Под «{ref}» подходит несколько заявлений: укажите номер полностью",
                f"application ref {ref!r} is ambiguous",
                code="ambiguous",
            )
    if app is None or app.deleted:
        raise NotFound(f"Заявление «{ref}» не найдено", f"application {ref!r} not found")
    return app


def find_document(session: Session, ref: str) -> Document:
    ref = ref.strip()
    document = session.get(Document, ref)
    if document is None and ref:
        document = session.exec(
            select(Document).where(
                col(Document.sha256).startswith(ref) | col(Document.id).startswith(ref)
            )
        ).first()
    if document is None or document.deleted:
        raise NotFound(f"Документ «{ref}» не найден", f"document {ref!r} not found")
    return document


def application_in_folder(session: Session, folder_name: str) -> Application | None:
    """The live application whose drop folder is `folder_name`, if any."""
    return session.exec(
        select(Application).where(
            Application.folder_name == folder_name,
            Application.deleted == False,  # noqa: E712
        )
    ).first()

"""Finding an application or a document by what a person types: full id, id prefix or number."""

from __future__ import annotations

from sqlmodel import Session, col, select

from frmr.model.rules.errors import NotFound
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.applications import find_application_id
from frmr.model.store.tables import Application, Document


def find_application(session: Session, ref: str) -> Application:
    """The live application `ref` names (model.store.reads.applications.find_application_id)."""
    return session.get_one(Application, find_application_id(session_connection(session), ref))


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

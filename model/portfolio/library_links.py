"""Rows that point at a file of the document library: the portfolio's additional documents.

A link is typed like any document reference (a full id, an id prefix or a sha256 prefix,
model.store.lookup; its shape is checked by model.portfolio.collections), stored as the
document's id, and shown by the file's name (model.store.reads.portfolio).
"""

from __future__ import annotations

from sqlmodel import Session

from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.store.lookup import find_document
from frmr.model.store.tables import Document


def resolve_document(session: Session, ref: str, *, field: str) -> Document:
    """The live library document `ref` names, or FieldInvalid on the field that holds it."""
    try:
        return find_document(session, ref)
    except NotFound as error:
        raise FieldInvalid(
            f"Документа «{ref}» нет в библиотеке: добавьте файл в папку документов "
            "или командой «frmr documents add»",
            f"linked document {ref!r} not found",
            field=field,
        ) from error

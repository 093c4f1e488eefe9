"""Rows that point at a file of the document library: the portfolio's additional documents.

A link is typed like any document reference (a full id, an id prefix or a sha256 prefix,
model.store.lookup), stored as the document's id, and shown by the file's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.rules.limits import format_size
from frmr.model.store.account import Account
from frmr.model.store.lookup import find_document
from frmr.model.store.tables import Document

# An id is 36 characters and a sha256 64: a longer reference is no reference at all.
MAX_REFERENCE = 64


def parse_document_reference(value: str) -> str:
    """What was typed, checked for shape only; the library is asked when the row is saved."""
    ref = value.strip()
    if len(ref) > MAX_REFERENCE or not ref.isascii() or not ref.replace("-", "").isalnum():
        raise FieldInvalid(
            "Укажите документ библиотеки: его номер из «frmr documents list»",
            f"document reference {ref[:80]!r} is not an id or a hash",
            field="document_id",
        )
    return ref


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


def document_label(document: Document) -> str:
    """How a linked file reads in lists and pickers: its name, then its size."""
    return f"{document.file_name} ({format_size(document.size)})"


@dataclass(frozen=True)
class LibraryChoice:
    id: str
    label: str


def library_choices(account: Account) -> list[LibraryChoice]:
    """Every live document of the library, newest first, as a picker offers them."""
    with account.store.read() as session:
        documents = session.exec(
            select(Document)
            .where(Document.deleted == False)  # noqa: E712
            .order_by(col(Document.imported_at).desc())
        ).all()
    return [LibraryChoice(d.id, document_label(d)) for d in documents]


def document_names(account: Account, ids: set[str]) -> dict[str, str]:
    """The file name of each document in `ids`, as a list shows a link (tombstoned ones too:
    a link may outlive a file)."""
    if not ids:
        return {}
    with account.store.read() as session:
        documents = session.exec(select(Document).where(col(Document.id).in_(ids))).all()
    return {d.id: d.file_name for d in documents}

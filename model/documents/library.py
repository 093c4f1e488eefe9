"""The document library: importing files by content, attaching them to applications."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlmodel import Session, col, select

from frmr.model.rules.errors import NotFound, UnsupportedFileType
from frmr.model.rules.filetypes import SNIFF_BYTES, FileKind
from frmr.model.rules.limits import (
    STAT_BLOCK_BYTES,
    check_allocated,
    check_attachment_set,
    check_file,
)
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.statuses import check_attachments_open
from frmr.model.store.account import Account
from frmr.model.store.blobs import NotRegularFile, open_source
from frmr.model.store.engine import session_connection
from frmr.model.store.lookup import find_application, find_document
from frmr.model.store.reads.applications import ATTACHMENT_ORDER
from frmr.model.store.reads.documents import LibraryDocument, library_documents
from frmr.model.store.tables import Application, Attachment, Document


@dataclass(frozen=True)
class ImportResult:
    document: LibraryDocument
    created: bool


class Counted(Protocol):
    """What the attachment limits need of a document: a stored row or its record."""

    @property
    def id(self) -> str: ...

    @property
    def size(self) -> int: ...


def library_record(document: Document) -> LibraryDocument:
    """The plain record of a row, for callers outside the transaction that wrote it."""
    return LibraryDocument(
        document.id, document.sha256, document.file_name, document.size, document.kind,
        document.title, document.imported_at, document.checklist_item,
    )  # fmt: skip


def _read_head(path: Path) -> tuple[os.stat_result, bytes]:
    # Judged on the open descriptor (model.store.blobs.open_source): a FIFO or a link swapped in
    # after a stat can neither block this read nor redirect it.
    try:
        fd = open_source(path)
    except NotRegularFile as error:
        raise UnsupportedFileType(
            f"«{path.name}» — не обычный файл (ссылка или папка)",
            f"{mask_personal_data(path.name)!r} is not a regular file",
            fix="Положите в папку сам файл, а не ссылку на него",
            details={"name": path.name},
        ) from error
    with os.fdopen(fd, "rb") as f:
        return os.fstat(f.fileno()), f.read(SNIFF_BYTES)


def check_source_file(path: Path) -> int:
    """Everything that can be known about a file before copying it; returns its size."""
    st, head = _read_head(path)
    check_allocated(st.st_size, st.st_blocks * STAT_BLOCK_BYTES, path.name)
    check_file(st.st_size, head, path.name)
    return st.st_size


def import_file(account: Account, path: Path, *, title: str | None = None) -> ImportResult:
    """Copy a file into the library (the original is only read); same content → same document."""
    check_source_file(path)
    blob = account.store.blobs.put_file(path)
    # Checked again on the bytes actually copied: the file may have changed meanwhile.
    kind = check_file(blob.size, blob.head, path.name)
    with account.store.write() as session:
        existing = session.exec(select(Document).where(Document.sha256 == blob.sha256)).first()
        document, created = in_library(
            session, existing, blob.sha256, blob.size, kind, path.name, title, str(path)
        )
        return ImportResult(library_record(document), created)


def in_library(
    session: Session,
    existing: Document | None,
    sha256: str,
    size: int,
    kind: FileKind,
    file_name: str,
    title: str | None = None,
    source_path: str | None = None,
) -> tuple[Document, bool]:
    """The library's document of these bytes (same content, same document): `existing`, back
    in the library if it was removed (a new version, so the registry hears it), or a new one.
    True when it is new."""
    if existing is None:
        document = Document(
            sha256=sha256,
            size=size,
            kind=kind,
            file_name=file_name,
            title=title,
            source_path=source_path,
        )
        session.add(document)
        return document, True
    if existing.deleted:
        existing.deleted = False
        existing.touch()
        session.add(existing)
    return existing, False


def list_documents(account: Account) -> list[LibraryDocument]:
    """The live library, oldest first (model.store.reads.documents)."""
    with account.store.read() as session:
        return library_documents(session_connection(session))


def attached_documents(session: Session, application_id: str) -> list[Document]:
    rows = session.exec(
        select(Document)
        .join(Attachment, col(Attachment.document_id) == col(Document.id))
        .where(Attachment.application_id == application_id, Attachment.deleted == False)  # noqa: E712
        .order_by(text(ATTACHMENT_ORDER))
    )
    return list(rows)


def _require_editable(app: Application) -> None:
    check_attachments_open(app.status, app.id)


def attach_in_session(session: Session, app: Application, documents: Sequence[Counted]) -> None:
    """Attach inside an open write transaction; the limits count what is already attached."""
    _require_editable(app)
    current = attached_documents(session, app.id)
    current_ids = {d.id for d in current}
    adding = [d for d in documents if d.id not in current_ids]
    check_attachment_set([d.size for d in current], [d.size for d in adding])
    for document in adding:
        link = session.exec(
            select(Attachment).where(
                Attachment.application_id == app.id, Attachment.document_id == document.id
            )
        ).first()
        if link is None:
            link = Attachment(application_id=app.id, document_id=document.id)
        else:
            link.deleted = False
            link.touch()
        session.add(link)
    if adding:
        app.touch()
        session.add(app)


def attach_files(
    account: Account, application_ref: str, paths: Sequence[Path]
) -> list[LibraryDocument]:
    """Import and attach; every file and the limits are checked before anything is copied."""
    sizes = [check_source_file(p) for p in paths]
    with account.store.read() as session:
        app = find_application(session, application_ref)
        _require_editable(app)
        current = attached_documents(session, app.id)
    check_attachment_set([d.size for d in current], sizes)
    documents = [import_file(account, p).document for p in paths]
    with account.store.write() as session:
        app = find_application(session, app.id)
        attach_in_session(session, app, documents)
    return documents


def detach_in_session(session: Session, app: Application, document_id: str) -> bool:
    """Detach inside an open write transaction; False when the document was not attached.
    The caller has checked that the application is editable."""
    link = session.exec(
        select(Attachment).where(
            Attachment.application_id == app.id,
            Attachment.document_id == document_id,
            Attachment.deleted == False,  # noqa: E712
        )
    ).first()
    if link is None:
        return False
    if link.synced_version == 0:
        session.delete(link)  # the registry never heard of it
    else:
        link.deleted = True  # a tombstone, so the registry hears of the detach
        link.touch()
        session.add(link)
    app.touch()
    session.add(app)
    return True


def detach_document(account: Account, application_ref: str, document_ref: str) -> None:
    with account.store.write() as session:
        app = find_application(session, application_ref)
        _require_editable(app)
        document = find_document(session, document_ref)
        if not detach_in_session(session, app, document.id):
            raise NotFound("Документ не приложен к заявлению", "attachment not found")

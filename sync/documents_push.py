"""Documents: the library's files uploaded by content (the registry answers a repeat of the
same bytes with the id it gave first), then the portfolio's additional documents, which name
an uploaded file by the registry's id and hash."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import ValidationError

from frmr.contract.protocol import (
    COLLECTIONS,
    CONTENT_SHA256,
    DOCUMENT_ID,
    FILE_NAME,
    DocumentOut,
    Paths,
)
from frmr.model.rules.limits import MAX_TOTAL_BYTES, format_size
from frmr.model.store import sync_rows
from frmr.model.store.tables import AdditionalDocument, Document
from frmr.sync.errors import RegistryRejected
from frmr.sync.link import CycleReport, Link, invalid_row
from frmr.sync.profile_push import push_item

ADDITIONAL_DOCUMENTS = "additional-documents"


class FileRefused(Exception):
    """An additional document can't be pushed because of its file; the text is Russian."""


def push_documents(link: Link, report: CycleReport) -> None:
    for document in sync_rows.dirty_rows(link.store, Document):
        if document.deleted:
            # The contract has no document delete: the registry keeps what it received.
            sync_rows.mark_synced(
                link.store, Document, document.id, document.version, document.remote_version
            )
            continue
        try:
            _upload(link, document, report)
        except RegistryRejected as error:
            link.row_error(Document, document.id, document.version, error.user_text(), report)


def _upload(link: Link, document: Document, report: CycleReport) -> None:
    response = link.client.send(
        "POST",
        Paths.DOCUMENTS,
        upload=link.store.blobs.path_for(document.sha256),
        headers={
            CONTENT_SHA256: document.sha256,
            DOCUMENT_ID: document.id,
            FILE_NAME: quote(document.file_name, safe=""),
            "Content-Type": document.kind.media_type,
        },
    )
    out = DocumentOut.model_validate_json(response.content)
    if out.id != document.id:
        # The same bytes were uploaded before under another id: attach that one.
        with link.store.write() as session:
            sync_rows.set_sync_state(session, sync_rows.remote_document_key(document.id), out.id)
    link.synced(Document, document.id, document.version, 1, report)


def remote_document_id(link: Link, document_id: str) -> str:
    """The registry's id of a document the store uploaded."""
    key = sync_rows.remote_document_key(document_id)
    return sync_rows.sync_state(link.store, key) or document_id


def push_additional_documents(link: Link, report: CycleReport) -> None:
    """After the uploads: an item names its file by the registry's id and hash, so one
    whose file is not uploaded yet waits for a later cycle."""
    for row in sync_rows.dirty_rows(link.store, AdditionalDocument):
        try:
            if row.deleted:
                push_item(link, report, AdditionalDocument, ADDITIONAL_DOCUMENTS, row)
            elif (body := _additional_document_body(link, row)) is not None:
                push_item(link, report, AdditionalDocument, ADDITIONAL_DOCUMENTS, row, body)
        except RegistryRejected as error:
            link.row_error(AdditionalDocument, row.id, row.version, error.user_text(), report)
        except (ValidationError, FileRefused) as error:
            message = str(error) if isinstance(error, FileRefused) else invalid_row(error)
            link.row_error(AdditionalDocument, row.id, row.version, message, report)


def _additional_document_body(link: Link, row: AdditionalDocument) -> dict[str, Any] | None:
    """The item as the contract carries it; None while its file waits to be uploaded."""
    with link.store.read() as session:
        document = session.get(Document, row.document_id)
    if document is None:
        raise FileRefused("Файл документа не найден в библиотеке")
    if document.sync_error is not None:
        raise FileRefused(f"Файл «{document.file_name}» не принят ФРМР: {document.sync_error}")
    if document.size > MAX_TOTAL_BYTES:
        raise FileRefused(
            f"Файл «{document.file_name}» ({format_size(document.size)}) больше "
            f"{format_size(MAX_TOTAL_BYTES)} и в ФРМР не отправляется: выберите его сжатую "
            "копию (frmr pack)"
        )
    if document.synced_version == 0:
        return None
    body = COLLECTIONS[ADDITIONAL_DOCUMENTS].model_validate(
        {
            "name": row.name,
            "part": row.part.value,
            "document_id": remote_document_id(link, document.id),
            "sha256": document.sha256,
        }
    )
    return body.model_dump(mode="json")

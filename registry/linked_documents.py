"""Portfolio items that name an uploaded document (the additional documents): the document
must be the person's own, with the content the client names."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from frmr.contract.protocol import AdditionalDocument, ErrorCode
from frmr.registry.errors import ApiError
from frmr.registry.tables import Document

NOT_UPLOADED = "Файл дополнительного документа не загружен в ФРМР: загрузите его и повторите"


def check_linked_document(session: Session, person: str, body: Any) -> None:
    """Refuse an additional document whose file the registry does not hold for this person."""
    if not isinstance(body, AdditionalDocument):
        return
    document = session.get(Document, (person, body.document_id))
    if document is None or document.sha256 != body.sha256:
        raise ApiError(
            422,
            ErrorCode.VALIDATION_ERROR,
            NOT_UPLOADED,
            details={"field": "document_id", "document_id": body.document_id},
        )

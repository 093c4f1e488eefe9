"""Document upload: the body is the file itself, streamed, checked by size, content and hash."""

from __future__ import annotations

import hashlib
import logging
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from frmr.contract.protocol import RETRY_AFTER, DocumentOut, ErrorCode
from frmr.model.rules.clock import utcnow
from frmr.model.rules.errors import UploadLimitExceeded
from frmr.model.rules.filetypes import SNIFF_BYTES
from frmr.model.rules.limits import MAX_TOTAL_BYTES, check_file
from frmr.model.rules.masking import mask_personal_data
from frmr.registry.db import Database
from frmr.registry.deps import PersonDep, Services, ServicesDep
from frmr.registry.errors import ApiError, frmr_error_details
from frmr.registry.tables import Document

log = logging.getLogger(__name__)
router = APIRouter(prefix="/documents", tags=["documents"])

UPLOAD_RETRY_AFTER_SECONDS = 2


def document_out(document: Document) -> DocumentOut:
    # The contract's fields by name: never the content.
    return DocumentOut.model_validate(document, from_attributes=True)


@router.get("", response_model=list[DocumentOut])
def list_documents(person: PersonDep, services: ServicesDep) -> list[DocumentOut]:
    with services.db.read() as session:
        documents = session.exec(
            select(Document).where(Document.person_id == person).order_by(col(Document.created_at))
        ).all()
    return [document_out(d) for d in documents]


@router.post(
    "",
    response_model=DocumentOut,
    status_code=201,
    responses={
        200: {"model": DocumentOut, "description": "the same content, stored before"},
        503: {"description": "too many uploads at once: send again after Retry-After"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("application/pdf", "image/jpeg", "image/png")
            },
        }
    },
)
async def upload_document(
    request: Request,
    person: PersonDep,
    services: ServicesDep,
    content_sha256: Annotated[str, Header(alias="X-Content-SHA256", pattern=r"^[0-9a-fA-F]{64}$")],
    document_id: Annotated[str, Header(alias="X-Document-Id", min_length=1, max_length=64)],
    file_name: Annotated[str, Header(alias="X-File-Name", max_length=1000)] = "document",
) -> JSONResponse:
    if not services.uploads.take(person):
        raise ApiError(
            503,
            ErrorCode.UNAVAILABLE,
            "ФРМР сейчас принимает много файлов: отправка будет повторена через несколько секунд",
            headers={RETRY_AFTER: str(UPLOAD_RETRY_AFTER_SECONDS)},
        )
    try:
        return await _receive(request, person, services, content_sha256, document_id, file_name)
    finally:
        services.uploads.give_back(person)


async def _receive(
    request: Request,
    person: str,
    services: Services,
    content_sha256: str,
    document_id: str,
    file_name: str,
) -> JSONResponse:
    name = unquote(file_name) or "document"
    digest = hashlib.sha256()
    # One growing buffer, not a list of 64 KiB chunks: a large block goes back to the system
    # when freed, many small ones stay in the allocator's arenas.
    buffer = bytearray()
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        # Past the limit the rest (bodies.UPLOAD_BODY_BYTES bounds it) is read and thrown
        # away, so the client, still sending, gets the refusal rather than a reset connection.
        if size <= MAX_TOTAL_BYTES:
            digest.update(chunk)
            buffer += chunk
    content = bytes(buffer)
    del buffer
    try:
        kind = check_file(size, content[:SNIFF_BYTES], name)
    except UploadLimitExceeded as error:
        raise ApiError(
            413, error.code, error.user_message, details=frmr_error_details(error)
        ) from None
    sha256 = digest.hexdigest()
    if sha256 != content_sha256.lower():
        raise ApiError(
            422,
            ErrorCode.CHECKSUM_MISMATCH,
            "Файл повреждён при передаче: контрольная сумма не совпала. Отправьте его снова",
            details={"expected": content_sha256.lower(), "actual": sha256},
        )
    document = Document(
        person_id=person,
        id=document_id,
        sha256=sha256,
        size=size,
        media_type=kind.media_type,
        file_name=name,
        content=content,
        created_at=utcnow(),
    )
    stored, created = await run_in_threadpool(_store, services.db, document)
    if created:
        log.info("document %s stored: %s, %d bytes", stored.id, kind.value, size)
    else:
        log.info("document %s is a repeat of %s", mask_personal_data(document_id), stored.id)
    return JSONResponse(
        document_out(stored).model_dump(mode="json"), status_code=201 if created else 200
    )


def _same_content(session: Session, person: str, sha256: str) -> Document | None:
    return session.exec(
        select(Document).where(Document.person_id == person, Document.sha256 == sha256)
    ).first()


def _store(db: Database, document: Document) -> tuple[Document, bool]:
    with db.read() as session:
        existing = _same_content(session, document.person_id, document.sha256)
    if existing is not None:
        return existing, False
    try:
        with db.write() as session:
            session.add(document)
        return document, True
    except IntegrityError:
        with db.read() as session:
            existing = _same_content(session, document.person_id, document.sha256)
        if existing is not None:
            return existing, False
        raise ApiError(
            409,
            ErrorCode.ALREADY_EXISTS,
            "Документ с таким идентификатором уже загружен с другим содержимым",
            details={"document_id": document.id},
        ) from None

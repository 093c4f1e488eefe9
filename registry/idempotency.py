"""Idempotency keys: an effect and its key commit in one transaction, or neither does.

The key row is inserted first, so a concurrent request with the same key waits on the
UNIQUE (person, key) constraint and then, on ``IntegrityError``, answers with what the
first one stored. Failures roll back, key included: a refused request may be sent again
with the same key once its cause is fixed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from frmr.contract.protocol import ErrorCode
from frmr.model.rules.clock import utcnow
from frmr.registry.db import Database
from frmr.registry.errors import ApiError, idempotency_key_required
from frmr.registry.tables import IdempotencyRecord

RETENTION = timedelta(days=30)
REPLAYED = "Idempotent-Replayed"

# What an idempotent action returns: the status code and the JSON body of its answer.
Outcome = tuple[int, dict[str, Any]]


def request_hash(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def require_key(key: str | None) -> str:
    if not key or not key.strip():
        raise idempotency_key_required()
    if len(key) > 200:
        raise ApiError(400, ErrorCode.REQUEST_INVALID, "Ключ идемпотентности длиннее 200 символов")
    return key


def find(session: Session, person_id: str, key: str) -> IdempotencyRecord | None:
    return session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.person_id == person_id, IdempotencyRecord.key == key
        )
    ).first()


def run_once(
    db: Database,
    person_id: str,
    key: str,
    fingerprint: str,
    action: Callable[[Session], Outcome],
    *,
    application_id: str | None = None,
    conflict: Callable[[Session], ApiError] | None = None,
) -> JSONResponse:
    """Run ``action`` once per key; a repeat gets the stored answer.

    ``conflict`` makes the answer to an ``IntegrityError`` that is not a concurrent repeat
    (e.g. the id is taken under another key), reading the store as it is after the failure.
    """
    with db.read() as session:
        stored = find(session, person_id, key)
    if stored is not None:
        return _replay(stored, fingerprint)
    try:
        with db.write() as session:
            record = IdempotencyRecord(
                person_id=person_id,
                key=key,
                request_hash=fingerprint,
                application_id=application_id,
                status_code=0,
                created_at=utcnow(),
            )
            session.add(record)
            session.flush()
            status_code, body = action(session)
            record.status_code = status_code
            record.body = body
    except IntegrityError:
        with db.read() as session:
            stored = find(session, person_id, key)
            refusal = conflict(session) if stored is None and conflict is not None else None
        if stored is not None:
            return _replay(stored, fingerprint)
        if refusal is None:
            raise
        raise refusal from None
    return JSONResponse(body, status_code=status_code)


def _replay(stored: IdempotencyRecord, fingerprint: str) -> JSONResponse:
    if stored.request_hash != fingerprint:
        raise ApiError(
            422,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "Ключ идемпотентности уже использован для другого запроса",
            details={"key": stored.key},
        )
    return JSONResponse(stored.body, status_code=stored.status_code, headers={REPLAYED: "true"})


def purge(session: Session, now: datetime) -> None:
    session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < now - RETENTION)
    )

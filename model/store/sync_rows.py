"""Store-side bookkeeping of syncable rows: what is dirty, what the registry acknowledged,
which row it refused, and the sync's own small state (cursor, adoption, remote ids).

The sync engine does the HTTP; these say what the store records afterwards. A row is dirty
while `version > synced_version` (docs/architecture.md), so edits during a push stay dirty.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from frmr.model.rules.clock import utcnow
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.engine import Store, session_connection
from frmr.model.store.reads.applications import due_submissions
from frmr.model.store.tables import Application, Document, SyncColumns, SyncState


def dirty_rows(store: Store, table: type[SyncColumns]) -> list[Any]:
    """Rows edited since the registry last acknowledged them, except those it refused
    (they wait for the worker's next edit, which clears the error)."""
    with store.read() as session:
        return list(session.exec(select(table).where(*_dirty(table))).all())


def has_work(store: Store, pushed: Iterable[type[SyncColumns]]) -> bool:
    """Whether a sync cycle would send something now: a dirty row of the `pushed` tables
    not stuck on a refusal, a cancellation to tell, or a submission due."""
    with store.read() as session:
        for table in pushed:
            if session.exec(select(table.id).where(*_dirty(table))).first():
                return True
        cancelled = session.exec(
            select(Application.id).where(
                *_dirty(Application), Application.status == ApplicationStatus.CANCELLED
            )
        ).first()
        return bool(cancelled) or bool(due_submissions(session_connection(session), utcnow()))


def _dirty(table: type[SyncColumns]) -> tuple[Any, ...]:
    dirty = (col(table.version) > col(table.synced_version), col(table.sync_error).is_(None))
    if table is Document:
        # A file over the whole quota (an original kept beside its packed copy) is the
        # library's only: the registry refuses it by size alone, so it is never sent.
        return (*dirty, col(Document.size) <= MAX_TOTAL_BYTES)
    return dirty


def mark_synced(
    store: Store, table: type[SyncColumns], row_id: str, sent_version: int, remote: int | None
) -> None:
    """The registry acknowledged `sent_version` of the row; a later edit stays dirty."""
    with store.write() as session:
        row = session.get(table, row_id)
        if row is None:
            return
        row.synced_version = max(row.synced_version, sent_version)
        row.remote_version = remote
        row.sync_attempts = 0
        session.add(row)


def record_row_error(
    store: Store, table: type[SyncColumns], row_id: str, sent_version: int, message: str
) -> bool:
    """A visible error on the row, left until the worker edits it (touch clears it). False
    when the row was edited meanwhile: the new version gets its own try."""
    with store.write() as session:
        row = session.get(table, row_id)
        if row is None or row.version != sent_version:
            return False
        row.sync_error = message
        session.add(row)
    return True


def sync_state(store: Store, key: str) -> str | None:
    with store.read() as session:
        row = session.get(SyncState, key)
        return row.value if row else None


def set_sync_state(session: Session, key: str, value: str) -> None:
    """In the caller's transaction: a cursor commits with the changes it covers."""
    session.merge(SyncState(key=key, value=value))


def remote_document_key(document_id: str) -> str:
    """The state key under which the registry's id of an uploaded document is kept, when
    the same bytes were uploaded before under another id."""
    return f"document:{document_id}"

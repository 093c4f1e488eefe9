"""What the intake did with the applications' folders: files refused, attachments a changed
file replaced, files waiting to be packed; and how many applications stand in each status."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from frmr.model.rules.replacements import ReplacementOutcome
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.reads import named_rows, stored_utc

_REFUSED = (
    "SELECT id, file_name, rejected_path, reason, application_id, at FROM rejected_file "
    "WHERE ? IS NULL OR application_id = ? ORDER BY at DESC LIMIT ?"
)
_REPLACED = (
    "SELECT id, application_id, file_name, source_path, outcome, old_document_id, old_sha256, "
    "old_size, new_document_id, new_sha256, new_size, reason, at FROM attachment_replacement "
    "WHERE ? IS NULL OR application_id = ? ORDER BY at DESC, rowid DESC"
)
# Every document taken from a path, removed ones too: the path's file is known at start.
_DROPPED = (
    "SELECT source_path, size, imported_at, id FROM document "
    "WHERE source_path IS NOT NULL AND source_path != '' ORDER BY imported_at, rowid"
)
_QUEUED = (
    "SELECT pack_job.application_id, document.file_name FROM pack_job "
    "JOIN document ON document.id = pack_job.document_id ORDER BY pack_job.queued_at"
)
_BY_STATUS = "SELECT status, count(*) FROM application WHERE NOT deleted GROUP BY status"
_REFUSALS = "SELECT count(*) FROM rejected_file"
_LAST_REFUSAL = "SELECT reason FROM rejected_file ORDER BY at DESC LIMIT 1"


@dataclass(frozen=True)
class RefusedFile:
    """A row of model.store.tables.RejectedFile: a dropped file the intake did not take."""

    id: str
    file_name: str
    rejected_path: str
    reason: str
    application_id: str | None
    at: datetime


@dataclass(frozen=True)
class Replacement:
    """A row of model.store.tables.AttachmentReplacement."""

    id: str
    application_id: str
    file_name: str
    source_path: str
    outcome: ReplacementOutcome
    old_document_id: str
    old_sha256: str
    old_size: int
    new_document_id: str | None
    new_sha256: str | None
    new_size: int | None
    reason: str | None
    at: datetime


def replacement_json(row: Replacement) -> dict[str, object]:
    return {
        "file_name": row.file_name,
        "outcome": row.outcome.value,
        "old": {"document_id": row.old_document_id, "sha256": row.old_sha256, "size": row.old_size},
        "new": {"document_id": row.new_document_id, "sha256": row.new_sha256, "size": row.new_size},
        "reason": row.reason,
        "at": row.at.isoformat(),
    }


def refused_files(
    conn: sqlite3.Connection, limit: int = -1, application_id: str | None = None
) -> list[RefusedFile]:
    """Newest first; the first `limit` (all when negative); only those refused from
    `application_id`'s folder when given."""
    return [
        RefusedFile(str(i), str(name), str(path), str(reason), app, stored_utc(at))
        for i, name, path, reason, app, at in conn.execute(
            _REFUSED, (application_id, application_id, limit)
        )
    ]


def replacements(conn: sqlite3.Connection, application_id: str | None = None) -> list[Replacement]:
    """The history of replaced attachments, newest first; of one application when given."""
    return [
        Replacement(**{**r, "outcome": ReplacementOutcome(r["outcome"]), "at": stored_utc(r["at"])})
        for r in named_rows(conn, _REPLACED, application_id, application_id)
    ]


def latest_replacements(conn: sqlite3.Connection) -> dict[str, Replacement]:
    """The newest history row of each path: where a refused new version left the old
    attachment in place, the path's absence must not detach it."""
    newest: dict[str, Replacement] = {}
    for row in replacements(conn):
        newest.setdefault(row.source_path, row)
    return newest


@dataclass(frozen=True)
class DroppedDocument:
    """A document the intake took from a path, with what it knew of the file then."""

    source_path: str
    size: int
    imported_at: datetime
    id: str


def dropped_documents(conn: sqlite3.Connection) -> list[DroppedDocument]:
    return [
        DroppedDocument(str(path), int(size), stored_utc(at), str(doc_id))
        for path, size, at, doc_id in conn.execute(_DROPPED)
    ]


def queued_files(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Per application, the names of the files waiting to be packed, in queue order."""
    waiting: dict[str, list[str]] = {}
    for application_id, file_name in conn.execute(_QUEUED):
        waiting.setdefault(str(application_id), []).append(str(file_name))
    return waiting


@dataclass(frozen=True)
class StatusCounts:
    by_status: dict[ApplicationStatus, int]
    rejected_files: int
    # The newest refusal's reason (it names the file): a status says why, not only how many.
    last_rejected: str | None = None

    @property
    def queued(self) -> int:
        """Waiting for the daemon to send them."""
        return self.by_status.get(ApplicationStatus.QUEUED, 0)

    @property
    def not_delivered(self) -> int:
        """«Не доставлено»: the daemon keeps resubmitting these."""
        return self.by_status.get(ApplicationStatus.NOT_DELIVERED, 0)


def status_counts(conn: sqlite3.Connection) -> StatusCounts:
    """One count, read by the daemon's `status` answer and the TUI's header alike."""
    by_status = {ApplicationStatus(s): int(n) for s, n in conn.execute(_BY_STATUS)}
    (refused,) = conn.execute(_REFUSALS).fetchone()
    last = conn.execute(_LAST_REFUSAL).fetchone()
    return StatusCounts(by_status, int(refused), str(last[0]) if last else None)

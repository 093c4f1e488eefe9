"""Courses proposed from dropped documents (model.portfolio.proposal_view), oldest first."""

from __future__ import annotations

import sqlite3

from frmr.model.portfolio.proposal_view import (
    OPEN,
    VIEW_COLUMNS,
    Proposal,
    ProposalStatus,
    proposal_view,
)
from frmr.model.store.reads import stored_utc

_COLUMNS = ", ".join(f"course_proposal.{name}" for name in VIEW_COLUMNS)
_PROPOSALS = (
    f"SELECT document.file_name, {_COLUMNS} FROM course_proposal "
    "JOIN document ON document.id = course_proposal.document_id"
)
_ORDER = " ORDER BY course_proposal.queued_at, course_proposal.rowid"
_QUEUED = f"SELECT document_id FROM course_proposal WHERE status = ?{_ORDER}"


def read_proposals(conn: sqlite3.Connection, *, everything: bool = False) -> list[Proposal]:
    """Proposals waiting for the doctor; with `everything`, decided and unread ones too."""
    wanted = [] if everything else [status.value for status in OPEN]
    where = f" WHERE course_proposal.status IN ({', '.join('?' * len(wanted))})" if wanted else ""
    views = []
    for file_name, *stored in conn.execute(_PROPOSALS + where + _ORDER, wanted):
        columns = dict(zip(VIEW_COLUMNS, stored, strict=True))
        columns["status"] = ProposalStatus(columns["status"])
        columns["ocr"] = bool(columns["ocr"])
        columns["read_at"] = stored_utc(columns["read_at"]) if columns["read_at"] else None
        views.append(proposal_view(str(file_name), columns))
    return views


def queued_readings(conn: sqlite3.Connection) -> list[str]:
    """The documents waiting to be read, oldest first (what a stopped daemon left)."""
    return [str(document) for (document,) in conn.execute(_QUEUED, (ProposalStatus.QUEUED,))]

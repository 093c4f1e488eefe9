"""Status changes with the applications they moved: what the notifier tells the doctor."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from frmr.model.rules.statuses import DECISIONS, PENDING_DELIVERY, Actor, ApplicationStatus
from frmr.model.store.reads import stored_utc
from frmr.model.store.reads.applications import (
    APPLICATION_COLUMNS,
    ApplicationRow,
    application_row,
)

_CHANGES = (
    "SELECT status_change.id, status_change.at, status_change.to_status, status_change.reason, "
    f"{APPLICATION_COLUMNS} FROM status_change "
    "JOIN application ON application.id = status_change.application_id "
    "WHERE NOT application.deleted "
)
_ORDER = " ORDER BY status_change.at, status_change.rowid"


def _marks(values: Collection[ApplicationStatus]) -> str:
    return ", ".join("?" * len(values))


_DECISIONS = (
    _CHANGES + "AND status_change.actor = ? "
    f"AND status_change.to_status IN ({_marks(DECISIONS)}) AND status_change.at >= ?" + _ORDER
)
# The newest move into «В очереди» of each application still waiting to be delivered.
_FILINGS = (
    _CHANGES + f"AND application.status IN ({_marks(PENDING_DELIVERY)}) "
    "AND status_change.rowid = (SELECT filed.rowid FROM status_change AS filed "
    "WHERE filed.application_id = application.id AND filed.to_status = ? "
    "ORDER BY filed.at DESC, filed.rowid DESC LIMIT 1)" + _ORDER
)


@dataclass(frozen=True)
class Transition:
    """A row of model.store.tables.StatusChange and the live application it moved."""

    id: str
    at: datetime
    to_status: ApplicationStatus
    reason: str | None
    application: ApplicationRow


def _stored(at: datetime) -> str:
    # How model.store.tables.types.UtcDateTime stores it, so SQLite compares it as text.
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _transitions(conn: sqlite3.Connection, sql: str, *params: str) -> list[Transition]:
    return [
        Transition(str(i), stored_utc(at), ApplicationStatus(to), reason, application_row(app))
        for i, at, to, reason, *app in conn.execute(sql, params)
    ]


def decisions(conn: sqlite3.Connection, since: datetime) -> list[Transition]:
    """The registry's decisions recorded since `since`, oldest first."""
    return _transitions(
        conn, _DECISIONS, Actor.REGISTRY.value, *(s.value for s in DECISIONS), _stored(since)
    )


def filings(conn: sqlite3.Connection) -> list[Transition]:
    """Of each application not yet delivered, when it was last put in the queue."""
    return _transitions(
        conn, _FILINGS, *(s.value for s in PENDING_DELIVERY), ApplicationStatus.QUEUED.value
    )

"""Status changes with the live applications they moved: what the notifier tells."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frmr.model.rules.statuses import DECISIONS, PENDING_DELIVERY, Actor, ApplicationStatus
from frmr.model.store.reads import stored_text, stored_utc
from frmr.model.store.reads.applications import (
    APPLICATION_COLUMNS,
    ApplicationRow,
    application_row,
)

_CHANGES = (
    "SELECT status_change.id, status_change.at, status_change.to_status, status_change.reason, "
    f"{APPLICATION_COLUMNS} FROM status_change "
    "JOIN application ON application.id = status_change.application_id "
    "WHERE NOT application.deleted AND "
)
_ORDER = " ORDER BY status_change.at, status_change.rowid"
_BY_REGISTRY = f"status_change.actor = '{Actor.REGISTRY.value}' AND status_change.at >= ?"
# Of each application, its newest move into «В очереди».
_LAST_FILED = (
    "status_change.rowid = (SELECT filed.rowid FROM status_change AS filed "
    f"WHERE filed.application_id = application.id AND filed.to_status = "
    f"'{ApplicationStatus.QUEUED.value}' ORDER BY filed.at DESC, filed.rowid DESC LIMIT 1)"
)


@dataclass(frozen=True)
class Transition:
    """A row of model.store.tables.StatusChange and the application it moved."""

    id: str
    at: datetime
    to_status: ApplicationStatus
    reason: str | None
    application: ApplicationRow


def _transitions(conn: sqlite3.Connection, where: str, *params: str) -> list[Transition]:
    return [
        Transition(str(i), stored_utc(at), ApplicationStatus(to), reason, application_row(app))
        for i, at, to, reason, *app in conn.execute(_CHANGES + where + _ORDER, params)
    ]


def decisions(conn: sqlite3.Connection, since: datetime) -> list[Transition]:
    """The registry's decisions recorded since `since`, oldest first."""
    decided = _transitions(conn, _BY_REGISTRY, stored_text(since))
    return [t for t in decided if t.to_status in DECISIONS]


def filings(conn: sqlite3.Connection) -> list[Transition]:
    """Of each application not yet delivered, when it was last put in the queue."""
    return [t for t in _transitions(conn, _LAST_FILED) if t.application.status in PENDING_DELIVERY]


@dataclass(frozen=True)
class HistoryEntry:
    """A row of model.store.tables.StatusChange: an application's history as it is shown."""

    at: datetime
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    actor: Actor
    reason: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "from": self.from_status.value if self.from_status else None,
            "to": self.to_status.value,
            "to_label": self.to_status.label,
            "actor": self.actor.value,
            "reason": self.reason,
        }


_HISTORY = (
    "SELECT at, from_status, to_status, actor, reason FROM status_change "
    "WHERE application_id = ? ORDER BY at, rowid"
)


def read_history(conn: sqlite3.Connection, app_id: str) -> list[HistoryEntry]:
    """The application's status changes, oldest first."""
    return [
        HistoryEntry(
            stored_utc(at),
            ApplicationStatus(before) if before else None,
            ApplicationStatus(after),
            Actor(actor),
            reason,
        )
        for at, before, after, actor, reason in conn.execute(_HISTORY, (app_id,))
    ]

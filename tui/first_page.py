"""The applications table's first page, read with the stdlib's sqlite3 before the model loads.

Importing SQLAlchemy, SQLModel and the store takes about half a second; these rows can be on
screen long before that. The read is read-only (`mode=ro`) and happens only when the store's
schema is the one this code knows (its revision equals model.schema_version.SCHEMA_HEAD);
otherwise, or on any error, it answers None and the table waits for the normal,
SQLModel-backed load, which replaces these rows anyway. Labels and formats stay in the
model (model.statuses, model.dates); this module only reads columns.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from frmr.model.schema_version import SCHEMA_HEAD
from frmr.model.statuses import ApplicationKind, ApplicationStatus

# More rows than any terminal shows at once; the full list follows within a second.
PAGE_ROWS = 100

# The same rows, in the same order, as tui.queries.application_views.
_FIRST_PAGE = (
    "SELECT id, number, kind, specialty_name, status, updated_at, created_at FROM application "
    "WHERE NOT deleted ORDER BY created_at DESC LIMIT ?"
)


@dataclass(frozen=True)
class FirstPageRow:
    id: str
    number: str | None
    kind: ApplicationKind
    specialty_name: str
    status: ApplicationStatus
    updated_at: datetime  # aware UTC, as model.tables.types.UtcDateTime returns it
    created_at: datetime


def read_first_page(db_path: Path, limit: int = PAGE_ROWS) -> list[FirstPageRow] | None:
    """The newest `limit` applications, or None when the fast read must not be trusted."""
    head = SCHEMA_HEAD
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        # What model.store.current_revision reads: Alembic's version table.
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or str(revision[0]) != head:
            return None
        rows = conn.execute(_FIRST_PAGE, (limit,)).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    try:
        return [
            FirstPageRow(
                id=str(app_id),
                number=number,
                kind=ApplicationKind(kind),
                specialty_name=str(specialty_name),
                status=ApplicationStatus(status),
                # Stored naive UTC, the way UtcDateTime writes it.
                updated_at=datetime.fromisoformat(str(updated_at)).replace(tzinfo=UTC),
                created_at=datetime.fromisoformat(str(created_at)).replace(tzinfo=UTC),
            )
            for app_id, number, kind, specialty_name, status, updated_at, created_at in rows
        ]
    except (TypeError, ValueError):
        return None

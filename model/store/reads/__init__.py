"""The read model: every read of the store that lists and shows, in plain records, from one
set of sqlite3 queries.

The CLI's read commands, the TUI's first page and lists, readiness, the report and the
daemon's notices and queues read here (`applications`, `card`, `documents`, `intake`,
`portfolio`, `proposals`, `report`, `facts`, `transitions`, one module each, so a command
imports only its own); the ORM (model.store.tables) writes,
and Alembic migrates. A read command opens the store read-only (`open_current`) once it is
at SCHEMA_HEAD; a store that is not is opened through model.store.account first, which
migrates it, and then read by this same code. An ORM transaction reads through
`model.store.engine.session_connection`, which hands these modules the session's own
connection, so a write action sees what it has just written.

Labels and formats live in model.rules.statuses and model.rules.dates, the `--json` shapes in
model.applications.json_shape and model.profile.card_fields; these modules only read columns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from frmr.model.rules.errors import StoreError
from frmr.model.store.locations import HomeLayout
from frmr.model.store.schema_version import SCHEMA_HEAD

# The report in use is the newest live one (a store holds one; imports may bring more).
REPORT_ORDER = "professional_report.updated_at DESC, professional_report.rowid DESC"
CURRENT_REPORT = f"FROM professional_report WHERE NOT deleted ORDER BY {REPORT_ORDER} LIMIT 1"

# What a row that does not fit its record raises: a store edited by hand, or a newer frmr.
UNREADABLE = (sqlite3.Error, TypeError, ValueError)


def stored_utc(value: Any) -> datetime:
    # Stored naive UTC, the way model.store.tables.types.UtcDateTime writes it.
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def stored_text(at: datetime) -> str:
    """`at` as a stored column holds it, to compare with one: naive UTC text."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", timespec="microseconds")


def stored_day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def named_rows(conn: sqlite3.Connection, query: str, *params: Any) -> list[dict[str, Any]]:
    """The rows of `query`, each by its columns' names."""
    cursor = conn.execute(query, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def is_current(db_path: Path) -> bool:
    """True when the store exists and is at the revision this code reads."""
    with open_current(db_path) as conn:
        return conn is not None


@contextmanager
def open_current(db_path: Path) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to a store at SCHEMA_HEAD; None when there is no store or it
    needs migrating (model.store.account.open_account creates and migrates)."""
    conn: sqlite3.Connection | None = None
    if db_path.is_file():
        try:
            conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
            # What model.store.engine.current_revision reads: Alembic's version table.
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or str(revision[0]) != SCHEMA_HEAD:
                conn.close()
                conn = None
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


@dataclass(frozen=True)
class Reader:
    """An open read of the store: the connection the read modules take, and where it lives."""

    conn: sqlite3.Connection
    layout: HomeLayout


@contextmanager
def read_store(
    layout: HomeLayout, open_for_writing: Callable[[], object] | None = None
) -> Iterator[Reader]:
    """The store read-only. One that is missing or needs migrating is first opened by
    `open_for_writing` (the account, which creates and migrates it); without it, the caller
    has the account open already (the TUI's screens load once it is). A row that does not
    fit its record is said as a StoreError, not a traceback."""
    if open_for_writing is not None and not is_current(layout.database):
        open_for_writing()
    with open_current(layout.database) as conn:
        if conn is None:
            raise StoreError(
                "База данных недоступна для чтения",
                f"store at {layout.database} is not readable at the current revision",
            )
        try:
            yield Reader(conn, layout)
        except UNREADABLE as exc:
            raise StoreError(
                "Не удалось прочитать базу данных",
                f"store read failed: {exc!r}",
                fix="Проверьте хранилище: frmr doctor",
            ) from exc


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction for several statements (the daemon may commit between two),
    unless the caller's transaction already holds one."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.rollback()

"""A SQLite engine as both stores open one: the client's (model.store.engine) and the
registry's (registry.db).

WAL lets readers read while one process writes. Write transactions begin IMMEDIATE: a
deferred transaction that reads and then writes can't be helped by busy_timeout when
another writer got there first. pysqlite's own implicit BEGIN is turned off, so the
"begin" hook emits ours.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

_IMMEDIATE = "frmr_begin_immediate"


def sqlite_engine(url: str, *, busy_ms: int, synchronous: str) -> Engine:
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": busy_ms / 1000}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def for_writes(engine: Engine) -> Engine:
    """`engine` with its transactions beginning IMMEDIATE (another backend ignores it)."""
    return engine.execution_options(**{_IMMEDIATE: True})

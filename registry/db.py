"""The registry's database: engine set-up for SQLite (WAL) and PostgreSQL, and sessions.

SQLite write transactions start with ``BEGIN IMMEDIATE``: a deferred transaction that
reads and then writes can't be helped by ``busy_timeout`` when another writer got there
first. PostgreSQL runs at READ COMMITTED; writers that must be ordered take row locks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from frmr.model.rules.private import create_private_file
from frmr.model.store.sqlite_engine import for_writes, sqlite_engine
from frmr.registry.settings import RegistrySettings
from frmr.registry.tables import Counter, RegistryTable

# The one sequence that numbers applications (registry.applications.next_number).
NUMBER_COUNTER = "application_number"


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        # Every account's personal data is in this one file: 0600 in a 0700 folder before
        # SQLite opens it, whatever the umask. SQLite gives its -wal and -shm files the
        # database file's mode.
        create_private_file(Path(database))
    return sqlite_engine(url, busy_ms=30_000, synchronous="NORMAL")


def create_schema(engine: Engine) -> None:
    RegistryTable.metadata.create_all(engine)


def prepare_database(settings: RegistrySettings) -> Database:
    """The database with its tables and counters. Here, not beside the web app: the
    operator's commands (`seed-demo`, `employee add`) need it without FastAPI's import."""
    db = Database(make_engine(settings.db_url))
    create_schema(db.engine)
    with db.write() as session:
        if session.get(Counter, NUMBER_COUNTER) is None:
            session.add(Counter(name=NUMBER_COUNTER, value=0))
    return db


class Database:
    """Sessions on one engine: ``read()`` for queries, ``write()`` for a transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = for_writes(engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on any error."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

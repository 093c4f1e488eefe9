"""The local store: one SQLite file shared by the TUI and the daemon.

WAL lets the TUI read while the daemon writes; writes take the lock up front with
BEGIN IMMEDIATE, because busy_timeout can't help a read transaction that later upgrades
to a write. Schema changes run through Alembic at open, after a backup.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from frmr.model.rules.clock import utcnow
from frmr.model.rules.errors import StoreError, StoreTooNew

# Re-exported: the store is where callers have always found it.
from frmr.model.rules.private import make_private_dir as make_private_dir
from frmr.model.store.blobs import BlobStore
from frmr.model.store.locations import HomeLayout
from frmr.model.store.schema_version import SCHEMA_HEAD
from frmr.model.store.sqlite_engine import for_writes, sqlite_engine

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class SchemaInfo:
    current: str | None
    head: str


def current_revision(db_path: Path) -> str | None:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def _create_private_file(path: Path) -> None:
    # Created 0600 before SQLite opens it, so the data is never readable by others even briefly.
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)


def make_engine(db_path: Path) -> Engine:
    # FULL: a commit the daemon reported survives a power cut, not only a crash.
    return sqlite_engine(f"sqlite:///{db_path}", busy_ms=BUSY_TIMEOUT_MS, synchronous="FULL")


class Store:
    """An open store. Use `read()` for queries and `write()` for changes."""

    def __init__(self, home: Path, engine: Engine) -> None:
        self.home = home
        self.db_path = HomeLayout(home).database
        self.engine = engine
        self._write_engine = for_writes(engine)
        self.blobs = BlobStore(HomeLayout(home).blobs_dir)
        self._version_conn: sqlite3.Connection | None = None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: BEGIN IMMEDIATE, committed on success, rolled back on error."""
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    def data_version(self) -> int:
        """Changes whenever another connection commits; cheap enough to poll every second."""
        if self._version_conn is None:
            self._version_conn = sqlite3.connect(self.db_path, check_same_thread=False)
        row = self._version_conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def schema(self) -> SchemaInfo:
        return SchemaInfo(current=current_revision(self.db_path), head=SCHEMA_HEAD)

    def integrity_check(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        return [str(r[0]) for r in rows]

    def close(self) -> None:
        if self._version_conn is not None:
            self._version_conn.close()
            self._version_conn = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def session_connection(session: Session) -> sqlite3.Connection:
    """The session's own sqlite3 connection, its pending changes flushed, so that
    model.store.reads reads inside the session's transaction what the session sees."""
    session.flush()
    conn = session.connection().connection.driver_connection
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"not a sqlite3 connection: {type(conn).__name__}")
    return conn


def _backup(db_path: Path, revision: str) -> Path:
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    target = db_path.with_name(f"{db_path.name}.bak-{revision}-{stamp}")
    _create_private_file(target)
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def migrate(engine: Engine, db_path: Path, target: str = "head") -> None:
    """Bring the schema to `target`; one process at a time, after a backup of existing data."""
    if target == "head" and current_revision(db_path) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    lock_path = db_path.with_name(db_path.name + ".migrate.lock")
    _create_private_file(lock_path)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = current_revision(db_path)
        if current is not None:
            try:
                script.get_revision(current)
            except Exception as exc:
                raise StoreTooNew(
                    "Файл данных создан более новой версией frmr. Обновите программу.",
                    f"database revision {current} is unknown to this code; it is newer",
                    details={"revision": current},
                ) from exc
        wanted = script.get_current_head() if target == "head" else target
        if current == wanted:
            return
        if current is not None:
            backup = _backup(db_path, current)
            log.info("backed up the store to %s before migrating from %s", backup, current)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
        log.info("migrated the store from %s to %s", current, wanted)


def open_store(home: Path, *, migrate_to: str = "head") -> Store:
    """Open (creating if needed) the store under `home`: data dir 0700, database 0600."""
    make_private_dir(home)
    db_path = HomeLayout(home).database
    _create_private_file(db_path)
    engine = make_engine(db_path)
    try:
        migrate(engine, db_path, migrate_to)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise StoreError(
            "Не удалось открыть хранилище данных.",
            f"opening the store at {db_path} failed: {exc}",
        ) from exc
    store = Store(home, engine)
    make_private_dir(store.blobs.root)
    swept = store.blobs.sweep_incoming()
    if swept:
        log.info("removed %d unfinished blob copies left by an interrupted import", swept)
    return store

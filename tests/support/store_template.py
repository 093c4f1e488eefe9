"""A new store in the test process starts as a copy of one migrated once per worker.

Alembic loads its nine scripts and runs them on every store it creates: 0.15–0.3 s of CPU
and a dozen fsyncs per test, about a fifth of the model tests' time. The copy is the same
file the migrations made in this session, so a test sees the schema they make; every
`frmr` and daemon process a test starts still migrates its own store, and the tests of
the migrations themselves (marker `store_migrations`) run them in the test process too.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from frmr.model.store import engine as store_engine
from frmr.model.store.locations import HomeLayout
from frmr.model.store.schema_version import SCHEMA_HEAD

Migrate = Callable[[Engine, Path, str], None]


def make_template(home: Path) -> Path:
    """A store migrated to head by the real migrations; returns its closed database file."""
    with store_engine.open_store(home) as store:
        assert store.schema().current == SCHEMA_HEAD
    database = HomeLayout(home).database
    assert not database.with_name(database.name + "-wal").exists(), "the template is not closed"
    return database


def copying_migrate(template: Path, migrate: Migrate) -> Migrate:
    """`migrate` that fills a new, empty database file from `template`, under the same lock
    the real one takes; anything else (an old store, a target other than head) it hands on."""

    def copy_or_migrate(engine: Engine, db_path: Path, target: str = "head") -> None:
        if target == "head" and db_path.stat().st_size == 0:
            lock_path = db_path.with_name(db_path.name + ".migrate.lock")
            store_engine._create_private_file(lock_path)
            with open(lock_path, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if db_path.stat().st_size == 0:
                    # Into the file open_store made 0600: its mode stays.
                    with template.open("rb") as src, db_path.open("r+b") as dst:
                        shutil.copyfileobj(src, dst)
                    return
        migrate(engine, db_path, target)

    return copy_or_migrate


def use_template(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_engine, "migrate", copying_migrate(template, store_engine.migrate))

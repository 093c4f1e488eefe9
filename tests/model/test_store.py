"""The local store: permissions, pragmas, concurrency, crash safety and migrations."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from sqlmodel import func, select

from frmr.model.rules.errors import StoreTooNew
from frmr.model.store.engine import MIGRATIONS_DIR, open_store
from frmr.model.store.schema_version import SCHEMA_HEAD
from frmr.model.store.tables import Skill

# A new store here is made by the migrations, as a user's first one is.
pytestmark = pytest.mark.store_migrations


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_opening_creates_private_dir_and_database(tmp_path: Path) -> None:
    home = tmp_path / "data"
    with open_store(home) as store:
        assert _mode(home) == 0o700
        assert _mode(store.db_path) == 0o600
        assert _mode(store.blobs.root) == 0o700
        with store.engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
            }
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,  # FULL
        "busy_timeout": 30000,
    }


def test_a_fresh_store_is_at_head_and_passes_integrity_check(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as store:
        schema = store.schema()
        assert schema.current == schema.head
        assert store.integrity_check() == ["ok"]


def test_write_rolls_back_on_error(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as store:
        with pytest.raises(RuntimeError), store.write() as session:
            session.add(Skill(name="lost"))
            session.flush()
            raise RuntimeError("boom")
        with store.read() as session:
            assert session.exec(select(Skill)).all() == []


def test_data_version_changes_when_another_connection_commits(tmp_path: Path) -> None:
    home = tmp_path / "data"
    with open_store(home) as watcher, open_store(home) as writer:
        before = watcher.data_version()
        assert watcher.data_version() == before
        with writer.write() as session:
            session.add(Skill(name="new"))
        assert watcher.data_version() != before


def _writer(home: str, name: str, seconds: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(Path(home))
    written = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with store.write() as session:
                # Read then write in one transaction: the case BEGIN IMMEDIATE exists for.
                session.exec(select(func.count()).select_from(Skill)).one()
                session.add(Skill(name=f"{name}-{written}"))
            written += 1
        out.put((name, written, None))
    except Exception as exc:
        out.put((name, written, repr(exc)))
    finally:
        store.close()


@pytest.mark.real_process
def test_two_processes_writing_at_once_lose_nothing_and_never_see_locked(tmp_path: Path) -> None:
    home = tmp_path / "data"
    open_store(home).close()
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_writer, args=(str(home), n, 3.0, out)) for n in ("a", "b")]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    errors = [r[2] for r in results if r[2]]
    assert errors == []
    written = {r[0]: r[1] for r in results}
    assert written["a"] > 0 and written["b"] > 0
    with open_store(home) as store, store.read() as session:
        names = set(session.exec(select(Skill.name)).all())
    expected = {f"{n}-{i}" for n, count in written.items() for i in range(count)}
    assert names == expected


def _crashing_writer(home: str, log_path: str) -> None:
    store = open_store(Path(home))
    batch = 0
    with open(log_path, "a") as log:
        while True:
            tag = f"{os.getpid()}:{batch}"
            with store.write() as session:
                for i in range(200):
                    session.add(Skill(name=f"{tag}-{i}"))
            # Logged only after the commit returned: everything logged must survive.
            log.write(f"{tag}\n")
            log.flush()
            os.fsync(log.fileno())
            batch += 1


@pytest.mark.real_process
def test_writer_killed_mid_transaction_leaves_every_committed_row(tmp_path: Path) -> None:
    home = tmp_path / "data"
    open_store(home).close()
    log_path = tmp_path / "committed.log"
    log_path.touch()
    ctx = mp.get_context("spawn")
    rng = random.Random(7)
    for _ in range(5):
        proc = ctx.Process(target=_crashing_writer, args=(str(home), str(log_path)))
        proc.start()
        deadline = time.monotonic() + 20
        start_lines = len(log_path.read_text().splitlines())
        while len(log_path.read_text().splitlines()) < start_lines + 2:
            assert time.monotonic() < deadline, "writer never committed"
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.05))
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        assert proc.exitcode == -signal.SIGKILL
    committed = {line for line in log_path.read_text().splitlines() if line}
    with open_store(home) as store:
        assert store.integrity_check() == ["ok"]
        with store.read() as session:
            names = list(session.exec(select(Skill.name)).all())
    assert len(names) == len(set(names))
    for tag in committed:
        assert {f"{tag}-{i}" for i in range(200)} <= set(names)
    # A transaction is all or nothing: no batch is present in part.
    by_batch: dict[str, int] = {}
    for name in names:
        tag, _, _ = name.rpartition("-")
        by_batch[tag] = by_batch.get(tag, 0) + 1
    assert set(by_batch.values()) == {200}
    assert len(by_batch) >= len(committed)


def test_migration_from_first_revision_keeps_data_and_backs_up(tmp_path: Path) -> None:
    home = tmp_path / "data"
    with open_store(home, migrate_to="0001") as store:
        assert store.schema().current == "0001"
        with store.write() as session:
            session.add(Skill(name="Пункция плевральной полости"))
    with open_store(home) as store:
        assert store.schema().current == store.schema().head
        with store.read() as session:
            assert session.exec(select(Skill.name)).all() == ["Пункция плевральной полости"]
        with store.engine.connect() as conn:
            tables = {
                r[0]
                for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
            }
        assert {"sync_state", "rejected_file"} <= tables
    backups = list(home.glob("frmr.sqlite3.bak-0001-*"))
    assert len(backups) == 1
    assert _mode(backups[0]) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT name FROM skill").fetchall() == [
            ("Пункция плевральной полости",)
        ]


def test_a_database_newer_than_the_code_is_refused_clearly(tmp_path: Path) -> None:
    home = tmp_path / "data"
    with open_store(home) as store:
        db_path = store.db_path
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreTooNew) as err:
        open_store(home)
    assert "более новой версией" in err.value.user_message


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD

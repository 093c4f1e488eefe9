"""The sqlite3 first page shows what the model's full list shows, and steps aside otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from frmr.model.account import Account
from frmr.model.actions.applications import list_applications
from frmr.model.quick_read import read_first_page
from frmr.model.schema_version import SCHEMA_HEAD
from frmr.model.store import current_revision
from frmr.tui.screens.applications import application_cells
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import new_app, wait_for

pytestmark = pytest.mark.anyio


def test_first_page_matches_the_full_list(account: Account) -> None:
    for _ in range(3):
        new_app(account)
    db = account.store.db_path
    assert current_revision(db) == SCHEMA_HEAD
    rows = read_first_page(db)
    assert rows is not None
    views = list_applications(account)
    assert [r.id for r in rows] == [v.app.id for v in views]
    for row, view in zip(rows, views, strict=True):
        a = view.app
        assert row.updated_at == a.updated_at
        assert row.created_at == a.created_at
        assert application_cells(
            row.number, row.kind, row.specialty_name, row.status, row.updated_at, row.created_at
        ) == application_cells(
            a.number, a.kind, a.specialty_name, a.status, a.updated_at, a.created_at
        )
    assert len(read_first_page(db, limit=2) or []) == 2


def test_first_page_steps_aside_for_another_schema(account: Account, tmp_path: Path) -> None:
    new_app(account)
    db = account.store.db_path
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert read_first_page(db) is None
    assert read_first_page(tmp_path / "missing.sqlite3") is None
    assert not (tmp_path / "missing.sqlite3").exists()


async def test_full_list_replaces_the_first_page(account: Account, frmr_home: Path) -> None:
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        assert app.data_shown_ms is not None
        assert app.data_shown_ms <= app.data_loaded_ms
        assert app.first_page is None
        screen = app.screen
        assert screen.loaded  # type: ignore[attr-defined]
        assert len(screen.views) == 1  # type: ignore[attr-defined]

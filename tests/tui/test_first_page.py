"""The sqlite3 first page shows the newest of the full list, and steps aside for a store
that is not current."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sqlite3
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from textual.visual import VisualType

from frmr.model.applications.lifecycle import list_applications
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.engine import current_revision
from frmr.model.store.reads.applications import read_first_page
from frmr.model.store.schema_version import SCHEMA_HEAD
from frmr.model.store.tables import Application
from frmr.tui.widgets.header import AccountHeader
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, header_answered, new_app, wait_for

pytestmark = pytest.mark.anyio


def test_first_page_is_the_newest_of_the_full_list(account: Account) -> None:
    for _ in range(3):
        new_app(account)
    db = account.store.db_path
    assert current_revision(db) == SCHEMA_HEAD
    rows = read_first_page(db)
    assert rows is not None
    views = list_applications(account)
    assert [r.id for r in rows] == [v.app.id for v in views]
    newest = read_first_page(db, limit=2)
    assert [r.id for r in newest or []] == [v.app.id for v in views[:2]]
    assert views[0].app.created_at >= views[1].app.created_at >= views[2].app.created_at


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


WHOLE_SCREEN_PROBE = """
import json, sys
from frmr.tui.app import make_app

app = make_app(start_services=False, ask_login=False)
seen = {}
# The whole list on screen (mark_data_loaded in code from before the read model's list).
listed = "mark_data_listed" if hasattr(app, "mark_data_listed") else "mark_data_loaded"
mark = getattr(app, listed)


def probe() -> None:
    if not seen:
        screen = app.screen
        seen["orm"] = sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic") if m in sys.modules)
        seen["account_open"] = app.account is not None
        seen["listed"] = screen.listed
        seen["details"] = str(screen.query_one("#app-details").render())
        seen["marks"] = sorted(screen.query_one("#apps")._cells.values())
        seen["contacts"] = list(screen.contacts)
        app.call_after_refresh(app.exit)
    mark()


setattr(app, listed, probe)
app.run(headless=True, size=(80, 24))
seen["person"] = app.header_state.person
print(json.dumps(seen, ensure_ascii=False))
"""


def _probe(code: str) -> dict[str, Any]:
    """Run a probe in a fresh interpreter (nothing this test imported counts); its last line
    is what it saw, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "FRMR_REGISTRY_URL": "http://127.0.0.1:9"},
    )
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_whole_screen_is_shown_from_the_read_model_before_the_orm_loads(
    account: Account, frmr_home: Path
) -> None:
    """The full list (with each draft's readiness mark), the card's contacts and the header
    are on screen from plain sqlite3 reads, before SQLAlchemy is even imported: the ORM is
    only needed to write. A real process, so nothing the test imported counts."""
    fill_card(account)
    new_app(account)
    account.close()
    seen = _probe(WHOLE_SCREEN_PROBE)
    assert seen["orm"] == []
    assert seen["account_open"] is False
    assert seen["listed"] is True
    assert "Специальность: Терапия" in seen["details"]
    [cells] = seen["marks"]
    assert cells[2] == "Терапия"
    assert cells[3].startswith("Черновик ")  # the readiness mark follows the status
    assert seen["contacts"] == ["+7 912 345-67-89", "ivanova@example.ru"]
    assert seen["person"] == "Иванова Мария Петровна"


FIRST_PAGE_PROBE = """
import json, sys, threading
from frmr.tui.app import make_app
from frmr.tui.messages import FirstPageRead

app = make_app(start_services=False, ask_login=False)
worker: list[int] = []
# Each module's first import, by the thread that made it (an audit hook sees every import
# statement that loads a module, from any thread).
first_imports: list[tuple[int, str]] = []
seen = {}


def hook(event: str, args: tuple) -> None:
    if event == "import":
        first_imports.append((threading.get_ident(), args[0]))


sys.addaudithook(hook)
read_first = app._read_first


def read_first_here() -> None:
    worker.append(threading.get_ident())
    read_first()


post = app.post_message


def post_and_look(message) -> bool:
    if isinstance(message, FirstPageRead) and not seen:
        seen["rows"] = len(message.rows.cells)
        seen["worker"] = sorted({name for thread, name in first_imports if thread in worker})
        seen["frmr"] = sorted(m for m in sys.modules if m.startswith("frmr."))
    return post(message)


mark = app.mark_data_shown


def shown() -> None:
    mark()
    app.call_after_refresh(app.exit)


app._read_first = read_first_here
app.post_message = post_and_look
app.mark_data_shown = shown
app.run(headless=True, size=(80, 24))
print(json.dumps(seen))
"""

# What the first page's worker may import before its rows are posted: the settings (for the
# database's path), the read of the rows and the cells' rules. The whole screen's modules
# (the readiness rules, the `--json` shape, the reference) follow the first frame; on this
# path they cost 20 ms of the 250 ms to the first rows (bench/README.md, issue 26).
FIRST_PAGE_MODULES = {
    "frmr.model",
    "frmr.model.readiness",
    "frmr.model.readiness.choices",
    "frmr.model.report",
    "frmr.model.report.variant",
    "frmr.model.rules",
    "frmr.model.rules.dates",
    "frmr.model.rules.errors",
    "frmr.model.rules.labelled",
    "frmr.model.rules.russian",
    "frmr.model.rules.statuses",
    "frmr.model.store",
    "frmr.model.store.locations",
    "frmr.model.store.reads",
    "frmr.model.store.reads.applications",
    "frmr.model.store.schema_version",
    "frmr.model.store.settings",
    "frmr.model.store.settings_source",
}


def test_the_first_page_imports_only_what_its_rows_need(account: Account) -> None:
    """The first rows wait for every module their worker imports (Textual's first frame is
    drawn meanwhile): nothing of the whole screen's, nor json, is imported before they are
    posted. A real process, so nothing the test imported counts."""
    new_app(account)
    account.close()
    seen = _probe(FIRST_PAGE_PROBE)
    assert seen["rows"] == 1
    worker = set(seen["worker"])
    assert {m for m in worker if m.startswith("frmr.")} - FIRST_PAGE_MODULES == set()
    assert "frmr.model.store.reads.applications" in worker  # the hook saw the worker's imports
    assert not worker & {"json", "calendar"}
    # Not imported first by another thread either: until the rows are up, no one needs them.
    loaded = set(seen["frmr"])
    assert not loaded & {
        "frmr.model.applications.json_shape",
        "frmr.model.readiness.rules",
        "frmr.model.rules.limits",
    }


def test_a_first_page_read_that_ends_after_the_app_closed_leaves_no_coroutine_behind(
    account: Account, frmr_home: Path
) -> None:
    """The first page's worker finishes after the app and its loop have closed (a slow disk,
    an app quit at once; pytest's loop, like this one, is closed without joining the
    worker's thread): the call to open the account is dropped quietly, not left as a
    coroutine never awaited (Python's RuntimeWarning on the terminal the app gave back)."""
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    closed = threading.Event()
    reading: list[threading.Thread] = []

    def slow_read() -> None:
        reading.append(threading.current_thread())
        closed.wait(10)

    app._read_first = slow_read  # type: ignore[method-assign]

    async def run_and_close() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: bool(reading))

    loop = asyncio.new_event_loop()
    loop.run_until_complete(run_and_close())
    loop.close()
    (worker,) = reading
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        closed.set()
        worker.join(10)
        gc.collect()
    assert not worker.is_alive()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []


async def test_the_header_says_only_what_it_knows_from_the_first_frame(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second start: the person, the registry, the daemon and the counts come in one by
    one. Until each is read it is left off the line: no «…» that reads as a cut name, no
    «очередь: 0» for a queue that holds an application."""
    fill_card(account)
    app_id = new_app(account)
    with account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        row.status = ApplicationStatus.QUEUED
        session.add(row)
    shown: list[str] = []
    update = AccountHeader.update

    def spy(header: AccountHeader, content: VisualType = "", **kwargs: Any) -> None:
        shown.append(str(content))
        update(header, content, **kwargs)

    monkeypatch.setattr(AccountHeader, "update", spy)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
    assert shown, "the header was never drawn"
    assert "Иванова М. П." in shown[-1]
    for line in shown:
        # «загрузка…» says the counts are being read; any other «…» would stand for a value.
        assert all("…" not in part for part in line.split(" · ") if part != "загрузка…"), shown
        if "очередь" in line:
            assert "очередь: 1 · не доставлено: 0" in line, shown

"""The daemon's packing as the doctor sees it: the header, the application's details and F6,
fed by a real control socket (`daemon.control`) answering `status` and streaming events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import RichLog, Static

from frmr.daemon.control import ControlServer
from frmr.daemon.events import EventHub
from frmr.daemon.protocol import PackingProgress
from frmr.model.documents.pack_queue import queue_pack
from frmr.model.rules.filetypes import FileKind
from frmr.model.store.account import Account
from frmr.model.store.tables import Document
from frmr.tui.screens.applications import ApplicationsScreen
from frmr.tui.widgets.header import AccountHeader
from tests.support.daemon_process import a_daemon_status
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import new_app, wait_for

pytestmark = pytest.mark.anyio


def _queued_scan(account: Account, app_id: str) -> None:
    with account.store.write() as session:
        document = Document(
            sha256="0" * 64, size=25_000_000, kind=FileKind.PDF, file_name="скан.pdf"
        )
        session.add(document)
        session.flush()
        queue_pack(session, app_id, document.id, "/nowhere/скан.pdf")


def _packing(app_id: str, page: int) -> dict[str, Any]:
    return {
        "application_id": app_id,
        "file": "скан.pdf",
        "page": page,
        "pages": 12,
        "attempt": 1,
        "message": f"Сжатие: скан.pdf, стр. {page} из 12",
    }


def _text(widget: Static) -> str:
    return str(widget.render())


async def test_packing_shows_in_the_header_the_details_and_f6(
    account: Account, frmr_home: Path
) -> None:
    app_id = new_app(account)
    _queued_scan(account, app_id)
    settings = tui_settings(frmr_home)
    state = {"status": a_daemon_status(pack_queued=1)}
    hub = EventHub()
    server = ControlServer(
        settings.control_socket, hub, status=lambda: state["status"], sync_now=lambda: None
    )

    def packing(page: int) -> None:
        """The daemon's side: the status says the page, then the event tells of it."""
        progress = _packing(app_id, page)
        state["status"] = state["status"].model_copy(
            update={"packing": PackingProgress.build(**progress)}
        )
        hub.publish("pack_progress", progress)

    server.start()
    try:
        async with tui_app(settings).run_test(size=(100, 30)) as pilot:
            screen = pilot.app.screen
            assert isinstance(screen, ApplicationsScreen)
            details = screen.query_one("#app-details", Static)
            await wait_for(pilot, lambda: screen.loaded and screen.current_id() == app_id)
            # Queued in the store, not yet being packed: the details say it waits.
            await wait_for(pilot, lambda: "Ожидают сжатия: скан.pdf" in _text(details))
            # Subscribed once the status was asked: from here no event is missed.
            await wait_for(pilot, lambda: pilot.app.daemon_status is not None)

            packing(3)
            await wait_for(pilot, lambda: "Сжатие: скан.pdf, стр. 3 из 12" in _text(details))
            header = screen.query_one(AccountHeader)
            assert "демон: сжатие 3/12" in _text(header)

            await pilot.press("f6")
            await wait_for(pilot, lambda: pilot.app.current_mode == "sync")
            sync = pilot.app.screen
            status = sync.query_one("#daemon-status", Static)
            assert "Сжатие: скан.pdf, стр. 3 из 12" in _text(status)
            # Each event has the app ask for the status: the line follows the packing.
            packing(7)
            await wait_for(pilot, lambda: "стр. 7 из 12" in _text(status))
            # Progress moves the status line; it does not fill the event log.
            log = sync.query_one("#events", RichLog)
            assert not any("стр. " in line.text for line in log.lines)
    finally:
        server.close()
        hub.close()

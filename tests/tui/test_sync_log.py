"""F6's event log, fed by a real control socket: a routine pull (nothing moved after a
good cycle) leaves no line, the sync that sent something does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import RichLog

from frmr.daemon.control import ControlServer
from frmr.daemon.events import EventHub
from frmr.model.store.account import Account
from tests.support.daemon_process import a_daemon_status
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for

pytestmark = pytest.mark.anyio


async def test_routine_pulls_stay_out_of_the_log(account: Account, frmr_home: Path) -> None:
    settings = tui_settings(frmr_home)
    hub = EventHub()
    server = ControlServer(
        settings.control_socket, hub, status=a_daemon_status, sync_now=lambda: None
    )
    server.start()
    try:
        async with tui_app(settings).run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: pilot.app.daemon_status is not None)
            await pilot.press("f6")
            await wait_for(pilot, lambda: pilot.app.current_mode == "sync")
            log = pilot.app.screen.query_one("#events", RichLog)
            for _ in range(3):
                hub.publish("sync_started", {"message": "Синхронизация с ФРМР…", "routine": True})
                hub.publish(
                    "sync_finished",
                    {"ok": True, "routine": True, "message": "Синхронизация завершена"},
                )
            hub.publish("sync_started", {"message": "Синхронизация с ФРМР…", "routine": False})
            hub.publish(
                "sync_finished",
                {
                    "ok": True,
                    "pushed": 1,
                    "routine": False,
                    "message": "Синхронизация завершена: отправлено изменений: 1",
                },
            )
            # Events arrive in order: once the last is shown, the routine ones were handled.
            await wait_for(pilot, lambda: any("отправлено" in line.text for line in log.lines))
            lines = [line.text for line in log.lines]
            assert sum("Синхронизация с ФРМР" in line for line in lines) == 1
            assert sum("Синхронизация завершена" in line for line in lines) == 1
    finally:
        server.close()
        hub.close()

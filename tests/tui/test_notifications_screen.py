"""Уведомления: reached by its key and by the palette; toggling a channel is stored."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from frmr.model.notifications.events import Channel, EventKind
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.notifications import read_choices
from frmr.tui.screens.notifications import NotificationsScreen
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for

pytestmark = pytest.mark.anyio


def _chosen(account: Account) -> dict[EventKind, dict[Channel, bool]]:
    with account.store.read() as session:
        return read_choices(session_connection(session))


async def test_ctrl_n_opens_it_and_e_and_h_switch_a_channel(
    account: Account, frmr_home: Path
) -> None:
    settings = replace(
        tui_settings(frmr_home),
        notify_command="notify-send-frmr",
        notify_email="doctor@example.org",
    )
    app = tui_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsScreen))
        screen = app.screen
        table = screen.query_one("#notify-events", DataTable)
        await wait_for(pilot, lambda: table.row_count == 6)
        channels = str(screen.query_one("#notify-channels", Static).content)
        assert "Команда: notify-send-frmr" in channels
        # No SMTP server: the address alone sends nothing, and the screen says so.
        assert "Эл. почта: не настроена" in channels
        await pilot.press("down", "e")
        await wait_for(pilot, lambda: not _chosen(account)[EventKind.FILE_REFUSED][Channel.EMAIL])
        await wait_for(pilot, lambda: table.get_row_at(1)[1] == "—")
        await pilot.press("h")
        await wait_for(pilot, lambda: not _chosen(account)[EventKind.FILE_REFUSED][Channel.HOOK])
        await pilot.press("e")
        await wait_for(pilot, lambda: _chosen(account)[EventKind.FILE_REFUSED][Channel.EMAIL])
        assert _chosen(account)[EventKind.STATUS_DECIDED] == {
            Channel.EMAIL: True,
            Channel.HOOK: True,
        }
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NotificationsScreen))


def _first_hit_highlighted(palette: object, text: str) -> bool:
    """The palette's search is done and its first hit, highlighted, is `text`: Enter runs it."""
    hits = palette.query("CommandList")  # type: ignore[attr-defined]
    if not hits:
        return False
    options = hits.first()
    return (
        options.option_count > 0
        and options.highlighted == 0
        and text in str(options.get_option_at_index(0).prompt)
    )


async def test_the_palette_offers_it(account: Account, frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"Уведомления")
        await wait_for(pilot, lambda: _first_hit_highlighted(app.screen, "Уведомления"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NotificationsScreen))

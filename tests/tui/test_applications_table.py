"""The applications table refills from the store while nobody touches a key: the cursor stays on
its application, the details pane follows the cursor, and a new status shows in the row."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from frmr.model.applications.lifecycle import cancel_application
from frmr.model.store.account import Account
from frmr.tui.screens.applications import ApplicationsScreen
from frmr.tui.widgets.rows_view import RowsView
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import new_app, wait_for

pytestmark = pytest.mark.anyio


def table_rows(screen: ApplicationsScreen) -> list[str]:
    """The table's rows on screen, as plain text, without the header."""
    table = screen.query_one("#apps", RowsView)
    lines = [table.render_line(y).text.strip() for y in range(1, table.row_count + 1)]
    return [line for line in lines if line]


def details(screen: ApplicationsScreen) -> str:
    return str(screen.query_one("#app-details", Static).render())


async def listed(pilot: Pilot[None], count: int) -> ApplicationsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ApplicationsScreen)
    await wait_for(pilot, lambda: screen.loaded and len(screen.views) == count)
    return screen


async def test_a_reload_keeps_the_cursor_and_the_details_on_the_same_application(
    account: Account, frmr_home: Path
) -> None:
    for _ in range(4):
        new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await listed(pilot, 4)
        await pilot.press("down", "down")
        chosen = screen.current_id()
        assert chosen is not None
        assert str(screen.views[chosen].folder) in details(screen)

        # Another process adds one: it is listed first, above the cursor's row.
        added = new_app(account)
        await listed(pilot, 5)
        order = list(screen.views)
        assert order[0] == added
        assert screen.current_id() == chosen
        assert screen.query_one("#apps", RowsView).cursor_row == order.index(chosen)
        assert str(screen.views[chosen].folder) in details(screen)

        # The keys go on from there, and the details pane with them.
        await pilot.press("down")
        below = order[order.index(chosen) + 1]
        assert screen.current_id() == below
        assert str(screen.views[below].folder) in details(screen)


async def test_a_status_changed_in_the_store_shows_in_its_row_without_a_key_press(
    account: Account, frmr_home: Path
) -> None:
    for _ in range(2):
        new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await listed(pilot, 2)
        await pilot.press("down")
        second = screen.current_id()
        assert second is not None
        assert ["Черновик" in row for row in table_rows(screen)] == [True, True]

        # Nobody touches a key from here: the store's poll reloads the screen.
        cancel_application(account, second)
        await wait_for(pilot, lambda: "Отменено" in "".join(table_rows(screen)))
        first_row, second_row = table_rows(screen)
        assert "Черновик" in first_row
        assert "Отменено" in second_row
        assert screen.current_id() == second
        assert "Статус: Отменено" in details(screen)

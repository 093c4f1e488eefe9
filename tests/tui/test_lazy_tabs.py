"""Портфолио's and Профиль's tabs are made when first shown (LazyPane); a list's key pressed
as the screen or the tab opens, before the list is read or even made, is acted on once it is:
a doctor pressing `a` right after F3 gets the form, not nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, TabbedContent, Tabs

from frmr.model.store.account import Account
from frmr.model.store.reads import portfolio as portfolio_reads
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.collection import CollectionTable
from frmr.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import card_composed, fill_portfolio, header_answered, quiet, wait_for

pytestmark = pytest.mark.anyio


@pytest.fixture
def reads_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every list's read waits until the event is set: the keys arrive before the rows."""
    gate = threading.Event()
    read = portfolio_reads.read_listing

    def held(*args: Any, **kwargs: Any) -> Any:
        gate.wait(10)
        return read(*args, **kwargs)

    monkeypatch.setattr(portfolio_reads, "read_listing", held)
    yield gate
    gate.set()


async def test_a_pressed_before_the_list_is_read_opens_the_form_once_it_is_and_p_the_proposals(
    account: Account, frmr_home: Path, reads_held: threading.Event
) -> None:
    fill_portfolio(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        await pilot.press("f3", "a", "a")
        await pilot.pause()
        table = app.screen.query_one("#collection-employment", CollectionTable)
        assert table.spec is None and not isinstance(app.screen, RowForm)
        reads_held.set()
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await quiet(pilot)
        form = app.screen
        assert isinstance(form, RowForm)
        # A new row of the list shown, and one form for the two presses.
        assert form.spec.name == "employment" and form.row is None
        assert len([s for s in app.screen_stack if isinstance(s, RowForm)]) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, RowForm))
        # `p`: to «Предложено», made as it is first shown, its list focused once it is.
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen.focused, DataTable))
        assert app.screen.focused is not None and app.screen.focused.id == "proposals-table"


async def test_a_key_on_a_tab_still_being_made_acts_on_its_list(
    account: Account, frmr_home: Path, reads_held: threading.Event
) -> None:
    fill_portfolio(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: card_composed(app))
        tabs = app.screen.query_one("#profile-tabs", TabbedContent)
        app.screen.set_focus(tabs.query_one(Tabs))
        # → → to «Адреса» and `e` in one burst, the lists' reads held until after the keys:
        # the tabs passed are made as they are shown, and the first address opens once read.
        await pilot.press("right", "right", "e")
        assert tabs.active == "addresses"
        reads_held.set()
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        form = app.screen
        assert isinstance(form, RowForm)
        assert form.spec.name == "addresses" and form.row is not None
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, RowForm))
        # «Документы»: a tab of tabs, made as it is shown; its first list's keys on the bar.
        tabs.active = "profile-documents"
        await wait_for(pilot, lambda: bool(app.screen.query("#collection-identity-documents")))
        await quiet(pilot)
        keys = str(app.screen.query_one(KeyBar).render())
        assert "Добавить" in keys and "Фильтр" in keys

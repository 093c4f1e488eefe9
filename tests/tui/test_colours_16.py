"""16 colours (TERM=screen): the frmr-16 theme comes on by itself, fields keep a background,
the focused field stands out, and titles are not red."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorSystem
from textual.color import Color
from textual.widget import Widget

from frmr.model.store.account import Account
from frmr.tui.screens.new_application import NewApplicationScreen
from frmr.tui.theme import NAME
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, quiet, wait_for

pytestmark = pytest.mark.anyio

BRIGHT_RED = 9


def on_terminal(widget: Widget, colour: Color) -> int:
    """The colour number a 16-colour terminal gets for `colour` over the widget's background."""
    background = widget.background_colors[1]
    number = (background + colour).rich_color.downgrade(ColorSystem.STANDARD).number
    assert number is not None
    return number


async def test_screen_terminal_gets_visible_fields_and_focus(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "screen")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        assert app.theme == NAME
        title = app.screen.query_one(".screen-title")
        assert on_terminal(title, title.styles.color) != BRIGHT_RED
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
        await quiet(pilot)  # the form's fields composed and its first one focused
        form = app.screen
        focused = form.query_one("#field-kind SelectCurrent")
        phone = form.query_one("#field-phone Input")
        dialog = form.query_one(".dialog")
        behind = on_terminal(dialog, dialog.styles.background)
        field = on_terminal(phone, phone.styles.background)
        focus = on_terminal(focused, focused.styles.background)
        assert len({behind, field, focus}) == 3, (behind, field, focus)
        await pilot.press("down", "down", "down")
        assert on_terminal(phone, phone.styles.background) == focus


async def test_a_truecolour_terminal_keeps_the_default_theme(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        assert app.theme != NAME

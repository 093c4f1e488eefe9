"""F1 lists the keys of the screen underneath, in Russian, as the keymap has them."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from frmr.model.store.account import Account
from frmr.tui.screens.help import HelpScreen
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import card_composed, fill_card, wait_for

pytestmark = pytest.mark.anyio


async def test_help_lists_the_keys_in_russian(account: Account, frmr_home: Path) -> None:
    """On Заявления, Портфолио and Профиль, one after the other in one app."""
    fill_card(account)
    # ctrl+g, not ctrl+w: a text field (the card opens with one focused) deletes a word with
    # ctrl+w, and the help rightly does not list it as «Выход» there.
    settings = replace(tui_settings(frmr_home), keymap={"app.quit": "ctrl+g"})
    app = tui_app(settings)
    shown: dict[str, str] = {}
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        for mode in ("applications", "portfolio", "profile"):
            await app.switch_mode(mode)
            if mode == "profile":
                await wait_for(pilot, lambda: card_composed(app))
            # Focus in a text field brings its cursor keys into play; in a list, its scrolling.
            await pilot.press("tab")
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            shown[mode] = app.screen._keys().plain  # type: ignore[attr-defined]
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
    for mode, keys in shown.items():
        lines = keys.splitlines()
        # One column for the descriptions, however long a key is (shift+tab, PgUp PgDn).
        column = lines[1].index("  ", lines[1].index(lines[1].strip()[0])) + 2
        assert lines
        for line in lines:
            assert line[column - 2 : column] == "  " and line[column] != " ", (mode, line)
            assert re.search("[а-яё]", line[column:], re.IGNORECASE), (mode, line)
        assert "^g  Выход (app.quit)" in keys, mode
        assert "shift+tab  Предыдущее поле (app.focus_previous)" in keys, mode

"""The key line: the screen's keys as they fit, the palette's key always at the right edge,
the keymap honoured, and a click presses the key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from frmr.model.store.account import Account
from frmr.tui.screens.help import HelpScreen
from frmr.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for

pytestmark = pytest.mark.anyio


def drawn(bar: KeyBar) -> str:
    """The screen's own keys: the key bar's second line (the first holds the screens)."""
    return bar.render().plain.split("\n")[1]


async def test_keys_that_do_not_fit_give_way_to_the_palette_key(
    account: Account, frmr_home: Path
) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        bar = app.screen.query_one(KeyBar)
        line = drawn(bar)
        assert len(line) == 80
        assert line.rstrip().endswith("f1 Помощь  ^p Команды")
        assert "a Добавить" in line
        # Only whole items: a key is never shown without its description.
        for item in filter(str.strip, line.split("▏")[0].split("  ")):
            key, _, description = item.strip().partition(" ")
            assert key and description, item

        await pilot.resize_terminal(200, 24)
        await pilot.pause()
        wide = drawn(bar)
        assert "f1 Помощь" in wide
        # «Выход» leaves every screen: it follows the screens' keys where it fits there.
        assert "^q Выход" in bar.render().plain.split("\n")[0]


async def test_a_click_on_a_key_presses_it(account: Account, frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(200, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        bar = app.screen.query_one(KeyBar)
        line = drawn(bar)
        column = line.index("f1 Помощь")
        await pilot.click(KeyBar, offset=(column + 1, 1))
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_the_keymap_changes_what_is_shown(account: Account, frmr_home: Path) -> None:
    settings = replace(tui_settings(frmr_home), keymap={"app.help": "f9"})
    app = tui_app(settings)
    async with app.run_test(size=(200, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.pause()
        line = drawn(app.screen.query_one(KeyBar))
        assert "f9 Помощь" in line
        assert "f1 Помощь" not in line
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_a_notice_leaves_both_key_lines_readable(account: Account, frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        shown = bar.render().plain.split("\n")
        app.notify("Заявление сформировано: фоновая служба отправит его, когда будет связь")
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")))
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("Заявление сформировано" in row for row in rows), "\n".join(rows)
        assert [row.rstrip() for row in rows[-2:]] == [line.rstrip() for line in shown]

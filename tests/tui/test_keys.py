"""Keys where the doctor is: ↑/↓ between fields in every form, a screen's keys whatever has the
focus inside it, the key line showing the focused context's keys (remapped ones too), and the
palette and F1 naming each binding's id, all in Russian."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Tabs

from frmr.model.store.account import Account
from frmr.tui.app import FrmrApp
from frmr.tui.palette import RussianCommandPalette
from frmr.tui.screens.help import HelpScreen
from frmr.tui.screens.login import LoginScreen
from frmr.tui.screens.new_application import NewApplicationScreen
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.field import FormField
from frmr.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import card_composed, fill_card, open_card, quiet, wait_for

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]


def _line(app: FrmrApp) -> str:
    """The screen's own keys: the key bar's second line (the first holds the screens)."""
    return app.screen.query_one(KeyBar).render().plain.split("\n")[1]


def _field(app: FrmrApp) -> str:
    focused = app.screen.focused
    assert focused is not None
    field = next(a for a in focused.ancestors if isinstance(a, FormField))
    return field.field_name


async def _loaded(pilot: Pilot[None]) -> FrmrApp:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await wait_for(pilot, lambda: app.data_loaded_ms is not None)
    return app


async def test_arrows_move_between_the_card_fields(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await open_card(pilot)
        app.screen.query(FormField).first().focus_input()
        first = _field(app)
        await pilot.press("down")
        second = _field(app)
        assert second != first
        await pilot.press("down", "up")
        assert _field(app) == second
        await pilot.press("up", "up")  # the first field stays focused at the top
        assert _field(app) == first


async def test_arrows_move_between_fields_of_the_new_application_form_past_a_list(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
        await pilot.pause()
        assert _field(app) == "kind"
        # kind and specialty are lists: ↓ moves on instead of opening them.
        await pilot.press("down", "down", "down")
        assert _field(app) == "phone"
        await pilot.press("up")
        assert _field(app) == "education_level"


async def test_arrows_move_between_fields_of_a_portfolio_row_form(
    account: Account, frmr_home: Path
) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await app.switch_mode("portfolio")
        # The key waits for the list (a key pressed before it is read is not yet offered).
        await quiet(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        names = [f.field_name for f in app.screen.query(FormField)]
        await pilot.press("down")
        assert _field(app) == names[1]


async def test_arrows_move_between_login_and_password(frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home), ask_login=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.pause()
        await pilot.press("down")
        assert app.screen.focused is app.screen.query_one("#login-password", Input)
        await pilot.press("up")
        assert app.screen.focused is app.screen.query_one("#login-name", Input)


@pytest.mark.parametrize("mode", ["profile", "portfolio"])
async def test_add_works_with_a_nested_tab_strip_focused(
    account: Account, frmr_home: Path, mode: str
) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await app.switch_mode(mode)
        if mode == "profile":
            # The card opens with its first field focused; shift+tab is the outer tab strip.
            await wait_for(pilot, lambda: card_composed(app))
            await wait_for(pilot, lambda: isinstance(app.focused, Input))
            await pilot.press("shift+tab")
            await pilot.press("right")  # Карточка → Документы, from the outer tab strip
        outer, inner = list(app.screen.query(Tabs))[:2]
        assert outer.has_focus or mode == "portfolio"
        app.screen.set_focus(inner)
        await pilot.pause()
        assert "a Добавить" in _line(app)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))


async def test_card_keys_are_offered_on_the_card_only(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await open_card(pilot)
        assert "Сохранить карточку" in _line(app) and "Добавить" not in _line(app)
        app.screen.set_focus(app.screen.query(Tabs).first())
        await pilot.press("right")  # Документы
        await wait_for(pilot, lambda: "Добавить" in _line(app))
        assert "Сохранить карточку" not in _line(app)
        await pilot.press("right")  # Адреса
        await pilot.pause()
        assert "Сохранить карточку" not in _line(app)


async def test_a_remapped_key_stays_in_the_key_line(account: Account, frmr_home: Path) -> None:
    settings = replace(tui_settings(frmr_home), keymap={"apps.add": "n"})
    app = tui_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.pause()
        line = _line(app)
        assert line.startswith(" n Добавить"), line
        assert "^p Команды" in line and "palette" not in line
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))


async def test_the_palette_is_russian_and_names_the_binding_ids(
    account: Account, frmr_home: Path
) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(100, 40)) as pilot:
        await _loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, RussianCommandPalette))
        palette = app.screen
        await wait_for(pilot, lambda: palette.query_one("CommandList").option_count > 5)  # type: ignore[attr-defined]
        options = palette.query_one("CommandList")
        shown = "\n".join(
            str(options.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
            for i in range(options.option_count)  # type: ignore[attr-defined]
        )
        assert palette.query_one(Input).placeholder == "Команда: начните вводить…"
        assert "клавиша a · apps.add" in shown
        for russian in ("Тема оформления", "Выход", "Клавиши", "Снимок экрана"):
            assert russian in shown
        for english in ("Theme", "Quit", "Keys", "Screenshot", "Maximize", "palette"):
            assert english not in shown
        # One «Выход»: the ctrl+q binding, not also Textual's system command.
        assert re.findall(r"^Выход$", shown, re.MULTILINE) == ["Выход"], shown
        await pilot.press(*"zzzq")
        await wait_for(pilot, lambda: "Ничего не найдено" in _options_text(palette))


def _options_text(palette: object) -> str:
    options = palette.query_one("CommandList")  # type: ignore[attr-defined]
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def test_help_names_each_binding_id(account: Account, frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(100, 40)) as pilot:
        await _loaded(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = app.screen._keys().plain  # type: ignore[attr-defined]
    assert re.search(r"a  Добавить \(apps\.add\)", keys)
    assert "(app.palette)" in keys


async def test_themes_are_listed_with_russian_labels(account: Account, frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(100, 40)) as pilot:
        await _loaded(pilot)
        app.search_themes()
        await wait_for(pilot, lambda: isinstance(app.screen, RussianCommandPalette))
        palette = app.screen
        await wait_for(pilot, lambda: bool(palette.query("CommandList")))
        await wait_for(pilot, lambda: palette.query_one("CommandList").option_count > 5)  # type: ignore[attr-defined]
        shown = _options_text(palette)
        assert "Тёмная (textual-dark)" in shown and "Светлая (textual-light)" in shown
        assert "16 цветов терминала (frmr-16)" in shown
        await pilot.press(*"светлая (textual-l", "enter")
        await wait_for(pilot, lambda: app.theme == "textual-light")

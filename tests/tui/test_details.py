"""The smaller things a doctor meets: a СНИЛС typo caught before the registry is asked, the
lockout said once, no graduation in the future, a multi-line comment, the clipboard through
tmux, and the app reopening on the screen it was left on."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from textual.widgets import TextArea

from frmr.model.applications.lifecycle import list_applications
from frmr.model.portfolio.collections import collection, parse_values
from frmr.model.rules.clock import today
from frmr.model.rules.errors import FieldInvalid
from frmr.model.store.account import Account
from frmr.sync.auth import LoginFailed
from frmr.tui.clipboard import TMUX_FIX, clipboard_problem
from frmr.tui.screens.login import LoginScreen, _login_text
from frmr.tui.screens.new_application import NewApplicationScreen
from frmr.tui.screens.portfolio import PortfolioScreen
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, typed, wait_for


@pytest.mark.anyio
async def test_a_snils_typo_is_caught_before_the_registry_is_asked(frmr_home: Path) -> None:
    # Port 9 on loopback: had the registry been asked, the answer would be «недоступен».
    app = tui_app(tui_settings(frmr_home), ask_login=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*typed("112-233-445 96"), "enter", *typed("secret"), "enter")
        error = app.screen.query_one("#login-error")
        await wait_for(pilot, lambda: "контрольное число" in str(error.render()))


def test_the_lockout_says_its_wait_once() -> None:
    locked = LoginFailed(
        "Слишком много неудачных попыток входа. Повторите через 15 минут",
        "login locked for 900 s",
        code="login_locked",
        details={"retry_after": 900},
    )
    text = _login_text(locked)
    assert text.count("Повторите через") == 1 and "900" not in text


def test_a_graduation_year_in_the_future_is_refused() -> None:
    education = collection("education")
    this_year = today().year
    assert parse_values(education, {"graduation_year": str(this_year)})
    with pytest.raises(FieldInvalid) as refused:
        parse_values(education, {"graduation_year": str(this_year + 1)})
    assert "не может быть позже текущего года" in refused.value.user_message


@pytest.mark.anyio
async def test_the_comment_takes_several_lines(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
        form = app.screen
        form.query_one("#field-specialty Select").value = "Терапия"  # type: ignore[attr-defined]
        comment = form.query_one("#field-comment TextArea", TextArea)
        form.set_focus(comment)
        await pilot.press(*typed("первая"), "enter", *typed("вторая"), "up")
        assert app.screen.focused is comment  # ↑ moves inside the text, not to another field
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewApplicationScreen))
    [view] = list_applications(account)
    assert view.app.comment == "первая\nвторая"


@pytest.mark.anyio
async def test_the_app_reopens_on_the_screen_it_was_left_on(frmr_home: Path) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.settings is not None and app.account is not None)
        await pilot.press("f3")
        await wait_for(pilot, lambda: (frmr_home / "tui-state.json").exists())
    again = tui_app(tui_settings(frmr_home))
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, PortfolioScreen))


def test_clipboard_through_tmux_needs_set_clipboard_on(tmp_path: Path) -> None:
    tmux = shutil.which("tmux")
    assert tmux is not None, "tmux is required"
    socket = tmp_path / "tmux.sock"
    subprocess.run([tmux, "-S", str(socket), "new-session", "-d", "-s", "clip"], check=True)
    try:
        # $TMUX is how a program inside tmux (and the tmux client) finds its server.
        env = {**os.environ, "TMUX": f"{socket},1,0", "TERM": "screen"}
        for option, problem in (("external", TMUX_FIX), ("off", TMUX_FIX), ("on", None)):
            subprocess.run(
                [tmux, "-S", str(socket), "set", "-g", "set-clipboard", option], check=True
            )
            assert clipboard_problem(env) == problem, option
    finally:
        subprocess.run([tmux, "-S", str(socket), "kill-server"], check=False)
    assert clipboard_problem({"TERM": "xterm-256color"}) is None
    assert clipboard_problem({"TERM": "linux"}) is not None

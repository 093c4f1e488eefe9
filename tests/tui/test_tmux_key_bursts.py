"""Keys that arrive in one read (a paste, a laggy SSH link, tmux send-keys) are applied in the
order they were typed, in a real terminal (tmux, 80×24): Ctrl+U, Home and Backspace are not
run after the characters that follow them. Each burst goes in one send-keys call; the field
values are read back from the store the screen saved them to. Fails, never skips, when tmux
is missing."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.model.profile.card import get_person
from frmr.model.report.record import load_report
from frmr.model.store.account import open_account
from tests.support.daemon_process import stop_launched_daemon
from tests.support.registry_process import DEMO_LOGIN, DEMO_PASSWORD, RegistryProcess
from tests.support.tmux import Terminal
from tests.tui.conftest import tui_settings
from tests.tui.support import fill_card

pytestmark = pytest.mark.real_process


def _start(registry_url: str, tmp_path: Path) -> Iterator[Terminal]:
    home = Path(tempfile.mkdtemp(prefix="keys-", dir="/tmp")) / "home"
    with open_account(tui_settings(home)) as account:
        fill_card(account)
    tui = Path(sys.executable).with_name("frmr-tui")
    env = (
        f"env FRMR_HOME={home} FRMR_CONFIG={tmp_path / 'config.toml'} "
        f"FRMR_REGISTRY_URL={registry_url} FRMR_RUNTIME_DIR={home / 'run'} TERM=screen"
    )
    terminal = Terminal(f"frmr-keys-{os.getpid()}", home)
    terminal.tmux(
        "new-session", "-d", "-s", terminal.session, "-x", "80", "-y", "24", f"{env} {tui}"
    )
    try:
        terminal.wait_for("Вход в личный кабинет")
        yield terminal
    finally:
        terminal.tmux("kill-session", "-t", terminal.session)
        # The TUI starts the daemon detached (it outlives the TUI by design): stop it here.
        stopped = stop_launched_daemon(tui_settings(home), home)
        shutil.rmtree(home.parent, ignore_errors=True)
        assert stopped, "the daemon the TUI started did not stop"


@pytest.fixture
def offline_tui(tmp_path: Path) -> Iterator[Terminal]:
    # Port 9 (discard) on loopback: a registry that is configured but never reached.
    yield from _start("http://127.0.0.1:9", tmp_path)


@pytest.fixture
def online_tui(registry: RegistryProcess, tmp_path: Path) -> Iterator[Terminal]:
    yield from _start(registry.url, tmp_path)


def test_ctrl_u_a_password_and_enter_in_one_burst_log_in(online_tui: Terminal) -> None:
    term = online_tui
    # Something left in both fields, as after a mistyped first attempt.
    term.keys("wrong", "Tab", "stale", "BTab")
    term.wait_for("•••••")
    term.burst("C-u", DEMO_LOGIN, "Enter", "C-u", DEMO_PASSWORD, "Enter")
    # Only a login with exactly these two values gets past the screen.
    term.wait_for("Заявлений пока нет")
    assert (term.home / "token.json").exists()


def _to_card_field(term: Terminal, downs: int) -> None:
    term.keys("Escape")  # Работать без сети
    term.wait_for("Заявления")
    term.keys("F4")
    term.wait_for("Место рождения")
    # The card opens on Фамилия; ↓ to the field.
    term.keys(*["Down"] * downs)


def test_ctrl_u_and_home_in_one_burst_edit_the_card_field_in_order(
    offline_tui: Terminal,
) -> None:
    term = offline_tui
    _to_card_field(term, downs=5)  # Место рождения
    term.keys("stale")
    term.wait_for("stale")
    term.burst("C-u", "Тверь", "Home", "г. ", "End", "XY", "BSpace", "C-o")
    term.wait_for("Карточка сохранена")
    with open_account(tui_settings(term.home)) as account:
        assert get_person(account).birth_place == "г. ТверьX"


def test_a_field_long_burst_lands_whole_and_in_order(offline_tui: Terminal) -> None:
    term = offline_tui
    _to_card_field(term, downs=5)
    # Up to the field's 500 characters, as one read (about 900 bytes of UTF-8).
    text = ("Тверь, ул. Советская " * 30)[:495].strip()
    term.burst("C-u", text, "Home", "г. ", "C-o")
    term.wait_for("Карточка сохранена")
    with open_account(tui_settings(term.home)) as account:
        assert get_person(account).birth_place == "г. " + text


def _to_report(term: Terminal) -> None:
    term.keys("Escape")
    term.wait_for("Заявления")
    term.keys("F3")
    term.wait_for("Аккредитация → Портфолио")
    term.keys("r")
    term.wait_for("Сведения и подпись")


def test_report_fields_take_bursts_and_a_pasted_block_in_order(offline_tui: Terminal) -> None:
    term = offline_tui
    _to_report(term)
    term.keys("Tab", "Tab")  # the facts pane, then Организация
    term.keys("stale")
    term.wait_for("stale")
    term.burst("C-u", "ГБУЗ «Городская больница»", "Home", "X", "BSpace", "Y ")
    # 1. Организация, its text block: a 2 KB bracketed paste, then editing keys in the same read.
    term.keys("BTab", "BTab", "Down", "Enter", "Tab")
    # Lines shorter than the pane, so Home goes to the start of the typed line, not of a wrap.
    block = "\n".join(f"Строка {n:02}: отделение терапии" for n in range(60))
    assert len(block.encode()) > 2048
    term.paste(block)
    term.burst("Home", "Итог: ", "End", "!")
    head, last = block.rsplit("\n", 1)
    expected = f"{head}\nИтог: {last}!"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with open_account(tui_settings(term.home)) as account:
            view = load_report(account)
        if view.value("organization_text") == expected:
            break
        time.sleep(0.3)
    assert view.value("organization") == "Y ГБУЗ «Городская больница»"
    assert view.value("organization_text") == expected

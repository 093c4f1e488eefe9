"""frmr-tui in a real terminal (tmux, 80×24) against a real registry and the daemon the TUI
starts itself: log in, add, form and submit an application, watch the daemon deliver it, read
the screen like a person does. Fails, never skips, when tmux is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.daemon.launcher import stop
from frmr.model.account import open_account
from tests.support.daemon_process import FAST_ENV
from tests.support.registry_process import DEMO_LOGIN, DEMO_PASSWORD, RegistryProcess
from tests.tui.conftest import tui_settings
from tests.tui.support import fill_card, fill_portfolio

SESSION = f"frmr-e2e-{os.getpid()}"


def _tmux(*args: str) -> str:
    tmux = shutil.which("tmux")
    assert tmux is not None, "tmux is required for the end-to-end test"
    return subprocess.run([tmux, *args], capture_output=True, text=True, check=True).stdout


def _keys(*keys: str) -> None:
    """One key (or typed word) at a time, as a person types, not as one burst."""
    for key in keys:
        _tmux("send-keys", "-t", SESSION, key)
        time.sleep(0.3)


def _screen() -> str:
    return _tmux("capture-pane", "-p", "-t", SESSION)


def _wait_for(text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screen = _screen()
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen:\n{_screen()}")


@pytest.fixture
def tui_in_tmux(registry: RegistryProcess, tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    settings = tui_settings(home)
    with open_account(settings) as account:
        fill_card(account)
        fill_portfolio(account)
    tui = Path(sys.executable).with_name("frmr-tui")
    # The daemon the TUI starts inherits this environment: the test's short timings included.
    fast = " ".join(f"{name}={value}" for name, value in FAST_ENV.items())
    env = (
        f"env FRMR_HOME={home} FRMR_CONFIG={tmp_path / 'config.toml'} {fast} "
        f"FRMR_REGISTRY_URL={registry.url} FRMR_RUNTIME_DIR={home / 'run'} TERM=xterm-256color"
    )
    _tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", f"{env} {tui}")
    try:
        yield home
    finally:
        _tmux("kill-session", "-t", SESSION)
        # The daemon is detached (it outlives the TUI by design): stop it with the test.
        assert stop(settings, timeout=10), "the daemon the TUI started did not stop"


def test_log_in_add_form_and_submit_in_a_terminal(tui_in_tmux: Path) -> None:
    _wait_for("Вход в личный кабинет")
    # One burst, as a paste or a laggy SSH link delivers it: each part must land in its field.
    _tmux("send-keys", "-t", SESSION, DEMO_LOGIN, "Tab", DEMO_PASSWORD)
    screen = _wait_for("•" * len(DEMO_PASSWORD))
    assert DEMO_LOGIN in screen and DEMO_LOGIN + DEMO_PASSWORD not in screen
    _keys("Enter")
    _wait_for("Аккредитация → Заявления")
    assert (tui_in_tmux / "token.json").exists()
    # The empty list's hint names «Добавить заявление» too: wait for a field only the form has.
    _wait_for("Заявлений пока нет")
    _keys("a")
    _wait_for("Вид аккредитации")
    # Tab to the specialty list, open it, pick the first entry, save with ctrl+o.
    _keys("Tab", "Enter")
    _wait_for("Авиационная и космическая медицина")
    _keys("Down", "Enter")
    _wait_for("Специальность *       Авиационная")
    _keys("C-o")
    _wait_for("Черновик")
    _keys("f")
    _wait_for("Сформировано")
    _keys("p")
    # The daemon the TUI started takes the token, pushes the card and delivers the application.
    screen = _wait_for("На рассмотрении", seconds=60)
    assert "Иванова" in screen
    assert "демон: работает" in screen
    _keys("C-q")

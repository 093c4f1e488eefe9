"""A key pressed the moment the applications appear is acted on, in a real terminal (tmux,
80×24): at start the list is read before the store is opened for writing, and a key pressed
in between used to be answered «Заявления ещё загружаются» and dropped — over SSH the list
shows up, the doctor presses a key, nothing happens. Here the key goes in within a few
milliseconds of the list reaching the terminal, well inside that window (the account's open
imports SQLAlchemy and checks migrations: hundreds of milliseconds). Fails, never skips, when
tmux is missing."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from frmr.model.rules.clock import utcnow
from frmr.model.store.account import open_account
from frmr.sync.auth import Token, save_token
from tests.support.daemon_process import stop_launched_daemon
from tests.support.tmux import Terminal
from tests.tui.conftest import tui_settings
from tests.tui.support import fill_card, new_app

pytestmark = pytest.mark.real_process

WAITING = "ещё загружаются"


class FirstKeys(Terminal):
    def key_when(self, text: str, key: str, seconds: float = 30) -> None:
        """Press `key` as soon as `text` is on the terminal: polled without a pause, so the
        key follows the text by one capture (a few milliseconds)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.screen():
                self.burst(key)
                return
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def captures_until(self, text: str, seconds: float = 20) -> str:
        """Every capture up to the one showing `text`: a passing message is among them."""
        deadline = time.monotonic() + seconds
        seen: list[str] = []
        while time.monotonic() < deadline:
            screen = self.screen()
            seen.append(screen)
            if text in screen:
                return "\n".join(seen)
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")


@pytest.fixture
def tui(tmp_path: Path) -> Iterator[FirstKeys]:
    """frmr-tui over a store with one draft and a saved login (no login screen over the list),
    its registry configured but never reached."""
    home = Path(tempfile.mkdtemp(prefix="first-keys-", dir="/tmp")) / "home"
    settings = tui_settings(home)
    with open_account(settings) as account:
        fill_card(account)
        new_app(account)
    save_token(settings.token_path, Token("not-checked-offline", utcnow() + timedelta(days=1)))
    tui = Path(sys.executable).with_name("frmr-tui")
    env = (
        f"env FRMR_HOME={home} FRMR_CONFIG={tmp_path / 'config.toml'} "
        f"FRMR_REGISTRY_URL=http://127.0.0.1:9 FRMR_RUNTIME_DIR={home / 'run'} TERM=screen"
    )
    terminal = FirstKeys(f"frmr-first-keys-{os.getpid()}", home)
    terminal.tmux(
        "new-session", "-d", "-s", terminal.session, "-x", "80", "-y", "24", f"{env} {tui}"
    )
    try:
        yield terminal
    finally:
        # The TUI starts the daemon after the store opens: a test this quick would end before
        # it is up, and the stop below would find nothing to stop (the daemon outlived the
        # test). Its dialog closed first: the header is under it. A test already failing
        # may never get there; its own error is the one to report.
        terminal.burst("Escape")
        with contextlib.suppress(AssertionError):
            terminal.wait_for("демон: работает")
        terminal.tmux("kill-session", "-t", terminal.session)
        # The TUI starts the daemon detached (it outlives the TUI by design): stop it here.
        stopped = stop_launched_daemon(tui_settings(home), home)
        shutil.rmtree(home.parent, ignore_errors=True)
        assert stopped, "the daemon the TUI started did not stop"


def test_folder_key_right_after_the_list_appears_opens_the_folder(tui: FirstKeys) -> None:
    tui.key_when("Терапия", "o")
    seen = tui.captures_until("Положите файлы")
    assert WAITING not in seen


def test_history_key_right_after_the_list_appears_shows_the_history(tui: FirstKeys) -> None:
    """The history is read through the account: the key waits for it to open, then runs."""
    tui.key_when("Терапия", "h")
    seen = tui.captures_until("История статусов")
    assert "Черновик" in tui.screen()
    assert WAITING not in seen

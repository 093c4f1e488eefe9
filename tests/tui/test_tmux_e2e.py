"""frmr-tui in a real terminal (tmux, 80×24, TERM=screen: 16 colours) against a real registry
and the daemon the TUI starts itself, with the application's file sent over a real sshd as a
doctor does from their own computer: log in, add, see the folder and the scp line, scp a PDF,
see it attached, form, confirm the submission, watch the daemon deliver it. Each wait is for
screen text only that step can produce. Fails, never skips, when tmux is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.model.applications.lifecycle import list_applications
from frmr.model.store.account import open_account
from tests.samples import make_pdf
from tests.support.daemon_process import FAST_ENV, stop_launched_daemon
from tests.support.registry_process import DEMO_LOGIN, DEMO_PASSWORD, RegistryProcess
from tests.support.sshd import Sshd
from tests.support.tmux import Terminal
from tests.tui.conftest import tui_settings
from tests.tui.support import add_scans, fill_card, fill_portfolio

pytestmark = pytest.mark.real_process

SESSION = f"frmr-e2e-{os.getpid()}"


_term = Terminal(SESSION, pause=0.3, patience=20)
_tmux, _keys, _screen, _wait_for = _term.tmux, _term.keys, _term.screen, _term.wait_for


@pytest.fixture
def tui_in_tmux(registry: RegistryProcess, tmp_path: Path) -> Iterator[Path]:
    # A short home, so the application's folder fits on one line of the 80-column dialog.
    home = Path(tempfile.mkdtemp(prefix="e2e-", dir="/tmp")) / "home"
    settings = tui_settings(home)
    with open_account(settings) as account:
        fill_card(account)
        fill_portfolio(account)
        add_scans(account)
    tui = Path(sys.executable).with_name("frmr-tui")
    # The daemon the TUI starts inherits this environment: the test's short timings included.
    fast = " ".join(f"{name}={value}" for name, value in FAST_ENV.items())
    env = (
        f"env FRMR_HOME={home} FRMR_CONFIG={tmp_path / 'config.toml'} {fast} "
        f"FRMR_REGISTRY_URL={registry.url} FRMR_RUNTIME_DIR={home / 'run'} TERM=screen"
    )
    _tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", f"{env} {tui}")
    try:
        yield home
    finally:
        # The story ends with ^q, after which the session closes with the app: nothing left
        # to kill then, and tmux says so with exit 1.
        if (
            subprocess.run(["tmux", "has-session", "-t", SESSION], capture_output=True).returncode
            == 0
        ):
            _tmux("kill-session", "-t", SESSION)
        # The daemon is detached (it outlives the TUI by design): stop it with the test.
        assert stop_launched_daemon(settings, home), "the daemon the TUI started did not stop"
        shutil.rmtree(home.parent, ignore_errors=True)


def test_add_scp_a_file_form_and_submit_in_a_terminal(
    tui_in_tmux: Path, sshd: Sshd, tmp_path: Path
) -> None:
    _wait_for("Вход в личный кабинет")
    # One burst, as a paste or a laggy SSH link delivers it: each part must land in its field.
    _tmux("send-keys", "-t", SESSION, DEMO_LOGIN, "Tab", DEMO_PASSWORD)
    screen = _wait_for("•" * len(DEMO_PASSWORD))
    assert DEMO_LOGIN in screen and DEMO_LOGIN + DEMO_PASSWORD not in screen
    _keys("Enter")
    # Said once the full list is loaded, when «Добавить» has what its form needs.
    _wait_for("Заявлений пока нет")
    assert (tui_in_tmux / "token.json").exists()
    _keys("a")
    # The empty list's hint names «Добавить заявление» too: wait for a field only the form has.
    _wait_for("Вид аккредитации")
    # ↓ to the specialty list, open it, type to find Терапия (the specialty the sandbox
    # employee holds a document in: «Сформировать» checks readiness), save with ctrl+o.
    _keys("Down", "Enter")
    _wait_for("Авиационная и космическая медицина")
    _keys("Терапия")
    _keys("Enter")
    # The closed list is framed (│) since the dropdowns got borders drawn in characters.
    _wait_for("Специальность *       │Терапия")
    _keys("C-o")
    # The new draft's folder comes up by itself, with the line to paste on the doctor's side.
    screen = _wait_for("Заявление добавлено (черновик)")
    with open_account(tui_settings(tui_in_tmux)) as account:
        [view] = list_applications(account)
    assert view.folder in screen
    assert "scp файл.pdf " in screen
    _keys("Escape")
    _wait_for("Черновик")
    # Sent from «their computer» through a real sshd on loopback, into the folder shown.
    make_pdf(tmp_path / "diploma.pdf", size=40_000)
    sshd.scp(tmp_path / "diploma.pdf", f"{view.folder}/Смирнова диплом.pdf")
    _wait_for("Файлы: файлов 1/5", seconds=60)
    assert "Смирнова диплом.pdf" in _screen()
    _keys("f")
    _wait_for("Набор файлов закрепится")
    _keys("y")
    _wait_for("Сформировано")
    _keys("p")
    _wait_for("Фоновая служба отправит его в ФРМР")
    _keys("y")
    # The daemon the TUI started takes the token, pushes the card and delivers the application.
    screen = _wait_for("На рассмотрении", seconds=60)
    assert "Иванова" in screen
    # The daemon may still be reading the удостоверение scan for courses («чтение 1/1»).
    _wait_for("демон: работает", seconds=60)
    _keys("C-q")

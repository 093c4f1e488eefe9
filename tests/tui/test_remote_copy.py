"""What the folder dialog and the QR screen tell a doctor working over SSH: scp and rsync lines
that reach this machine on the port their session came in on, a copy reported as sent (never
as arrived), and our commands named so that they run as shown."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.model.applications.lifecycle import list_applications
from frmr.model.store.account import Account, open_account
from frmr.tui.remote_copy import fold_command
from frmr.tui.screens.dialogs import FolderScreen
from frmr.tui.shell_command import shown_command
from tests.samples import make_pdf
from tests.support.daemon_process import stop_launched_daemon
from tests.support.sshd import Sshd
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, new_app, wait_for

SESSION = f"frmr-ssh-{os.getpid()}"


@pytest.mark.anyio
async def test_s_says_the_command_was_sent_and_keeps_it_on_screen(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TMUX", "STY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.7 51234 192.0.2.10 2222")
    monkeypatch.setenv("USER", "ivanova")
    fill_card(account)
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, FolderScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: bool(app._notifications))
        [notice] = [n.message for n in app._notifications]
        assert notice.startswith("Команда scp отправлена в терминал"), notice
        assert "скопирован" not in notice
        assert isinstance(app.screen, FolderScreen)  # still there to select
        assert app.clipboard.startswith("scp -P 2222 файл.pdf ivanova@192.0.2.10:")


@pytest.mark.anyio
@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_the_rows_showing_each_command_read_back_in_a_shell_as_that_command(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Whole rows selected in a terminal, as shown: a real shell reads the rows under each
    command as exactly that command's words (the scp and rsync here only print them)."""
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.7 51234 192.0.2.10 2222")
    monkeypatch.setenv("USER", "ivanova-petrovskaya")
    fill_card(account)
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, FolderScreen))
        await pilot.pause()
        assert isinstance(app.screen, FolderScreen)
        commands = app.screen.commands
        # The rows as the terminal holds them; a selection drops the trailing blanks.
        rows = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
    assert max(len(c) for c in commands) > size[0] or size[0] == 120, "nothing would wrap"
    assert all(len(row) <= size[0] for row in rows)
    scp = next(i for i, row in enumerate(rows) if row.startswith("scp "))
    rsync = next(i for i, row in enumerate(rows) if row.startswith("rsync "))
    end = next(i for i in range(rsync, len(rows)) if not rows[i])
    print_words = 'scp() { printf "%s\\0" scp "$@"; }; rsync() { printf "%s\\0" rsync "$@"; }'
    for shown, command in ((rows[scp:rsync], commands[0]), (rows[rsync:end], commands[1])):
        pasted = "\n".join(shown)
        done = subprocess.run(
            ["bash", "--norc", "-c", f"{print_words}\n{pasted}"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.split("\0")[:-1] == shlex.split(command), pasted


@pytest.mark.parametrize("width", [12, 20, 33, 56, 76])
def test_a_folded_command_is_the_same_words_to_a_shell(width: int) -> None:
    """Breaks between words, inside a single-quoted word, beside a quote inside one."""
    destination = shlex.quote("o'brien@192.0.2.10:/home/o'brien/Мои документы/application-0a/")
    command = f"rsync -t -e 'ssh -p 2222' файл.pdf {destination}"
    lines = fold_command(command, width)
    assert len(lines) > 1
    assert all(len(line) <= width for line in lines), lines
    done = subprocess.run(
        ["bash", "--norc", "-c", 'words() { printf "%s\\0" "$@"; }\nwords ' + "\n".join(lines)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\0")[:-1] == shlex.split(command), lines


def test_our_commands_are_named_by_full_path_when_path_does_not_find_them() -> None:
    ours = Path(sys.executable).with_name("frmr")
    assert ours.exists(), "the test runs from an install with its scripts"
    assert shown_command("frmr", {"PATH": "/usr/bin:/bin"}) == shlex.quote(str(ours))
    assert shown_command("frmr", {"PATH": f"{ours.parent}:/usr/bin"}) == "frmr"


def _tmux(*args: str) -> str:
    tmux = shutil.which("tmux")
    assert tmux is not None, "tmux is required for this test"
    return subprocess.run([tmux, *args], capture_output=True, text=True, check=True).stdout


def _screen(window: str) -> str:
    return _tmux("capture-pane", "-p", "-J", "-t", f"{SESSION}:{window}")


def _wait_for(window: str, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screen = _screen(window)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen:\n{_screen(window)}")


def _copy_rows(window: str, first: int, last: int) -> None:
    """Select rows first..last of the window's screen in tmux's copy mode, as a doctor selects
    them with the mouse, into tmux's paste buffer."""
    pane = f"{SESSION}:{window}"
    _tmux("copy-mode", "-t", pane)
    _tmux("send-keys", "-t", pane, "-X", "top-line")
    if first:
        _tmux("send-keys", "-t", pane, "-N", str(first), "-X", "cursor-down")
    _tmux("send-keys", "-t", pane, "-X", "start-of-line")
    _tmux("send-keys", "-t", pane, "-X", "begin-selection")
    if last > first:
        _tmux("send-keys", "-t", pane, "-N", str(last - first), "-X", "cursor-down")
    _tmux("send-keys", "-t", pane, "-X", "end-of-line")
    _tmux("send-keys", "-t", pane, "-X", "copy-selection-and-cancel")


def _command_rows(screen: str, program: str) -> tuple[int, int]:
    """The rows a doctor selects as the command starting with `program`: from its first row
    to the row before a blank one or the next command."""
    # What the rows read as, a dialog's side border (once there was one) aside.
    rows = [row.strip("█ ") for row in screen.splitlines()]
    first = next(i for i, row in enumerate(rows) if row.startswith(program + " "))
    last = first
    while rows[last + 1] and not rows[last + 1].startswith("rsync "):
        last += 1
    return first, last


@pytest.fixture
def home_with_a_draft() -> Iterator[Path]:
    # A home whose folder path is longer than the screen is wide, as a real one often is.
    home = Path(tempfile.mkdtemp(prefix="ssh-", dir="/tmp")) / ("домашняя-папка-" + "ф" * 40)
    with open_account(tui_settings(home)) as account:
        fill_card(account)
        new_app(account)
    yield home
    shutil.rmtree(home.parent, ignore_errors=True)


@pytest.mark.real_process
def test_the_shown_scp_lines_selected_and_pasted_into_a_shell_deliver_the_file(
    home_with_a_draft: Path, sshd: Sshd, tmp_path: Path
) -> None:
    """The TUI runs inside a real SSH session to an sshd on a port that is not 22, at 80×24;
    the rows showing the scp command, selected in tmux and pasted into a shell, put the file
    into the application's folder byte for byte."""
    home = home_with_a_draft
    tui = Path(sys.executable).with_name("frmr-tui")
    ssh_options = (
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
        f"-i {sshd.client_key}"
    )
    # No registry: this is about the line on screen and where it leads.
    remote = (
        f"env FRMR_HOME={shlex.quote(str(home))} FRMR_REGISTRY_URL=http://127.0.0.1:9 "
        f"FRMR_RUNTIME_DIR={shlex.quote(str(home / 'run'))} TERM=screen {tui}"
    )
    login = f"ssh -tt {ssh_options} -p {sshd.port} {sshd.user}@127.0.0.1 {shlex.quote(remote)}"
    _tmux("new-session", "-d", "-s", SESSION, "-n", "tui", "-x", "80", "-y", "24", login)
    try:
        _wait_for("tui", "Без сети (Esc)")
        _tmux("send-keys", "-t", f"{SESSION}:tui", "Escape")
        _wait_for("tui", "Аккредитация → Заявления")  # the login screen is gone
        # «Сформировать» is offered once the full list is loaded, when «o» has its folder; the
        # daemon the TUI starts answers last («нужен вход»: no token, no registry).
        _wait_for("tui", "f Сформировать")
        _wait_for("tui", "демон: нужен вход")
        _tmux("send-keys", "-t", f"{SESSION}:tui", "o")
        screen = _wait_for("tui", "С вашего компьютера")
        first, last = _command_rows(screen, "scp")
        assert last > first, f"the command fits one row; nothing is tested:\n{screen}"
        assert f"-P {sshd.port}" in screen.splitlines()[first]
        _copy_rows("tui", first, last)
        # The doctor's computer: a shell in the folder holding their file. Their own ssh setup
        # (which key, which known hosts) is what this function stands for; the rows are pasted
        # as copied.
        pdf = make_pdf(tmp_path / "файл.pdf", size=30_000)
        _tmux("new-window", "-t", SESSION, "-n", "doctor", "-c", str(tmp_path), "bash --norc")
        shell = f"{SESSION}:doctor"
        _tmux("send-keys", "-t", shell, f'scp() {{ command scp {ssh_options} "$@"; }}', "Enter")
        _tmux("paste-buffer", "-p", "-t", shell)
        # The typed line holds the expression, only the shell's answer holds its value.
        _tmux("send-keys", "-t", shell, " && echo sent-$((40+2))", "Enter")
        _wait_for("doctor", "sent-42")
        with open_account(tui_settings(home)) as account:
            [view] = list_applications(account)
        arrived = Path(view.folder) / "файл.pdf"
        assert arrived.read_bytes() == pdf.read_bytes()
    finally:
        _tmux("kill-session", "-t", SESSION)
        # The TUI starts the daemon detached (it outlives the TUI by design).
        assert stop_launched_daemon(tui_settings(home), home), (
            "the daemon the TUI started did not stop"
        )

"""The sandbox registry while the TUI runs: a dead one is reaped and started again, `frmr
sandbox` manages it without a pid file, and the QR login fits 80×24 with the sandbox's code
and the one command that approves it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Static

from frmr.model.store.settings import Settings
from frmr.sync.registry_url import read_info
from frmr.sync.sandbox import Sandbox, is_alive, stop_sandbox
from frmr.tui.screens.login import LoginScreen
from tests.cli.test_cli import Frmr
from tests.support.registry_process import RegistryProcess
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for

pytestmark = pytest.mark.real_process


def _frmr(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FRMR_HOME": str(home), "FRMR_CONFIG": str(home / "none.toml")}
    env.pop("FRMR_REGISTRY_URL", None)
    tool = Path(sys.executable).with_name("frmr")
    return subprocess.run([str(tool), *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def sandbox_settings(tmp_path: Path) -> Iterator[Settings]:
    settings = tui_settings(tmp_path / "home")
    settings = replace(settings, registry_url=None)
    yield settings
    stop_sandbox(settings)


def _state(pid: int) -> str | None:
    """The process's state letter from /proc (Z: a zombie), or None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def test_a_dead_sandbox_is_reaped_and_started_again(sandbox_settings: Settings) -> None:
    keeper = Sandbox(sandbox_settings)
    first, started = keeper.keep_up()
    assert started and is_alive(sandbox_settings)
    assert keeper.keep_up() == (first, False)  # alive: reused, not restarted
    os.kill(first["pid"], signal.SIGKILL)
    os.waitid(os.P_PID, first["pid"], os.WEXITED | os.WNOWAIT)  # dead, not yet reaped
    assert _state(first["pid"]) == "Z"
    second, restarted = keeper.keep_up()
    assert restarted and second["pid"] != first["pid"]
    assert _state(first["pid"]) is None  # reaped, no zombie left
    assert is_alive(sandbox_settings)
    # The demo employee's credentials survive the restart: the login screen still shows them.
    assert (second["login"], second["password"]) == (first["login"], first["password"])


def test_frmr_sandbox_start_status_stop(sandbox_settings: Settings) -> None:
    """`start` and the `stop` that finds it are processes of their own, as a person runs them:
    the sandbox outlives the one and is no child of the other. Asking needs no process."""
    home = sandbox_settings.home
    ask = Frmr(home, home / "none.toml")
    assert "остановлена" in ask("sandbox", "status").stdout
    started = _frmr(home, "sandbox", "start")
    assert started.returncode == 0, started.stderr
    assert "Песочница запущена: http://127.0.0.1:" in started.stdout
    status = ask("sandbox", "status")
    assert "Песочница работает" in status.stdout and "Логин: 112-233-445 95" in status.stdout
    pid = read_info(sandbox_settings)["pid"]
    stopped = _frmr(home, "sandbox", "stop")
    assert f"Песочница остановлена (процесс {pid})" in stopped.stdout
    assert not is_alive(sandbox_settings)
    assert "Песочница не работала" in ask("sandbox", "stop").stdout


@pytest.mark.anyio
async def test_qr_login_fits_80x24_and_the_sandbox_command_approves_it(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    app = tui_app(tui_settings(tmp_path / "home", registry.url), ask_login=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        app.sandbox = {"url": registry.url, "login": "112-233-445 95", "password": "x"}
        await pilot.press("f8")
        screen = app.screen
        qr = screen.query_one("#qr", Static)
        await wait_for(pilot, lambda: bool(str(qr.render()).strip()), seconds=30)
        # Laid out for the code it now holds: every row of it has a row of the screen.
        await wait_for(pilot, lambda: qr.region.height == len(str(qr.render()).splitlines()))
        assert qr.region.bottom <= 23  # above the key line: every row of the code shows
        caption = str(screen.query_one("#qr-caption", Static).render())
        code = caption.split("frmr sandbox approve ", 1)[1].split()[0]
        assert f"код {code}" in caption
        assert all(len(line) <= 76 for line in caption.splitlines())
        # What `frmr sandbox approve` runs, against this test's registry database.
        await asyncio.to_thread(registry.cli, "qr", "approve", code)
        await wait_for(pilot, lambda: not isinstance(app.screen, LoginScreen), seconds=30)
    assert (tmp_path / "home" / "token.json").exists()


def test_f6_shows_an_error_only_while_something_is_wrong() -> None:
    from datetime import UTC, datetime

    from frmr.tui.messages import DaemonStatusFetched
    from frmr.tui.screens.sync import status_text
    from tests.support.daemon_process import a_daemon_status

    now = datetime.now(UTC)
    recovered = a_daemon_status(
        registry_url="http://127.0.0.1:1",
        registry_reachable=True,
        logged_in=True,
        last_sync_at=now,
        last_sync_ok=True,
        last_error="сбой",
    )
    shown = status_text(DaemonStatusFetched(recovered), now).plain
    assert "на связи" in shown and "сбой" not in shown
    down = recovered.model_copy(update={"registry_reachable": False, "last_sync_ok": False})
    assert "Ошибка: сбой" in status_text(DaemonStatusFetched(down), now).plain


def test_frmr_sandbox_applications_and_review_by_number(
    sandbox_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review flow a new user follows: the sandbox decides nothing by itself when its
    automatic decision is off, `frmr sandbox applications` lists what it holds, and `frmr
    sandbox review НОМЕР` decides by the number the app shows."""
    import httpx

    from frmr.contract.protocol import Paths
    from tests.registry.conftest import application_body

    monkeypatch.setenv("FRMR_SANDBOX_AUTO_REVIEW_SECONDS", "0")
    home = sandbox_settings.home
    settings = replace(sandbox_settings, sandbox_auto_review_seconds=0)
    info, _started = Sandbox(settings).keep_up()
    assert info["auto_review_seconds"] is None
    with httpx.Client(base_url=info["url"], timeout=20) as client:
        token = client.post(
            Paths.LOGIN, json={"login": info["login"], "password": info["password"]}
        ).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        body = application_body()
        client.post(
            Paths.APPLICATIONS, json=body, headers={"Idempotency-Key": body["id"]}
        ).raise_for_status()
        submitted = client.post(
            Paths.APPLICATION_SUBMIT.format(id=body["id"]),
            headers={"Idempotency-Key": f"{body['id']}:1"},
        )
        submitted.raise_for_status()
        number = submitted.json()["number"]
    status = _frmr(home, "sandbox", "status")
    assert "Решения по заявлениям принимаете вы" in status.stdout
    listed = _frmr(home, "sandbox", "applications")
    assert listed.returncode == 0, listed.stderr
    assert number in listed.stdout and "На рассмотрении" in listed.stdout
    refused = _frmr(home, "sandbox", "review", number, "--decision", "rejected")
    assert refused.returncode != 0 and "Укажите причину" in refused.stderr
    decided = _frmr(
        home, "sandbox", "review", number, "--decision", "rejected", "--reason", "Нет диплома"
    )
    assert decided.returncode == 0, decided.stderr
    assert decided.stdout.strip() == f"{number}: Отклонено"
    assert "Отклонено" in _frmr(home, "sandbox", "applications").stdout


def test_frmr_sandbox_review_before_any_sandbox_says_so(tmp_path: Path) -> None:
    done = _frmr(tmp_path / "home", "sandbox", "review", "ФРМР-2026-000001", "--decision", "passed")
    assert done.returncode != 0
    assert "Песочница ещё не запускалась" in done.stderr
    assert not (tmp_path / "home" / "sandbox" / "registry.db").exists()


@pytest.mark.anyio
async def test_f6_says_when_the_sandbox_died_and_was_started_again(
    sandbox_settings: Settings,
) -> None:
    """The sandbox process killed under a running TUI: the app's watch starts a new one and
    F6's log says so, with the new address."""
    from frmr.tui.screens.sync import SyncScreen
    from tests.tui.support import screen_text

    app = tui_app(sandbox_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.account is not None)
        # What start_registry_and_daemon does, without the daemon: the watch is the subject.
        app.sandbox_keeper = Sandbox(sandbox_settings)
        first, started = await asyncio.to_thread(app.sandbox_keeper.keep_up)
        assert started
        await app.switch_mode("sync")
        await wait_for(pilot, lambda: isinstance(app.screen, SyncScreen))
        app.watch_sandbox()  # alive: nothing to say
        await pilot.pause(0.5)
        assert "Песочница остановилась" not in screen_text(pilot)
        os.kill(first["pid"], signal.SIGKILL)
        app.watch_sandbox()
        await wait_for(pilot, lambda: "Песочница остановилась" in screen_text(pilot), seconds=60)
        second = read_info(sandbox_settings)
        assert second["pid"] != first["pid"] and is_alive(sandbox_settings)
        [line] = [x for x in screen_text(pilot).splitlines() if "Песочница остановилась" in x]
        assert line.endswith(f"Песочница остановилась и запущена снова: {second['url']}"), line


def test_two_starters_at_once_start_one_sandbox(sandbox_settings: Settings) -> None:
    """`frmr sandbox start` and the TUI's watch, both finding it stopped: one server starts,
    the other is told it runs. Two once started on the same database, one left unrecorded."""
    from concurrent.futures import ThreadPoolExecutor

    keepers = [Sandbox(sandbox_settings), Sandbox(sandbox_settings)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda keeper: keeper.keep_up(), keepers))
    assert sorted(started for _info, started in answers) == [False, True]
    assert answers[0][0]["pid"] == answers[1][0]["pid"] == read_info(sandbox_settings)["pid"]
    assert [k.process is not None for k in keepers].count(True) == 1

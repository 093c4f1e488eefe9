"""F6's event log, fed by a real control socket: a routine pull (nothing moved after a
good cycle) leaves no line, the sync that sent something does."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import warnings
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import RichLog, Static

from frmr.daemon.control import ControlServer
from frmr.daemon.events import EventHub
from frmr.daemon.protocol import Ack
from frmr.daemon.syncer import Syncer
from frmr.model.store.account import Account
from frmr.tui.widgets.key_bar import KeyBar
from tests.support.daemon_process import a_daemon_status
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for

pytestmark = pytest.mark.anyio


async def test_routine_pulls_stay_out_of_the_log(account: Account, frmr_home: Path) -> None:
    settings = tui_settings(frmr_home)
    hub = EventHub()
    server = ControlServer(
        settings.control_socket, hub, status=a_daemon_status, sync_now=lambda: None
    )
    server.start()
    try:
        async with tui_app(settings).run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: pilot.app.daemon_status is not None)
            await pilot.press("f6")
            await wait_for(pilot, lambda: pilot.app.current_mode == "sync")
            log = pilot.app.screen.query_one("#events", RichLog)
            for _ in range(3):
                hub.publish("sync_started", {"message": "Синхронизация с ФРМР…", "routine": True})
                hub.publish(
                    "sync_finished",
                    {"ok": True, "routine": True, "message": "Синхронизация завершена"},
                )
            hub.publish("sync_started", {"message": "Синхронизация с ФРМР…", "routine": False})
            hub.publish(
                "sync_finished",
                {
                    "ok": True,
                    "pushed": 1,
                    "routine": False,
                    "message": "Синхронизация завершена: отправлено изменений: 1",
                },
            )
            # Events arrive in order: once the last is shown, the routine ones were handled.
            await wait_for(pilot, lambda: any("отправлено" in line.text for line in log.lines))
            lines = [line.text for line in log.lines]
            assert sum("Синхронизация с ФРМР" in line for line in lines) == 1
            assert sum("Синхронизация завершена" in line for line in lines) == 1
    finally:
        server.close()
        hub.close()


async def test_the_daemon_going_quiet_and_starting_again_shows_in_the_log(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon can't say it stopped: the app says what its answers show."""
    monkeypatch.setattr("frmr.tui.app.DAEMON_RECONNECT_SECONDS", 0.2)
    settings = tui_settings(frmr_home)

    def serve(hub: EventHub, pid: int) -> ControlServer:
        server = ControlServer(
            settings.control_socket,
            hub,
            status=lambda: a_daemon_status(pid=pid),
            sync_now=lambda: None,
        )
        server.start()
        return server

    first_hub, second_hub = EventHub(), EventHub()
    server = serve(first_hub, 4242)
    try:
        async with tui_app(settings).run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: pilot.app.daemon_status is not None)
            await pilot.press("f6")
            await wait_for(pilot, lambda: pilot.app.current_mode == "sync")
            log = pilot.app.screen.query_one("#events", RichLog)
            server.close()
            first_hub.close()
            await wait_for(pilot, lambda: pilot.app.daemon_status is None)
            server = serve(second_hub, 5151)
            await wait_for(pilot, lambda: any("5151" in line.text for line in log.lines))
            lines = [line.text.split(" ", 1)[1] for line in log.lines]
            assert lines == ["Фоновая служба не отвечает", "Фоновая служба работает (pid 5151)"]
    finally:
        server.close()
        second_hub.close()


async def test_why_a_login_is_needed_reaches_the_log_in_russian(
    account: Account, frmr_home: Path
) -> None:
    """A real syncer with no token file: its log line is English, F6's is Russian."""
    settings = tui_settings(frmr_home)
    assert not settings.token_path.exists()
    hub = EventHub()
    server = ControlServer(
        settings.control_socket, hub, status=a_daemon_status, sync_now=lambda: None
    )
    server.start()
    syncer = Syncer(settings, account.store, hub)
    try:
        async with tui_app(settings).run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: pilot.app.daemon_status is not None)
            await pilot.press("f6")
            await wait_for(pilot, lambda: pilot.app.current_mode == "sync")
            log = pilot.app.screen.query_one("#events", RichLog)
            syncer.start()
            syncer.wake(force=True)
            await wait_for(pilot, lambda: any("вход" in line.text for line in log.lines))
            # The log wraps at the screen's width: one event, read back as one line.
            shown = " ".join(line.text.strip() for line in log.lines).split(" ", 1)[1]
            assert shown == (
                "Нужен вход в личный кабинет ФРМР: вход ещё не выполнен. Выполните «frmr login»"
            )
    finally:
        syncer.stop(2.0)
        server.close()
        hub.close()


async def test_start_the_daemon_is_offered_only_while_none_answers(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F6's «z Запустить демон» while a daemon answers on the control socket would start a
    second one; once it stops answering, the key is offered again."""
    monkeypatch.setattr("frmr.tui.app.DAEMON_RECONNECT_SECONDS", 0.2)
    settings = tui_settings(frmr_home)
    hub = EventHub()
    server = ControlServer(
        settings.control_socket, hub, status=a_daemon_status, sync_now=lambda: None
    )
    server.start()

    def keys(pilot: Pilot[None]) -> str:
        return pilot.app.screen.query_one(KeyBar).render().plain

    try:
        async with tui_app(settings).run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: pilot.app.daemon_status is not None)
            await pilot.press("f6")
            await wait_for(pilot, lambda: "Фоновая служба работает" in _status(pilot))
            await pilot.pause()
            assert "Синхронизировать сейчас" in keys(pilot)
            assert "Запустить демон" not in keys(pilot)
            server.close()
            hub.close()
            await wait_for(pilot, lambda: "остановлена" in _status(pilot))
            await wait_for(pilot, lambda: "Запустить демон" in keys(pilot))
    finally:
        server.close()
        hub.close()


def _status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#daemon-status", Static).render())


def test_an_answer_after_the_app_closed_leaves_no_coroutine_behind(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon acknowledges the subscription only after the app and its event loop have
    closed: the status the app then asks for is dropped quietly, not left as a coroutine
    never awaited (Python's RuntimeWarning on the terminal the app gave back)."""
    monkeypatch.setattr("frmr.tui.app.DAEMON_RECONNECT_SECONDS", 0.1)
    settings = tui_settings(frmr_home)
    settings.control_socket.parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(settings.control_socket))
    listener.listen()
    subscribed, closed, acknowledged = (threading.Event() for _ in range(3))

    def daemon() -> None:
        conn, _ = listener.accept()
        listener.close()  # the status asked after the ack finds no daemon
        with conn:
            conn.recv(1024)  # the subscribe request
            subscribed.set()
            closed.wait(10)
            conn.sendall(Ack.build(ok=True).line())
            acknowledged.set()

    threading.Thread(target=daemon, daemon=True).start()
    earlier = set(threading.enumerate())  # another test's app may still be winding down

    async def run_and_close() -> None:
        async with tui_app(settings).run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, subscribed.is_set)

    asyncio.run(run_and_close())
    (follower,) = [
        t for t in threading.enumerate() if t.name == "daemon-events" and t not in earlier
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        closed.set()
        assert acknowledged.wait(10)
        follower.join(10)
        gc.collect()
    assert not follower.is_alive()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []

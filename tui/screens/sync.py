"""Синхронизация: the daemon's status, its live events, the next retry and
«Синхронизировать сейчас»."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, RichLog, Static

from frmr.tui import pack_progress
from frmr.tui.messages import DaemonEventReceived, DaemonStatusFetched
from frmr.tui.screens.base import AccountScreen

RECONNECT_SECONDS = 2.0


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def status_text(message: DaemonStatusFetched, now: datetime) -> Text:
    status = message.status
    text = Text()
    if status is None:
        text.append("Фоновая служба остановлена", style="bold")
        text.append(" — нажмите z, чтобы запустить её.")
        return text
    text.append(f"Фоновая служба работает (pid {status.get('pid', '?')})\n", style="bold")
    reachable = status.get("registry_reachable")
    text.append(f"Регистр: {status.get('registry_url') or '—'}")
    text.append(" — на связи\n" if reachable else " — нет связи\n")
    if status.get("login_required"):
        text.append("Нужен вход: нажмите F7\n", style="bold")
    last = _parse_time(status.get("last_sync_at"))
    text.append(
        f"Последняя синхронизация: {f'{last.astimezone():%d.%m.%Y %H:%M:%S}' if last else '—'}\n"
    )
    text.append(
        f"В очереди: {status.get('queued', 0)} · не доставлено: {status.get('not_delivered', 0)}"
        f" · не принятых файлов: {status.get('rejected_files', 0)}\n"
    )
    retry = _parse_time(status.get("next_retry_at"))
    if retry is not None:
        seconds = max(0, int((retry - now).total_seconds()))
        text.append(f"Следующая попытка через {seconds} с\n")
    # The daemon keeps its last error after it recovered; shown only while something is
    # still wrong, so «на связи» never stands next to an error that is over.
    troubled = not reachable or status.get("last_sync_ok") is False or status.get("disk_problem")
    if status.get("last_error") and troubled:
        text.append(f"Ошибка: {status['last_error']}\n")
    packing = pack_progress.line(status)
    if packing:
        text.append(f"{packing}\n", style="bold")
    if status.get("watched_folder"):
        text.append(f"Папка для файлов: {status['watched_folder']}")
    return text


class SyncScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ы", "sync_now", "Синхронизировать сейчас", id="sync.now"),
        Binding("z,я", "start_daemon", "Запустить демон", id="sync.start"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.last_status: DaemonStatusFetched | None = None

    def body(self) -> ComposeResult:
        yield Label(Text("Синхронизация"), classes="screen-title")
        yield Static(Text("Спрашиваем фоновую службу…"), id="daemon-status")
        yield Label(Text("События"), classes="section-title")
        yield RichLog(id="events", wrap=True, max_lines=1000)

    def on_mount(self) -> None:
        super().on_mount()
        if self.frmr.daemon_polled:  # the last answer now, not at the next poll
            self.show_status(DaemonStatusFetched(self.frmr.daemon_status))
        self.set_interval(1.0, self._tick)
        if self.frmr.settings is not None:
            # subscribe() blocks on a socket read that no cancel can interrupt, so it gets a
            # daemon thread rather than a worker: the app can always exit.
            threading.Thread(target=self._listen, name="daemon-events", daemon=True).start()

    def _listen(self) -> None:
        from frmr.daemon.control_client import subscribe

        assert self.frmr.settings is not None
        socket_path = self.frmr.settings.control_socket
        while self.is_attached:
            try:
                for event in subscribe(socket_path):
                    self.post_message(DaemonEventReceived(event))
            except OSError:
                pass
            time.sleep(RECONNECT_SECONDS)

    def on_daemon_event_received(self, message: DaemonEventReceived) -> None:
        event = message.event
        if self._packing_event(event):
            return
        at = _parse_time(event.get("at"))
        line = Text(f"{at.astimezone():%H:%M:%S} " if at else "")
        line.append(str(event.get("message") or event.get("event", "")))
        self.query_one("#events", RichLog).write(line)

    def _packing_event(self, event: dict[str, Any]) -> bool:
        """Packing progress moves the status's line between polls instead of filling the
        log; True when the event was only that."""
        kind = str(event.get("event"))
        if kind not in ("pack_progress", "file_packed"):
            return False
        status = self.last_status.status if self.last_status is not None else None
        if status is not None:
            progress = {k: v for k, v in event.items() if k not in ("event", "at")}
            status["packing"] = progress if kind == "pack_progress" else None
            self._tick()
        return kind == "pack_progress"

    def show_status(self, message: DaemonStatusFetched) -> None:
        self.last_status = message
        self._tick()

    def _tick(self) -> None:
        if self.last_status is not None:
            self.query_one("#daemon-status", Static).update(
                status_text(self.last_status, datetime.now(UTC))
            )

    @work(thread=True, exclusive=True, group="sync-now", exit_on_error=False)
    def action_sync_now(self) -> None:
        from frmr.daemon.control_client import sync_now

        assert self.frmr.settings is not None
        asked = sync_now(self.frmr.settings.control_socket)
        text = "Синхронизация запущена" if asked else "Фоновая служба не отвечает: запустите её (z)"
        self.app.call_from_thread(self.notify, text, markup=False)

    @work(thread=True, exclusive=True, group="start-daemon", exit_on_error=False)
    def action_start_daemon(self) -> None:
        from frmr.tui.sandbox import start_daemon

        assert self.frmr.settings is not None
        text = start_daemon(self.frmr.settings)
        self.app.call_from_thread(self.notify, text, markup=False)
        self.frmr.call_from_thread(self.frmr.poll_daemon)

"""Синхронизация: the daemon's status, its live events, the next retry and
«Синхронизировать сейчас»."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, RichLog, Static

from frmr.tui import progress
from frmr.tui.messages import DaemonStatusFetched
from frmr.tui.screens.base import AccountScreen

if TYPE_CHECKING:
    from frmr.daemon.protocol import DaemonEvent


def status_text(message: DaemonStatusFetched, now: datetime) -> Text:
    status = message.status
    text = Text()
    if status is None:
        text.append("Фоновая служба остановлена", style="bold")
        text.append(" — нажмите z, чтобы запустить её.")
        return text
    text.append(f"Фоновая служба работает (pid {status.pid})\n", style="bold")
    reachable = status.registry_reachable
    text.append(f"Регистр: {status.registry_url or '—'}")
    text.append(" — на связи\n" if reachable else " — нет связи\n")
    if status.login_required:
        text.append("Нужен вход: нажмите F7\n", style="bold")
    last = status.last_sync_at
    text.append(
        f"Последняя синхронизация: {f'{last.astimezone():%d.%m.%Y %H:%M:%S}' if last else '—'}\n"
    )
    text.append(
        f"В очереди: {status.queued} · не доставлено: {status.not_delivered}"
        f" · не принятых файлов: {status.rejected_files}\n"
    )
    if status.next_retry_at is not None:
        seconds = max(0, int((status.next_retry_at - now).total_seconds()))
        text.append(f"Следующая попытка через {seconds} с\n")
    # The daemon keeps its last error after it recovered; shown only while something is
    # still wrong, so «на связи» never stands next to an error that is over.
    troubled = not reachable or status.last_sync_ok is False or status.disk_problem
    if status.last_error and troubled:
        text.append(f"Ошибка: {status.last_error}\n")
    for line in progress.lines(status):
        text.append(f"{line}\n", style="bold")
    text.append(f"Папка для файлов: {status.watched_folder}")
    return text


class SyncScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ы", "sync_now", "Синхронизировать сейчас", id="sync.now"),
        Binding("z,я", "start_daemon", "Запустить демон", id="sync.start"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.last_status: DaemonStatusFetched | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Offered only once the daemon is known not to answer: a running one needs no start.
        if action == "start_daemon":
            return self.last_status is not None and self.last_status.status is None
        return True

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
        # What the daemon said before this screen opened, then each event as it comes.
        for event in self.frmr.recent_events:
            self.show_event(event)

    def show_event(self, event: DaemonEvent) -> None:
        # Packing progress moves the status's line (the app asks for the status on each
        # event) instead of filling the log.
        # A routine pull moves the status's «последняя синхронизация» instead.
        if event.event in ("pack_progress", "reading_progress") or event.routine:
            return
        line = Text(f"{event.at.astimezone():%H:%M:%S} ")
        line.append(event.message or event.event.value)
        self.query_one("#events", RichLog).write(line)

    def show_status(self, message: DaemonStatusFetched) -> None:
        self.last_status = message
        self.refresh_bindings()
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

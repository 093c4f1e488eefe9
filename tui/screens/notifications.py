"""Уведомления (ctrl+n, and the palette): which events go where, what is configured, and
what the outbox holds. Choices are stored; the daemon reads them at its next event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from frmr.model.notifications.events import CHOOSABLE, Channel, EventKind
from frmr.model.notifications.outbox import set_choice
from frmr.model.rules.errors import FrmrError
from frmr.model.store.locations import config_file
from frmr.model.store.reads import read_store
from frmr.model.store.reads.notifications import ChannelStatus, outbox_status, read_choices

if TYPE_CHECKING:
    from frmr.model.store.account import Account
    from frmr.model.store.settings import Settings

MARK = {True: "да", False: "—"}


@dataclass(frozen=True)
class NotifyView:
    chosen: dict[EventKind, dict[Channel, bool]]
    outbox: list[ChannelStatus]
    channels: str


def channels_text(settings: Settings) -> str:
    from frmr.sync.notice_mail import configured_channels

    try:
        channels = configured_channels(settings)
    except FrmrError as error:
        return f"Эл. почта: {error.user_message}\n"
    mail = channels.mail
    lines = [
        "Эл. почта: " + (f"{mail.to} через {mail.host}:{mail.port}" if mail else "не настроена"),
        "Команда: " + (channels.command or "не задана"),
    ]
    if settings.notify_digest_minutes:
        lines.append(f"Сводка: одно письмо за {settings.notify_digest_minutes:g} мин.")
    lines.append(f"Адрес, сервер и команда задаются в файле {config_file()}")
    return "\n".join(lines)


def load_view(settings: Settings) -> NotifyView:
    with read_store(settings.layout) as read:
        chosen, outbox = read_choices(read.conn), outbox_status(read.conn)
    return NotifyView(chosen, outbox, channels_text(settings))


class NotificationsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,й", "dismiss(None)", "Закрыть", id="notify.close"),
        Binding("e,у", "switch('email')", "Почта: вкл./выкл.", id="notify.email"),
        Binding("h,р", "switch('hook')", "Команда: вкл./выкл.", id="notify.hook"),
    ]

    def __init__(self, account: Account, settings: Settings) -> None:
        super().__init__()
        self.account = account
        self.settings = settings
        self.view: NotifyView | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Label(Text("Уведомления"), classes="dialog-title")
            yield Static(Text("Читаем настройки…"), id="notify-channels")
            yield Label(
                Text("Какие события присылать (e — почта, h — команда)"), classes="section-title"
            )
            table: DataTable[str] = DataTable(id="notify-events", cursor_type="row")
            table.add_columns("Событие", "Почта", "Команда")
            yield table
            yield Static(Text(""), id="notify-outbox")

    def on_mount(self) -> None:
        self.query_one("#notify-events", DataTable).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="notify")
    def reload(self) -> None:
        view = load_view(self.settings)
        self.app.call_from_thread(self.show, view)

    def show(self, view: NotifyView) -> None:
        self.view = view
        self.query_one("#notify-channels", Static).update(Text(view.channels))
        table: DataTable[str] = self.query_one("#notify-events", DataTable)
        row = table.cursor_row
        table.clear()
        for kind in CHOOSABLE:
            on = view.chosen[kind]
            table.add_row(
                kind.label, MARK[on[Channel.EMAIL]], MARK[on[Channel.HOOK]], key=kind.value
            )
        table.move_cursor(row=min(row, len(CHOOSABLE) - 1))
        outbox = Text()
        for line in view.outbox:
            outbox.append(
                f"{line.channel.label}: отправлено {line.sent}, ждут {line.waiting}"
                + (f", с ошибкой {line.failing}" if line.failing else "")
                + "\n"
            )
            if line.last_error:
                outbox.append(f"  последняя ошибка: {line.last_error}\n")
        self.query_one("#notify-outbox", Static).update(outbox)

    def action_switch(self, channel: str) -> None:
        if self.view is None:
            return
        table: DataTable[str] = self.query_one("#notify-events", DataTable)
        kind = CHOOSABLE[table.cursor_row]
        which = Channel(channel)
        self._save(kind, which, not self.view.chosen[kind][which])

    @work(thread=True, exclusive=True, group="notify")
    def _save(self, kind: EventKind, channel: Channel, on: bool) -> None:
        set_choice(self.account.store, kind, channel, on)
        view = load_view(self.settings)
        self.app.call_from_thread(self.show, view)

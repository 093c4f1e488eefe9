"""Аккредитация → Заявления: the table, the row's details and menu; the new-application form is
in tui/screens/new_application.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from frmr.model.dates import format_date
from frmr.model.limits import quota_text
from frmr.model.statuses import ApplicationKind, ApplicationStatus
from frmr.tui.messages import ActionFailed, ActionSucceeded
from frmr.tui.screens.base import AccountScreen
from frmr.tui.screens.dialogs import ConfirmScreen, FolderScreen, MenuScreen, TextScreen
from frmr.tui.widgets.rows_view import PreparedRows, RowsView, prepare_rows

if TYPE_CHECKING:
    from frmr.model.actions.applications import ApplicationView, HistoryEntry
    from frmr.model.quick_read import FirstPageRow

COLUMNS = ("Номер", "Вид", "Специальность", "Статус", "Обновлено")


class ApplicationsLoaded(Message):
    """The full list, newest first, with the table's rows made ready in the worker so the UI
    thread only swaps them in."""

    def __init__(
        self,
        views: dict[str, ApplicationView],
        rows: PreparedRows,
        specialties: list[str],
        phone: str,
        email: str,
    ) -> None:
        super().__init__()
        self.views = views
        self.rows = rows
        self.specialties = specialties
        self.phone = phone
        self.email = email


class HistoryLoaded(Message):
    def __init__(self, title: str, entries: list[HistoryEntry]) -> None:
        super().__init__()
        self.title = title
        self.entries = entries


def application_cells(
    number: str | None,
    kind: ApplicationKind,
    specialty_name: str,
    status: ApplicationStatus,
    updated_at: datetime,
) -> tuple[str, ...]:
    """One table row, the same from the sqlite3 first page and from the model's full list."""
    return (
        number or "—",
        "Периодическая" if kind is ApplicationKind.PERIODIC else "Первичная",
        specialty_name,
        status.label,
        format_date(updated_at.astimezone().date()),
    )


def application_details(view: ApplicationView) -> Text:
    """The row's details: status with its meaning, the review reason, files and folder."""
    a = view.app
    text = Text()
    text.append(f"Заявление {a.number or 'без номера'}", style="bold")
    text.append(f" · {a.kind.label}\n")
    text.append(f"Специальность: {a.specialty_name} ({a.specialty_code})\n")
    text.append("Статус: ")
    text.append(a.status.label, style="bold")
    text.append(f" — {a.status.meaning}\n")
    if a.status_reason:
        text.append("Причина: ", style="bold")
        text.append(f"{a.status_reason}\n")
    if a.status is ApplicationStatus.NOT_DELIVERED or a.sync_error:
        attempt = f"попыток: {a.submit_attempts}"
        if a.next_attempt_at:
            attempt += f", следующая в {a.next_attempt_at.astimezone():%H:%M}"
        text.append(f"Отправка: {attempt}")
        if a.sync_error:
            text.append(f" — {a.sync_error}")
        text.append("\n")
    text.append(f"Файлы: {quota_text(len(view.documents), view.total_bytes)}")
    if view.documents:
        text.append(" — " + ", ".join(d.file_name for d in view.documents))
    text.append(f"\nПапка: {view.folder}")
    return text


class ApplicationsScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,ф", "add", "Добавить", id="apps.add"),
        Binding("f", "form", "Сформировать", id="apps.form"),
        Binding("p", "submit", "Подать", id="apps.submit"),
        Binding("x", "cancel", "Отменить", id="apps.cancel"),
        Binding("o", "folder", "Папка", id="apps.folder"),
        Binding("h", "history", "История", id="apps.history"),
        Binding("enter", "menu", "Меню", id="apps.menu", show=False),
    ]

    views: dict[str, ApplicationView]

    def __init__(self) -> None:
        super().__init__()
        self.views = {}
        self.specialties: list[str] = []
        self.contacts = ("", "")
        # False until the model's full list arrived; before it the table may hold the
        # sqlite3 first page, with no details, files or actions behind its rows.
        self.loaded = False

    def on_mount(self) -> None:
        # AccountScreen.on_mount runs as well: Textual calls the handler of every class.
        # The details follow the keys here; a reload sets cursor_row quietly (RowsView.show),
        # so on_applications_loaded refreshes them itself.
        self.watch(self.query_one("#apps", RowsView), "cursor_row", self.show_details, init=False)
        if not self.loaded and self.frmr.first_page:
            self.show_first_page(self.frmr.first_page)

    def body(self) -> ComposeResult:
        yield Label(Text("Аккредитация → Заявления"), classes="screen-title")
        yield RowsView(id="apps")
        with VerticalScroll(id="app-details-box"):
            yield Static(Text("Загрузка…"), id="app-details")

    def load(self) -> None:
        self.read_applications()

    @work(thread=True, exclusive=True, group="load-applications", exit_on_error=False)
    def read_applications(self) -> None:
        from frmr.model.actions.applications import list_applications
        from frmr.model.actions.profile import display_value, get_person
        from frmr.model.reference import load_specialties

        account = self.frmr.account
        assert account is not None
        views = {view.app.id: view for view in list_applications(account)}
        rows = prepare_rows(
            COLUMNS,
            {
                app_id: application_cells(
                    v.app.number, v.app.kind, v.app.specialty_name, v.app.status, v.app.updated_at
                )
                for app_id, v in views.items()
            },
        )
        person = get_person(account)
        names = [item.name for item in load_specialties(account.home).items]
        self.post_message(
            ApplicationsLoaded(
                views,
                rows,
                names,
                display_value("phone", person.phone),
                display_value("email", person.email),
            )
        )

    def show_first_page(self, rows: list[FirstPageRow]) -> None:
        """The sqlite3 first page, shown until the full list replaces it."""
        table = self.query_one("#apps", RowsView)
        if self.loaded or table.row_count or not rows:
            return
        table.load(
            COLUMNS,
            {
                row.id: application_cells(
                    row.number, row.kind, row.specialty_name, row.status, row.updated_at
                )
                for row in rows
            },
        )
        table.show([row.id for row in rows])
        self.frmr.mark_data_shown()

    def on_applications_loaded(self, message: ApplicationsLoaded) -> None:
        self.loaded = True
        self.specialties = message.specialties
        self.contacts = (message.phone, message.email)
        self.views = message.views
        table = self.query_one("#apps", RowsView)
        # The cursor stays on its application: RowsView.show follows the row's id.
        table.load_prepared(message.rows)
        table.show(list(message.rows.cells))
        self.show_details()
        self.frmr.mark_data_shown()
        self.frmr.mark_data_loaded()

    def current_id(self) -> str | None:
        return self.query_one("#apps", RowsView).cursor_id

    def current(self) -> ApplicationView | None:
        if not self.loaded:
            self.notify("Заявления ещё загружаются", markup=False)
            return None
        app_id = self.current_id()
        if app_id is None:
            self.notify("Сначала добавьте заявление (a)", markup=False)
            return None
        return self.views.get(app_id)

    def show_details(self) -> None:
        if not self.loaded:
            return  # «Загрузка…» stays until the full list is here
        details = self.query_one("#app-details", Static)
        view = self.views.get(self.current_id() or "")
        if view is None:
            details.update(Text("Заявлений пока нет. «Добавить заявление» — клавиша a."))
        else:
            details.update(application_details(view))

    def on_rows_view_row_selected(self, event: RowsView.RowSelected) -> None:
        event.stop()
        self.action_menu()

    # --- actions ---------------------------------------------------------------------------

    def action_add(self) -> None:
        if not self.loaded:
            # The specialties and the card's contacts come with the full list.
            self.notify("Заявления ещё загружаются", markup=False)
            return
        from frmr.tui.screens.new_application import NewApplicationScreen

        self.app.push_screen(NewApplicationScreen(self.specialties, *self.contacts))

    def action_form(self) -> None:
        from frmr.model.actions.applications import form_application

        if (view := self.current()) is not None:
            account, ref, today = self.frmr.account, view.app.id, self.frmr.today()
            self.run_model_action("form", lambda: form_application(account, ref, today))  # type: ignore[arg-type]

    def action_submit(self) -> None:
        from frmr.model.actions.applications import submit_application

        if (view := self.current()) is not None:
            account, ref, today = self.frmr.account, view.app.id, self.frmr.today()
            self.run_model_action("submit", lambda: submit_application(account, ref, today))  # type: ignore[arg-type]

    def action_cancel(self) -> None:
        from frmr.model.actions.applications import cancel_application

        view = self.current()
        if view is None:
            return
        account, ref = self.frmr.account, view.app.id

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_model_action("cancel", lambda: cancel_application(account, ref))  # type: ignore[arg-type]

        self.app.push_screen(
            ConfirmScreen("Отменить заявление? Вернуть его будет нельзя.", "Отменить", "Оставить"),
            answered,
        )

    def action_folder(self) -> None:
        if (view := self.current()) is not None:
            self.app.push_screen(FolderScreen(view.folder))

    def action_history(self) -> None:
        if (view := self.current()) is not None:
            self.load_history(view.app.id, view.app.number or "без номера")

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load_history(self, ref: str, number: str) -> None:
        from frmr.model.actions.applications import application_history

        assert self.frmr.account is not None
        entries = application_history(self.frmr.account, ref)
        self.post_message(HistoryLoaded(f"История статусов: заявление {number}", entries))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        body = Text()
        for e in message.entries:
            body.append(f"{e.at.astimezone():%d.%m.%Y %H:%M}  ")
            body.append(e.to_status.label, style="bold")
            body.append(f" ({e.actor.label})")
            if e.reason:
                body.append(f" — {e.reason}")
            body.append("\n")
        self.app.push_screen(TextScreen(message.title, body))

    def action_menu(self) -> None:
        if self.current() is None:
            return
        items = [
            ("submit", "Подать"),
            ("cancel", "Отменить"),
            ("folder", "Папка документов"),
            ("history", "История статусов"),
            ("form", "Сформировать заявление"),
        ]

        def chosen(action: str | None) -> None:
            if action:
                getattr(self, f"action_{action}")()

        self.app.push_screen(MenuScreen("Заявление", items), chosen)

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        done = {
            "form": "Заявление сформировано",
            "submit": "Заявление подано: фоновая служба отправит его в ФРМР",
            "cancel": "Заявление отменено",
        }
        if message.action in done:
            self.notify(done[message.action], markup=False)

    def on_action_failed(self, message: ActionFailed) -> None:
        problems = message.error.details.get("problems")
        if isinstance(problems, list) and problems:
            self.app.push_screen(
                TextScreen("Заявление не прошло проверку", problems_text(problems))
            )
            return
        super().on_action_failed(message)


def problems_text(problems: Sequence[dict[str, Any]]) -> Text:
    text = Text()
    for p in problems:
        text.append(f"• {p['message']}", style="bold")
        text.append(f": {p['detail']}\n")
        text.append(f"  Что сделать: {p['fix']}\n\n")
    return text

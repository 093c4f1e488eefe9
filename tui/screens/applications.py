"""Аккредитация → Заявления: the table, the row's details and menu; the new-application form is
in tui/screens/new_application.py."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from frmr.tui import progress
from frmr.tui.messages import ActionFailed, ActionSucceeded
from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.rows_view import (
    CELL_PADDING,
    PreparedRows,
    RowsView,
    fit_widths,
    give_least,
    prepare_rows,
)

# The model's rules and the dialogs are imported where they are used, not at the top: this
# module is on the first frame's path, and before the list arrives the screen needs none of
# them (bench/README.md, TUI). The rows are made in the reading worker.
if TYPE_CHECKING:
    from frmr.daemon.protocol import DaemonStatus
    from frmr.model.applications.screen import ApplicationsPage
    from frmr.model.readiness.findings import Verdict
    from frmr.model.store.account import Account
    from frmr.model.store.reads.applications import ApplicationRow, ApplicationView
    from frmr.model.store.reads.intake import RefusedFile, Replacement
    from frmr.model.store.reads.transitions import HistoryEntry
    from frmr.model.store.settings import Settings

log = logging.getLogger("tui")

COLUMNS = ("Номер", "Вид", "Специальность", "Статус", "Обновлено")
# Said when a key arrives before the list is on screen: the key is kept and acted on then.
LIST_LOADING = "Заявления загружаются: действие выполнится, как только они появятся"
# The question before each change of status: its «yes», its «no», and whether «yes» is red
# (what can't be undone; a step forward, forming or submitting, is not a danger).
ASKED = {
    "form": ("Сформировать", "Не формировать", False),
    "submit": ("Подать", "Не подавать", False),
    "cancel": ("Отменить", "Оставить", True),
}
FORM_MEANS = (
    "Набор файлов закрепится: добавить, заменить или убрать файл будет нельзя, и вернуть "
    "заявление в черновик тоже. Для другого набора его придётся отменить и создать новое."
)


@dataclass
class ApplicationsLoaded(Message):
    """The full list, newest first, with the table's rows made ready in the worker so the UI
    thread only swaps them in."""

    page: ApplicationsPage
    views: dict[str, ApplicationView]  # page.views by id
    rows: PreparedRows


@dataclass
class HistoryLoaded(Message):
    title: str
    entries: list[HistoryEntry]


# The status is what the doctor looks for: kept whole while the specialty has cells to give.
WHOLE_COLUMNS = frozenset({0, 1, 3, 4})
# The number is cut at its start: «ФРМР-2026-» is the same on every row.
TAIL_COLUMNS = frozenset({0})


# On a narrow screen the status stays readable: its longest label whole, the cells taken from
# the number (down to «…-000001»), the kind («Пери…», «Перв…») and the specialty; the date is
# kept. A function, called in the reading worker: the statuses load with the list, not with
# this module.
def least_widths() -> dict[int, int]:
    from frmr.model.rules.statuses import ApplicationStatus

    return {3: max(len(status.label) for status in ApplicationStatus), 0: 9, 1: 5, 2: 5, 4: 10}


# A draft has no number yet: its creation time tells it from another, «от 11.12 09:32».
DRAFT_PREFIX = "от "
# Where that would be cut (the number's column is cut at its start, and «…11 09:32» lost the
# day), «от » goes and the day and time stay whole: 11 cells, two of them from the specialty
# (down to «Те…»), which the details below show whole.
DRAFT_LEAST = {0: len("11.12 09:32"), 2: 3}


def fitted_rows(rows: PreparedRows, width: int) -> PreparedRows:
    """`rows` as they are, or with the drafts' «от » dropped where `width` would cut them."""
    drafts = [row[0] for row in rows.cells.values() if row[0].startswith(DRAFT_PREFIX)]
    if not drafts or not width:
        return rows
    room = width - 2 * CELL_PADDING * len(rows.natural)
    widths = give_least(fit_widths(rows.natural, room, rows.whole), rows.natural, rows.least)
    if widths[0] >= max(map(len, drafts)):
        return rows
    cells = {
        row_id: (row[0].removeprefix(DRAFT_PREFIX), *row[1:]) for row_id, row in rows.cells.items()
    }
    return prepare_rows(rows.labels, cells, rows.whole, rows.tails, {**rows.least, **DRAFT_LEAST})


# By Verdict's value: the readiness rules load with the list, not with this module.
VERDICT_MARKS = {"ready": "✓", "ready_with_caveats": "!", "not_ready": "✗"}


def application_cells(row: ApplicationRow, verdict: Verdict | None = None) -> tuple[str, ...]:
    """One table row, the same from the sqlite3 first page and from the model's full list.

    The registry numbers an application once delivered; before that the creation time tells
    one draft from another. A draft's readiness («Готовность», F8) is marked once the full
    list knows it."""
    from frmr.model.rules.dates import format_date
    from frmr.model.rules.statuses import ApplicationKind

    label = row.status.label
    if verdict is not None:
        label += f" {VERDICT_MARKS[verdict]} {verdict.label.lower()}"
    return (
        row.number or f"{DRAFT_PREFIX}{row.created_at.astimezone():%d.%m %H:%M}",
        "Период." if row.kind is ApplicationKind.PERIODIC else "Первич.",
        row.specialty_name,
        label,
        format_date(row.updated_at.astimezone().date()),
    )


def table_rows(
    rows: Iterable[ApplicationRow], verdicts: Mapping[str, Verdict] = {}
) -> PreparedRows:
    """The table's rows, made in the reading worker: the cells' rules are imported and run
    there, not on the UI thread between the first frame and the first rows."""
    cells = {row.id: application_cells(row, verdicts.get(row.id)) for row in rows}
    return prepare_rows(
        COLUMNS, cells, whole=WHOLE_COLUMNS, tails=TAIL_COLUMNS, least=least_widths()
    )


def refusal(view: ApplicationView, action: str) -> tuple[bool, str | None]:
    """Whether `action` is offered for this application, and why it can't run when it is
    offered but can't (one line, said once). Read from the state machine in model.rules.statuses."""
    from frmr.model.rules.statuses import ApplicationStatus, can_transition

    status = view.app.status
    if action == "form":
        return can_transition(status, ApplicationStatus.FORMED), None
    if action == "submit":
        if can_transition(status, ApplicationStatus.QUEUED):
            return True, None
        if can_transition(status, ApplicationStatus.FORMED):
            return True, "Сначала сформируйте заявление (f): подать можно только сформированное"
        return False, None
    if action == "cancel":
        return can_transition(status, ApplicationStatus.CANCELLED), None
    return True, None


def application_details(
    view: ApplicationView,
    refused: Sequence[RefusedFile] = (),
    replaced: Sequence[Replacement] = (),
    packing: str | None = None,
) -> Text:
    """The row's details: status with its meaning, the review reason, files, the daemon's
    packing for it, folder, the files refused from that folder with their reasons, and the
    attachments a changed file replaced."""
    from frmr.model.rules.limits import quota_text
    from frmr.model.rules.statuses import ApplicationStatus

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
    if packing:
        text.append(f"\n{packing}", style="bold")
    text.append(f"\nПапка: {view.folder} (o — команда scp)")
    if refused:
        text.append(f"\nНе приняты из папки ({len(refused)}):", style="bold")
        for r in refused:
            text.append(f"\n  {r.at.astimezone():%d.%m %H:%M} {r.file_name} — {r.reason}")
    if replaced:
        from frmr.model.rules.replacements import describe

        text.append(f"\nЗамены файлов ({len(replaced)}):", style="bold")
        for row in replaced:
            text.append(f"\n  {row.at.astimezone():%d.%m %H:%M} {describe(row)}")
    return text


def read_screen(settings: Settings, today: date) -> ApplicationsLoaded | None:
    """The whole screen through the read model (sqlite3, read-only), its rows made ready for
    the table; None when the store is missing, needs migrating, or holds a row that does not
    fit its record (the account's open migrates it or says what is wrong)."""
    from frmr.model.applications.screen import Readings, read_applications_page
    from frmr.model.store.reads import UNREADABLE, open_current

    readings = Readings(
        settings.home,
        settings.documents_dir,
        settings.readiness_pk_hours,
        settings.readiness_window,
    )
    with open_current(settings.database_path) as conn:
        if conn is None:
            return None
        try:
            page = read_applications_page(conn, readings, today)
        except UNREADABLE:
            log.exception("reading the applications failed")
            return None
    return ApplicationsLoaded(
        page,
        {v.app.id: v for v in page.views},
        table_rows((v.app for v in page.views), page.verdicts),
    )


class ApplicationsScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,ф", "add", "Добавить", id="apps.add"),
        Binding("f", "form", "Сформировать", id="apps.form"),
        Binding("p", "submit", "Подать", id="apps.submit"),
        Binding("x", "cancel", "Отменить", id="apps.cancel"),
        Binding("o", "folder", "Папка", id="apps.folder"),
        Binding("h", "history", "История", id="apps.history"),
        Binding("z", "pack", "Сжать и объединить", id="apps.pack", show=False),
        Binding("u", "package", "Папка для портала", id="apps.package", show=False),
        Binding("enter", "menu", "Меню", id="apps.menu", show=False),
    ]

    views: dict[str, ApplicationView]

    def __init__(self) -> None:
        super().__init__()
        self.views = {}
        self.refused: dict[str, list[RefusedFile]] = {}
        self.replaced: dict[str, list[Replacement]] = {}
        # Files the daemon has queued to pack, by application, and the packing line shown.
        self.waiting: dict[str, list[str]] = {}
        self.packing_shown: str | None = None
        self.refusals_loaded = False
        self.specialties: list[str] = []
        self.contacts = ("", "")
        # False until the full list is on screen; before it the table may hold the sqlite3
        # first page, with no details behind its rows.
        self.listed = False
        # The table's rows as read, before fitted_rows fits the drafts' cells to the width.
        self.rows: PreparedRows | None = None
        self.fitted: PreparedRows | None = None
        # False until the list was read with the account open. At start the list is read
        # before the store is opened for writing (app.py): the actions work from the list at
        # once, and what writes or reads through the account waits for it (when_account).
        self.loaded = False
        # Actions of keys pressed before the list was on screen, run once it is.
        self.queued: list[Callable[[], object]] = []
        # The application just added: selected, and its folder shown, once the list has it.
        self.added: str | None = None

    def on_mount(self) -> None:
        # AccountScreen.on_mount runs as well: Textual calls the handler of every class.
        # The details follow the keys here; a reload sets cursor_row quietly (RowsView.show),
        # so on_applications_loaded refreshes them itself.
        self.watch(self.query_one("#apps", RowsView), "cursor_row", self.show_details, init=False)
        if not self.listed and self.frmr.first_load is not None:
            self.on_applications_loaded(self.frmr.first_load)
        elif not self.listed and self.frmr.first_page:
            self.show_first_page(self.frmr.first_page)

    def body(self) -> ComposeResult:
        yield Label(Text("Аккредитация → Заявления"), classes="screen-title")
        yield RowsView(id="apps")
        with VerticalScroll(id="app-details-box"):
            yield Static(Text("Загрузка…"), id="app-details")

    @work(thread=True, exclusive=True, group="load-applications", exit_on_error=False)
    def load(self) -> None:
        settings = self.frmr.settings
        assert settings is not None
        loaded = read_screen(settings, self.frmr.today())
        if loaded is not None:
            self.post_message(loaded)

    def show_first_page(self, rows: PreparedRows) -> None:
        """The sqlite3 first page (table_rows), shown until the full list replaces it."""
        table = self.query_one("#apps", RowsView)
        if self.listed or table.row_count or not rows.cells:
            return
        self.show_rows(rows)
        self.frmr.mark_data_shown()

    def show_rows(self, rows: PreparedRows) -> None:
        self.rows = rows
        self.fitted = fitted_rows(rows, self.size.width)
        table = self.query_one("#apps", RowsView)
        table.load_prepared(self.fitted)
        table.show(list(rows.cells))

    def on_resize(self) -> None:
        # Loaded again only when the drafts' cells change form (both short forms are one).
        rows = self.rows
        if rows is not None and (fitted_rows(rows, self.size.width) is rows) != (
            self.fitted is rows
        ):
            self.show_rows(rows)

    def on_applications_loaded(self, message: ApplicationsLoaded) -> None:
        self.listed = True
        self.loaded = self.frmr.account is not None
        page = message.page
        self.specialties = page.specialties
        self.contacts = (page.phone, page.email)
        self.views = message.views
        self.waiting = page.waiting
        self.announce_refusals(page.refused)
        self.replaced = {}
        for row in page.replaced:
            self.replaced.setdefault(row.application_id, []).append(row)
        table = self.query_one("#apps", RowsView)
        # The cursor stays on its application: RowsView.show follows the row's id.
        self.show_rows(message.rows)
        if self.added is not None and self.added in self.views:
            view = self.views[self.added]
            self.added = None
            table.select_id(view.app.id)
            self.show_folder(view, "Заявление добавлено (черновик): папка для его файлов")
        self.show_details()
        self.frmr.mark_data_shown()
        self.frmr.mark_data_listed()
        if self.loaded:
            self.frmr.mark_data_loaded()
        queued, self.queued = self.queued, []
        if self.is_current:  # keys pressed here before the doctor went to another screen
            for run in queued:
                run()

    def announce_refusals(self, refused: list[RefusedFile]) -> None:
        """Keep the refusals by application; tell of each one new since the last load."""
        known = {r.id for rows in self.refused.values() for r in rows}
        # The first load shows what was refused before; only later ones are news.
        first, self.refusals_loaded = not self.refusals_loaded, True
        self.refused = {}
        for r in refused:
            self.refused.setdefault(r.application_id or "", []).append(r)
        if first:
            return
        for r in refused:
            if r.id in known:
                continue
            view = self.views.get(r.application_id or "")
            label = view.app.number or view.app.specialty_name if view else "—"
            self.notify(
                f"Файл «{r.file_name}» не принят (заявление {label}): {r.reason}",
                title="Файл не принят",
                severity="warning",
                markup=False,
            )

    def current_id(self) -> str | None:
        return self.query_one("#apps", RowsView).cursor_id

    def when_listed(self, run: Callable[[], object]) -> None:
        """Run `run` once the list is on screen; a key pressed before that is kept."""
        if not self.queued:
            self.notify(LIST_LOADING, markup=False)
        self.queued.append(run)

    def current(self, retry: Callable[[], object]) -> ApplicationView | None:
        """The application under the cursor; None before the list is here (`retry`, the
        action asking, then runs once it is) or when there is none (and says so)."""
        if not self.listed:
            self.when_listed(retry)
            return None
        app_id = self.current_id()
        if app_id is None:
            self.notify("Сначала добавьте заявление (a)", markup=False)
            return None
        return self.views.get(app_id)

    def show_details(self) -> None:
        if not self.listed:
            return  # «Загрузка…» stays until the full list is here
        details = self.query_one("#app-details", Static)
        # The key line offers only what the application under the cursor allows.
        self.refresh_bindings()
        view = self.views.get(self.current_id() or "")
        if view is None:
            details.update(Text("Заявлений пока нет. «Добавить заявление» — клавиша a."))
        else:
            self.packing_shown = self._packing_line(view.app.id, self.frmr.daemon_status)
            details.update(
                application_details(
                    view,
                    self.refused.get(view.app.id, []),
                    self.replaced.get(view.app.id, []),
                    packing=self.packing_shown,
                )
            )

    def _packing_line(self, app_id: str, status: DaemonStatus | None) -> str | None:
        return progress.for_application(status, app_id, self.waiting.get(app_id, []))

    def show_packing(self, status: DaemonStatus | None) -> None:
        """A daemon status arrived: the details follow its packing of this application."""
        app_id = self.current_id()
        if self.listed and app_id and self._packing_line(app_id, status) != self.packing_shown:
            self.show_details()

    def on_rows_view_row_selected(self, event: RowsView.RowSelected) -> None:
        event.stop()
        self.action_menu()

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "menu") or not self.listed:
            return True  # before the full list, the action waits for it
        view = self.views.get(self.current_id() or "")
        if view is None:
            return False  # no application yet: only «Добавить» is offered
        offered, _why_not = refusal(view, action)
        return offered

    def _allowed(self, action: str) -> ApplicationView | None:
        """The application under the cursor, if `action` may run on it; else says why, once."""
        view = self.current(lambda: getattr(self, f"action_{action}")())
        if view is None:
            return None
        offered, why_not = refusal(view, action)
        if not offered:
            self.notify(
                f"Для статуса «{view.app.status.label}» это действие недоступно", markup=False
            )
            return None
        if why_not is not None:
            self.notify(why_not, markup=False)
            return None
        return view

    def action_add(self) -> None:
        if not self.listed:
            # The specialties and the card's contacts come with the full list.
            self.when_listed(self.action_add)
            return
        # The form saves through the account.
        self.frmr.when_account(self._open_new_application)

    def _open_new_application(self, _account: Account) -> None:
        from frmr.tui.screens.new_application import NewApplicationScreen

        def added(app_id: str | None) -> None:
            if app_id is not None:
                self.added = app_id

        self.app.push_screen(NewApplicationScreen(self.specialties, *self.contacts), added)

    def _ask_then(self, action: str, question: str, write: Callable[[Account], object]) -> None:
        """Ask `question`; on yes, run `write` with the account as model action `action`."""
        from frmr.tui.screens.dialogs import ConfirmScreen

        def answered(agreed: bool | None) -> None:
            if agreed:
                self.frmr.when_account(
                    lambda account: self.run_model_action(action, lambda: write(account))
                )

        yes, no, danger = ASKED[action]
        self.app.push_screen(ConfirmScreen(question, yes, no, danger=danger), answered)

    def action_form(self) -> None:
        from frmr.model.applications.lifecycle import form_application

        if (view := self._allowed("form")) is not None:
            ref, today = view.app.id, self.frmr.today()
            # What forming fixes for good (ApplicationStatus.takes_files): there is no way
            # back to «Черновик», so it is asked like submitting and cancelling.
            question = f"Сформировать заявление ({describe(view)})?\n\n{FORM_MEANS}"
            self._ask_then("form", question, lambda a: form_application(a, ref, today))

    def action_submit(self) -> None:
        from frmr.model.applications.lifecycle import submit_application

        if (view := self._allowed("submit")) is not None:
            ref, today = view.app.id, self.frmr.today()
            question = (
                f"Подать заявление ({describe(view)})?\n\n"
                "Фоновая служба отправит его в ФРМР, как только будет связь. После подачи "
                "заявление и его файлы изменить нельзя; отменить — можно."
            )
            self._ask_then("submit", question, lambda a: submit_application(a, ref, today))

    def action_cancel(self) -> None:
        from frmr.model.applications.lifecycle import cancel_application

        if (view := self._allowed("cancel")) is not None:
            ref = view.app.id
            if view.app.status.is_editable:
                what = "Оно останется в списке со статусом «Отменено» и не будет подано."
            else:
                what = (
                    "ФРМР получит отмену, и заявление не будет рассмотрено; "
                    "для новой попытки понадобится новое заявление."
                )
            question = f"Отменить заявление ({describe(view)})?\n\n{what} Вернуть его будет нельзя."
            self._ask_then("cancel", question, lambda a: cancel_application(a, ref))

    def action_folder(self) -> None:
        if (view := self.current(self.action_folder)) is not None:
            self.show_folder(view, "Папка документов")

    def show_folder(self, view: ApplicationView, title: str) -> None:
        import os

        from frmr.tui.remote_copy import copy_commands
        from frmr.tui.screens.dialogs import FolderScreen

        self.app.push_screen(
            FolderScreen(view.folder, copy_commands(view.folder, os.environ), title)
        )

    def action_pack(self) -> None:
        """«Сжать и объединить» (tui/screens/pack.py)."""
        view = self.current(self.action_pack)
        if view is None:
            return
        if not view.documents:
            self.notify("К заявлению не приложено файлов", markup=False)
            return
        self.frmr.when_account(lambda account: self._open_pack(account, view))

    def _open_pack(self, account: Account, view: ApplicationView) -> None:
        from frmr.tui.screens.pack import PackScreen

        assert self.frmr.settings is not None  # set before the account opens

        def done(name: str | None) -> None:
            if name:
                self.notify(f"Приложен «{name}»", markup=False)
                self.load()

        self.app.push_screen(PackScreen(account, self.frmr.settings, view), done)

    def action_package(self) -> None:
        if (view := self.current(self.action_package)) is not None:
            ref = view.app.id
            self.frmr.when_account(lambda _account: self.write_portal_package(ref))

    @work(thread=True, exclusive=True, group="package", exit_on_error=False)
    def write_portal_package(self, ref: str) -> None:
        from frmr.model.applications.portal_package import build_package, write_package
        from frmr.model.rules.clock import utcnow
        from frmr.model.rules.errors import FrmrError
        from frmr.tui.screens.pack import PortalPackageWritten

        account, settings = self.frmr.account, self.frmr.settings
        assert account is not None and settings is not None
        try:
            ready = build_package(
                account,
                ref,
                template=settings.pack_name_template,
                profile=settings.pack_profile,
            )
            # Beside the store, not in the watched folder: the daemon would take the files.
            stamp = utcnow().astimezone().strftime("%Y%m%d-%H%M%S")
            target = settings.home / "portal" / f"{ref[:8]}-{stamp}"
            write_package(ready, target)
        except FrmrError as error:
            self.post_message(ActionFailed("package", error))
            return
        self.post_message(PortalPackageWritten(str(target), ready.sheet))

    def on_portal_package_written(self, message: Any) -> None:
        from frmr.tui.screens.dialogs import TextScreen
        from frmr.tui.screens.pack import package_body

        self.app.push_screen(
            TextScreen("Готово для портала", package_body(message.folder, message.sheet))
        )

    def action_history(self) -> None:
        if (view := self.current(self.action_history)) is not None:
            ref, number = view.app.id, view.app.number or "без номера"
            self.frmr.when_account(lambda _account: self.load_history(ref, number))

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load_history(self, ref: str, number: str) -> None:
        from frmr.model.store.reads import read_store
        from frmr.model.store.reads.transitions import read_history

        assert self.frmr.settings is not None
        with read_store(self.frmr.settings.layout) as read:
            entries = read_history(read.conn, ref)
        self.post_message(HistoryLoaded(f"История статусов: заявление {number}", entries))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        from frmr.tui.screens.dialogs import TextScreen

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
        if (view := self.current(self.action_menu)) is None:
            return
        items = [
            (action, label)
            for action, label in (
                ("form", "Сформировать заявление"),
                ("submit", "Подать"),
                ("cancel", "Отменить"),
                ("folder", "Папка документов"),
                ("history", "История статусов"),
            )
            if refusal(view, action) == (True, None)
        ]

        def chosen(action: str | None) -> None:
            if action:
                getattr(self, f"action_{action}")()

        from frmr.tui.screens.dialogs import MenuScreen

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
            # The list replaces ActionRunner's notification (Textual would run it next).
            message.prevent_default()
            from frmr.tui.screens.dialogs import TextScreen

            self.app.push_screen(
                TextScreen("Заявление не прошло проверку", problems_text(problems))
            )


def describe(view: ApplicationView) -> str:
    """Which application a question is about, as the table shows it."""
    a = view.app
    number = a.number or f"от {a.created_at.astimezone():%d.%m.%Y %H:%M}"
    return f"{number}, {a.specialty_name}"


def problems_text(problems: Sequence[dict[str, Any]]) -> Text:
    text = Text()
    for p in problems:
        text.append(f"• {p['message']}", style="bold")
        text.append(f": {p['detail']}\n")
        text.append(f"  Что сделать: {p['fix']}\n\n")
    return text

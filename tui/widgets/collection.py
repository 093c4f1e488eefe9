"""One portfolio or profile list (a COLLECTIONS spec) as a filterable table with add/edit/delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from tui.messages import StoreChanged

if TYPE_CHECKING:
    from textual.timer import Timer

    from model.actions.portfolio import CollectionSpec

# At 80 columns only the first few fields fit; the form shows them all.
MAX_COLUMNS = 4
# The table is refilled once typing in the filter pauses this long: a refill of thousands of
# rows costs DataTable a measurement of every cell (about half a second for 5,000 rows), and
# paying it on every key froze typing.
FILTER_PAUSE_SECONDS = 0.15


class RowsLoaded(Message):
    def __init__(self, spec: CollectionSpec, rows: list[Any]) -> None:
        super().__init__()
        self.spec = spec
        self.rows = rows


class CollectionTable(Vertical):
    DEFAULT_CSS = """
    CollectionTable { height: 1fr; }
    CollectionTable > DataTable { height: 1fr; }
    CollectionTable > #filter { display: none; }
    CollectionTable.-filtering > #filter { display: block; }
    CollectionTable > .collection-count { height: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,ф", "add", "Добавить", id="rows.add"),
        Binding("e,у", "edit", "Изменить", id="rows.edit"),
        Binding("delete,d", "delete", "Удалить", id="rows.delete"),
        Binding("slash", "filter", "Фильтр", id="rows.filter"),
    ]

    def __init__(self, collection: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"collection-{collection}")
        self.collection = collection
        self.spec: CollectionSpec | None = None
        self.rows: dict[str, Any] = {}
        # Lower-cased text of each row, computed once per load so filtering is a substring scan.
        self._haystack: dict[str, str] = {}
        self._cells: dict[str, tuple[Text, ...]] = {}
        # The ids of the rows the table shows, in its order (add_rows makes its own keys).
        self._shown: list[str] = []
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Фильтр: начните вводить…", id="filter")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", classes="collection-count", markup=False)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def reload(self) -> None:
        from model.actions.portfolio import collection, list_rows

        account = self.app.account  # type: ignore[attr-defined]
        if account is None:
            return
        self.post_message(
            RowsLoaded(collection(self.collection), list_rows(account, self.collection))
        )

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        spec = self.spec = message.spec
        table = self.query_one(DataTable)
        if not table.columns:
            for field in spec.fields[:MAX_COLUMNS]:
                table.add_column(field.label, key=field.name)
        self.rows = {row.id: row for row in message.rows}
        self._cells = {}
        self._haystack = {}
        for row in message.rows:
            cells = tuple(Text(_show(f, getattr(row, f.name))) for f in spec.fields)
            self._cells[row.id] = cells[:MAX_COLUMNS]
            self._haystack[row.id] = " ".join(c.plain for c in cells).casefold()
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        current = self.current_id()
        needle = self.query_one("#filter", Input).value.strip().casefold()
        table.clear()
        shown = [rid for rid, hay in self._haystack.items() if needle in hay]
        table.add_rows([self._cells[rid] for rid in shown])
        self._shown = shown
        if current in shown:
            table.move_cursor(row=shown.index(current), animate=False)
        count = f"записей: {len(shown)}"
        if needle:
            count += f" из {len(self._haystack)}"
        self.query_one(".collection-count", Static).update(count)

    def current_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_PAUSE_SECONDS, self.fill)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self.fill()
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one("#filter", Input).focus()

    def action_add(self) -> None:
        from tui.screens.row_form import RowForm

        if self.spec is not None:
            self.app.push_screen(RowForm(self.spec, None))

    def action_edit(self) -> None:
        from tui.screens.row_form import RowForm

        row_id = self.current_id()
        if self.spec is not None and row_id is not None:
            self.app.push_screen(RowForm(self.spec, self.rows[row_id]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_delete(self) -> None:
        from tui.screens.dialogs import ConfirmScreen

        row_id = self.current_id()
        if self.spec is None or row_id is None:
            return
        title = self.spec.title(self.rows[row_id])

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_row(row_id)

        self.app.push_screen(
            ConfirmScreen(f"Удалить запись «{title}»?", "Удалить", "Оставить"), answered
        )

    @work(thread=True, group="rows-delete", exit_on_error=False)
    def delete_row(self, row_id: str) -> None:
        from model.actions.portfolio import delete_row
        from model.errors import FrmrError

        try:
            delete_row(self.app.account, self.collection, row_id)  # type: ignore[attr-defined]
        except FrmrError as exc:
            self.app.call_from_thread(self.notify, exc.user_text(), severity="error", markup=False)
            return
        self.app.post_message(StoreChanged())


def _show(field: Any, value: Any) -> str:
    if value is None or value == "":
        return ""
    return str(field.display(value))

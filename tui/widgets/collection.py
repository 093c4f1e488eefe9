"""One portfolio or profile list (a COLLECTIONS spec) as a filterable table with add/edit/delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from frmr.tui.messages import StoreChanged
from frmr.tui.widgets.rows_view import PreparedRows, RowsView, prepare_rows

if TYPE_CHECKING:
    from frmr.model.actions.portfolio import CollectionSpec

# At 80 columns only the first few fields fit; the form shows them all.
MAX_COLUMNS = 4


def _visible(widget: Widget) -> bool:
    """Shown now: neither it nor a tab pane around it is hidden."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


class CollectionHost(Widget):
    """A screen with CollectionTables in (nested) tabs: the table's keys work from anywhere on
    the screen — the tab strips included — on the table shown. Same ids as the table's, so a
    keymap moves both."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,ф", "collection('add')", "Добавить", id="rows.add"),
        Binding("e,у", "collection('edit')", "Изменить", id="rows.edit"),
        Binding("delete,d", "collection('delete')", "Удалить", id="rows.delete"),
        Binding("slash", "collection('filter')", "Фильтр", id="rows.filter"),
    ]

    def shown_collection(self) -> CollectionTable | None:
        return next((t for t in self.query(CollectionTable) if _visible(t)), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "collection":
            return self.shown_collection() is not None
        return True

    def action_collection(self, action: str) -> None:
        if (table := self.shown_collection()) is not None:
            getattr(table, f"action_{action}")()

    def on_tabbed_content_tab_activated(self) -> None:
        # Which table is shown changed, and with it the keys the key line offers.
        self.refresh_bindings()


class RowsLoaded(Message):
    """A collection's rows, with the table's cells (measured) and each row's lower-cased text
    for the filter, both made in the worker so the UI thread only swaps them in."""

    def __init__(
        self,
        spec: CollectionSpec,
        rows: list[Any],
        table: PreparedRows,
        haystack: dict[str, str],
    ) -> None:
        super().__init__()
        self.spec = spec
        self.rows = rows
        self.table = table
        self.haystack = haystack


class CollectionTable(Vertical):
    DEFAULT_CSS = """
    CollectionTable { height: 1fr; }
    CollectionTable > RowsView { height: 1fr; }
    CollectionTable > #filter { display: none; }
    CollectionTable.-filtering > #filter { display: block; }
    CollectionTable > .collection-count { height: 1; color: $text-muted; }
    """

    # Its keys are the screen's (CollectionHost): they reach the table shown from anywhere.

    def __init__(self, collection: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"collection-{collection}")
        self.collection = collection
        self.spec: CollectionSpec | None = None
        self.rows: dict[str, Any] = {}
        # Lower-cased text of each row, computed once per load so filtering is a substring scan.
        self._haystack: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        search = Input(placeholder="Фильтр: начните вводить…", id="filter")
        # Each key restarts the blink. For backspace that repaint went out a frame ahead of the
        # deletion and the refilled rows, which then waited for the next frame (3, then 40 ms).
        search.cursor_blink = False
        yield search
        yield RowsView()
        yield Static("", classes="collection-count", markup=False)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def reload(self) -> None:
        from frmr.model.actions.portfolio import collection, list_rows

        account = self.app.account  # type: ignore[attr-defined]
        if account is None:
            return
        spec = collection(self.collection)
        rows = list_rows(account, self.collection)
        cells = {row.id: tuple(_show(f, getattr(row, f.name)) for f in spec.fields) for row in rows}
        haystack = {row_id: " ".join(shown).casefold() for row_id, shown in cells.items()}
        labels = [field.label for field in spec.fields[:MAX_COLUMNS]]
        self.post_message(RowsLoaded(spec, rows, prepare_rows(labels, cells), haystack))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        self.spec = message.spec
        self.rows = {row.id: row for row in message.rows}
        self._haystack = message.haystack
        self.query_one(RowsView).load_prepared(message.table)
        self.fill()

    def fill(self) -> None:
        """Show the rows the filter matches. Cheap enough to run on every key: a substring scan
        and a list of ids for RowsView, which draws only the rows on screen."""
        needle = self.query_one("#filter", Input).value.strip().casefold()
        shown = [rid for rid, hay in self._haystack.items() if needle in hay]
        self.query_one(RowsView).show(shown)
        count = f"записей: {len(shown)}"
        if needle:
            count += f" из {len(self._haystack)}"
        self.query_one(".collection-count", Static).update(count)

    def current_id(self) -> str | None:
        return self.query_one(RowsView).cursor_id

    def on_mount(self) -> None:
        # Refill as the value changes rather than on Input.Changed: that message arrives after
        # the screen may have drawn the edited filter, and the rows then waited a frame more.
        self.watch(self.query_one("#filter", Input), "value", self._filter_changed, init=False)

    def _filter_changed(self) -> None:
        self.fill()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # the filter is this table's own: handled in _filter_changed

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(RowsView).focus()

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one("#filter", Input).focus()

    def action_add(self) -> None:
        from frmr.tui.screens.row_form import RowForm

        if self.spec is not None:
            self.app.push_screen(RowForm(self.spec, None))

    def action_edit(self) -> None:
        from frmr.tui.screens.row_form import RowForm

        row_id = self.current_id()
        if self.spec is not None and row_id is not None:
            self.app.push_screen(RowForm(self.spec, self.rows[row_id]))

    def on_rows_view_row_selected(self, event: RowsView.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_delete(self) -> None:
        from frmr.tui.screens.dialogs import ConfirmScreen

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
        from frmr.model.actions.portfolio import delete_row
        from frmr.model.errors import FrmrError

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

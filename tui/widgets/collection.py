"""One portfolio or profile list (a COLLECTIONS spec) as a filterable table with add/edit/delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from frmr.tui.heap import settle_heap
from frmr.tui.widgets.lazy_pane import LazyPane
from frmr.tui.widgets.rows_view import PreparedRows, RowsView, prepare_rows

if TYPE_CHECKING:
    from frmr.model.portfolio.collections import CollectionSpec
    from frmr.model.store.reads.portfolio import Listing

# At 80 columns only a few fields fit; the form shows them all. By default the first few;
# where others say more in a list, those (стаж is the dates of the work, a course counts by
# its hours and end date, a document by its date).
MAX_COLUMNS = 4
COLUMNS: dict[str, tuple[str, ...]] = {
    "employment": ("organization", "position", "begin_date", "end_date"),
    "courses": ("theme", "hours", "end_date"),
    "education": ("institution", "specialty", "graduation_year"),
    "certificates": ("number", "specialty_name", "end_date"),
    "addresses": ("kind", "region", "city", "street", "house"),
    "additional-documents": ("name", "part", "document_id"),
}
# Dates and short numbers are never cut; names and themes give up cells first.
WHOLE_FIELDS = frozenset(
    {
        "begin_date",
        "end_date",
        "issue_date",
        "doc_date",
        "pass_date",
        "hours",
        "year",
        "graduation_year",
        "kind",
        "house",
        "part",
    }
)


# Filters remembered per load (CollectionTable._matches): a word typed and erased again.
MATCHES_KEPT = 64


def _first_shown(node: Widget) -> CollectionTable | LazyPane | None:
    """The first table under `node` (in the screen's order) that is shown now: neither it nor
    a tab pane around it hidden; or the shown pane still mounting what it first shows, which
    holds it. The hidden panes are not entered: the key bar asks this for each of the table's
    keys on every render, and a query of the whole screen with each table's ancestors was
    most of an arrow key's CPU on Профиль (bench/README.md, session 9)."""
    for child in node.children:
        if not child.display:
            continue
        if isinstance(child, CollectionTable) or (isinstance(child, LazyPane) and not child.ready):
            return child
        found = _first_shown(child)
        if found is not None:
            return found
    return None


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

    # AccountScreen's: True until the screen's reads have begun, and again once the store
    # changed under it until they begin again. A list made after they began reads itself.
    stale: bool

    def shown_collection(self) -> CollectionTable | LazyPane | None:
        return _first_shown(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "collection":
            return self.shown_collection() is not None
        return True

    def action_collection(self, action: str) -> None:
        shown = self.shown_collection()
        if isinstance(shown, LazyPane):
            # The key is for the list the pane is still making.
            shown.when_ready(lambda: self.action_collection(action))
        elif shown is not None:
            shown.act(action)

    def on_tabbed_content_tab_activated(self) -> None:
        # Which table is shown changed, and with it the keys the key line offers.
        self.refresh_bindings()


class FilterInput(Input):
    """The filter's line. Textual's Input sets its virtual size (the text's width, for
    scrolling sideways) on every change of its value, and Widget declares virtual_size
    `layout=True`: each typed or erased letter relayouted the whole screen, ≈ 5 ms of every
    filter key's frame (bench/README.md, issue 26). The filter's own size never follows its
    text (`width: 100%`, a fixed height), so a change of virtual size only moves what the
    line shows inside itself: a repaint of the line is enough."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)


class CountLine(Widget):
    """The line under the table saying how many records are shown. A Static made its text
    into Content and drew it through the visual pipeline on every filter key: 0.35 ms of each
    key's frame (bench/README.md, issue 26). The text is one line, never markup and never
    wrapped: drawn here as one segment in the widget's own style, as Static draws it."""

    DEFAULT_CSS = """
    CountLine { height: 1; }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.text = ""

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.visual_style.rich_style
        if y:
            return Strip.blank(width, style)
        text = set_cell_size(self.text, width)
        kept = text.rstrip(" ")
        # The padding in the background alone, as Static pads its text.
        pad = Segment(" " * (len(text) - len(kept)), Style(bgcolor=style.bgcolor))
        return Strip([Segment(kept, style), pad], width)


class RowsLoaded(Message):
    """A collection's rows, with the table's cells (measured) and each row's lower-cased text
    for the filter, both made in the worker so the UI thread only swaps them in."""

    def __init__(
        self,
        spec: CollectionSpec,
        rows: list[Any],
        table: PreparedRows,
        haystack: dict[str, str],
        links: dict[str, list[tuple[str, str]]],
    ) -> None:
        super().__init__()
        self.spec = spec
        self.rows = rows
        self.table = table
        self.haystack = haystack
        # For each field holding a library document: the (label, id) a form offers.
        self.links = links


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
        self.links: dict[str, list[tuple[str, str]]] = {}
        # Lower-cased text of each row, computed once per load so filtering is a substring scan.
        self._haystack: dict[str, str] = {}
        # The rows each recent filter matched, by its text, for this load: a letter typed
        # scans only what the filter it extends matched, an erased one finds its answer here.
        self._matched: dict[str, list[str]] = {}
        # A key pressed before the rows were first read (add needs the library the read
        # brings, edit and delete a row): acted on when they arrive (CollectionTable.act).
        self._waiting: str | None = None

    def compose(self) -> ComposeResult:
        # validate_on=(): without validators Textual's validation only sets a class nothing
        # styles, and setting it as the Input is made styled the Input on the spot.
        search = FilterInput(placeholder="Фильтр: начните вводить…", id="filter", validate_on=())
        # Each key restarts the blink. For backspace that repaint went out a frame ahead of the
        # deletion and the refilled rows, which then waited for the next frame (3, then 40 ms).
        search.cursor_blink = False
        yield search
        yield RowsView()
        yield CountLine(classes="collection-count")

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def reload(self) -> None:
        from frmr.model.portfolio.collections import collection
        from frmr.model.store.reads import read_store
        from frmr.model.store.reads.portfolio import read_listing

        settings = self.app.settings  # type: ignore[attr-defined]
        if settings is None:
            return
        spec = collection(self.collection)
        with read_store(settings.layout) as read:
            listing = read_listing(read.conn, self.collection)
        rows = listing.rows
        labels_of, links = _library_links(spec, listing)
        every = {
            row.id: [_show(f, getattr(row, f.name), labels_of) for f in spec.fields] for row in rows
        }
        haystack = {row_id: " ".join(shown).casefold() for row_id, shown in every.items()}
        names = COLUMNS.get(self.collection) or tuple(f.name for f in spec.fields[:MAX_COLUMNS])
        index = {f.name: i for i, f in enumerate(spec.fields)}
        columns = [index[name] for name in names]
        cells = {row_id: tuple(shown[i] for i in columns) for row_id, shown in every.items()}
        labels = [spec.fields[i].label for i in columns]
        whole = frozenset(c for c, name in enumerate(names) if name in WHOLE_FIELDS)
        prepared = prepare_rows(labels, cells, whole)
        self.post_message(RowsLoaded(spec, rows, prepared, haystack, links))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        self.spec = message.spec
        self.rows = {row.id: row for row in message.rows}
        self.links = message.links
        self._haystack = message.haystack
        self._matched = {"": list(message.haystack)}
        self.query_one(RowsView).load_prepared(message.table)
        self.fill()
        settle_heap()
        if self._waiting is not None:
            action, self._waiting = self._waiting, None
            self.act(action)

    def act(self, action: str) -> None:
        """Run one of the list's keys (CollectionHost). A key pressed as the screen opens,
        before the rows are read, is acted on once they are, not dropped: the last such key,
        as a doctor pressing `a` twice meant one form. The filter needs no rows."""
        if self.spec is None and action != "filter":
            self._waiting = action
            return
        getattr(self, f"action_{action}")()

    def fill(self) -> None:
        """Show the rows the filter matches. Cheap enough to run on every key: a substring scan
        and a list of ids for RowsView, which draws only the rows on screen."""
        needle = self.query_one("#filter", Input).value.strip().casefold()
        shown = self._matches(needle)
        self.query_one(RowsView).show(shown)
        count = f"записей: {len(shown)}"
        if needle:
            count += f" из {len(self._haystack)}"
        self.query_one(CountLine).show(count)

    def _matches(self, needle: str) -> list[str]:
        """The rows whose text holds `needle`, in the load's order. A row holding `needle`
        holds every part of it, so the scan starts from the longest remembered filter inside
        it: a typed letter scans the rows still shown, not all 5,000 (0.5 ms a key)."""
        found = self._matched.get(needle)
        if found is not None:
            return found
        start = max((known for known in self._matched if known in needle), key=len, default="")
        haystack = self._haystack
        found = [rid for rid in self._matched.get(start, haystack) if needle in haystack[rid]]
        if len(self._matched) >= MATCHES_KEPT:
            self._matched = {"": self._matched.get("", list(haystack))}
        self._matched[needle] = found
        return found

    def current_id(self) -> str | None:
        return self.query_one(RowsView).cursor_id

    def on_mount(self) -> None:
        host = self.screen
        if isinstance(host, CollectionHost) and not host.stale:
            # Made after the screen's reads began (a LazyPane's): its load did not see it.
            self.reload()
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
            self.app.push_screen(RowForm(self.spec, None, self.links))

    def action_edit(self) -> None:
        from frmr.tui.screens.row_form import RowForm

        row_id = self.current_id()
        if self.spec is not None and row_id is not None:
            self.app.push_screen(RowForm(self.spec, self.rows[row_id], self.links))

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
        from frmr.model.portfolio.edits import delete_row
        from frmr.model.rules.errors import FrmrError

        try:
            delete_row(self.app.account, self.collection, row_id)  # type: ignore[attr-defined]
        except FrmrError as exc:
            self.app.call_from_thread(self.notify, exc.user_text(), severity="error", markup=False)
            return
        self.app.committed()  # type: ignore[attr-defined]


def compose_table(collection: str) -> ComposeResult:
    """A LazyPane's content that is one list."""
    yield CollectionTable(collection)


def _library_links(
    spec: CollectionSpec, listing: Listing
) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """For a collection whose rows name library documents: each linked document's label, and
    the library a form offers (a linked document no longer offered is kept at the end)."""
    if not spec.documents:
        return {}, {}
    offered = [(doc.label, doc.id) for doc in listing.library]
    ids = {doc_id for _, doc_id in offered}
    kept = [(label, doc_id) for doc_id, label in listing.linked.items() if doc_id not in ids]
    return listing.linked, {name: offered + kept for name in spec.documents}


def _show(field: Any, value: Any, labels: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value in labels:
        return labels[value]
    return str(field.display(value))

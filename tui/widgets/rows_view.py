"""A table of plain-text rows keyed by id that draws only the rows on screen.

DataTable measures every cell of every row it is given, which made refilling 5,000 rows take
about a second. Here the column widths come from the whole load once (the longest cell of
each column), a refill only swaps the list of ids shown, and a frame renders the visible lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

# Blank cells on each side of a column, as DataTable draws them.
CELL_PADDING = 1
# What a column that is not kept whole keeps before the whole ones give up cells too.
SHARE_MIN = 6
# Drawn lines kept for the next frames: a few screens' worth.
LINES_KEPT = 1000


@dataclass(frozen=True)
class PreparedRows:
    """Rows ready to be shown: every cell on one line and each column's natural width (its
    longest cell). Plain data made without the widget, so a worker can make it and the UI
    thread only swaps it in."""

    labels: tuple[str, ...]
    cells: dict[str, tuple[str, ...]]
    natural: tuple[int, ...]
    # Columns never cut while another can give up cells (a status, a date): what the reader
    # needs whole. The others share what is left.
    whole: frozenset[int] = frozenset()
    # Columns cut at their start, where their values differ (numbers sharing a prefix:
    # «…2026-000003», not «ФРМР-2026-…» on every row).
    tails: frozenset[int] = frozenset()
    # The cells a column keeps while another has more than its own least to give, the first
    # listed served first (an application's status, whole, before its number's digits).
    least: Mapping[int, int] = field(default_factory=dict)


def prepare_rows(
    labels: Sequence[str],
    rows: Mapping[str, Sequence[str]],
    whole: frozenset[int] = frozenset(),
    tails: frozenset[int] = frozenset(),
    least: Mapping[int, int] | None = None,
) -> PreparedRows:
    one_line = tuple(_one_line(label) for label in labels)
    cells = {
        row_id: tuple(_one_line(cell) for cell in row[: len(labels)])
        for row_id, row in rows.items()
    }
    natural = [cell_len(label) for label in one_line]
    for row in cells.values():
        for column, cell in enumerate(row):
            width = cell_len(cell)
            if width > natural[column]:
                natural[column] = width
    return PreparedRows(one_line, cells, tuple(natural), whole, tails, dict(least or {}))


class RowsScrollBar(ScrollBar):
    """Textual's vertical scroll bar, its lines kept while its position, size and colours stay.

    Textual draws the bar as a Rich renderable through the console and then each line through
    the styles cache: ≈ 3 ms a frame at load 3, more than the table's own lines, on every key
    that scrolls (bench/README.md, issue 26). The bar has no padding, border or background of
    its own beyond what `render_bar` colours, so its lines are made here from the same
    segments (the same glyphs, colours and mouse actions) and only the app's line filters are
    applied on top, as the styles cache would."""

    def __init__(self, *, thickness: int) -> None:
        super().__init__(vertical=True, name="vertical", thickness=thickness)
        self._drawn: tuple[tuple[object, ...], list[Strip]] = ((), [])

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        if not isinstance(bar, ScrollBarRender):  # a renderer set by hand: Textual's way
            return super().render_lines(crop)
        width, height = self.size
        style = bar.style if isinstance(bar.style, Style) else Style.parse(str(bar.style))
        under = self.rich_style  # beneath the bar's own colours, as the styles cache puts it
        key = (width, height, bar.virtual_size, bar.window_size, bar.position, style, under)
        if self._drawn[0] != key:
            segments = bar.render_bar(
                size=height,
                virtual_size=bar.virtual_size,
                window_size=bar.window_size,
                position=bar.position,
                thickness=width,
                vertical=True,
                back_color=style.bgcolor or Color.parse("#555555"),
                bar_color=style.color or Color.parse("bright_magenta"),
            ).segments
            self._drawn = (
                key,
                [Strip([segment], width).apply_style(under) for segment in segments],
            )
        lines = self._drawn[1]
        _, background = self.background_colors
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            strip = lines[y] if y < len(lines) else Strip.blank(width)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips


class RowsView(ScrollView, can_focus=True):
    """Columns of text with a header line and a row cursor; Enter or a click on the cursor's
    row posts RowSelected. Cells are drawn as plain text: stored text is never read as markup."""

    DEFAULT_CSS = """
    RowsView {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .rows-view--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .rows-view--even-row { background: $surface-darken-1 40%; }
        & > .rows-view--header { text-style: bold; background: $panel; color: $foreground; }
        & > .rows-view--even-row { background: $surface-lighten-1 50%; }
        & > .rows-view--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rows-view--header",
        "rows-view--even-row",
        "rows-view--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Открыть запись", id="table.open", show=False),
        Binding("up", "cursor_up", "Строка выше", id="table.up", show=False),
        Binding("down", "cursor_down", "Строка ниже", id="table.down", show=False),
        Binding("pageup", "page_up", "Страница выше", id="table.page_up", show=False),
        Binding("pagedown", "page_down", "Страница ниже", id="table.page_down", show=False),
        Binding("home,ctrl+home", "first", "Первая строка", id="table.first", show=False),
        Binding("end,ctrl+end", "last", "Последняя строка", id="table.last", show=False),
    ]

    # Not repaint=True: a move that does not scroll redraws the two rows' lines only
    # (watch_cursor_row); a scroll redraws the whole view anyway.
    cursor_row: reactive[int] = reactive(0, repaint=False)
    """The index of the cursor's row among the rows shown."""

    class RowSelected(Message):
        """Enter was pressed on a row, or the cursor's row was clicked."""

        def __init__(self, rows_view: RowsView, row_id: str) -> None:
            super().__init__()
            self.rows_view = rows_view
            self.row_id = row_id

        @property
        def control(self) -> RowsView:
            return self.rows_view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._labels: tuple[str, ...] = ()
        self._cells: dict[str, tuple[str, ...]] = {}
        self._natural: tuple[int, ...] = ()
        self._whole: frozenset[int] = frozenset()
        self._tails: frozenset[int] = frozenset()
        self._least: Mapping[int, int] = {}
        self._shown: list[str] = []
        # Column widths fitted to the last width drawn at: (width, widths).
        self._fitted: tuple[int, list[int]] = (-1, [])
        # Lines drawn, by (row id, kind of line, width): a key that moves the cursor, scrolls
        # or narrows the filter redraws the visible lines, and most were drawn before.
        self._lines: dict[tuple[str, str, int], Strip] = {}
        # The same lines as the screen takes them (render_lines), by (row id, kind, width,
        # the width with the scroll bar's gutter): Textual's styles cache would rebuild each
        # line of the page on every refill.
        self._finished: dict[tuple[str, str, int, int], Strip] = {}
        self._styles: dict[str, Style] = {}
        self._finished_under: Style | None = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Widget's own property with RowsScrollBar for ScrollBar: Textual offers no hook to
        choose the bar's class, only its renderer, which still goes through the console.
        (`_start_widget` is how Widget.vertical_scrollbar starts its bar, textual 0.80–8.)"""
        if self._vertical_scrollbar is None:
            bar = RowsScrollBar(thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    # --- data ------------------------------------------------------------------------------

    def load(
        self,
        labels: Sequence[str],
        rows: Mapping[str, Sequence[str]],
        whole: frozenset[int] = frozenset(),
        tails: frozenset[int] = frozenset(),
        least: Mapping[int, int] | None = None,
    ) -> None:
        """Replace every row and the column labels. The rows shown stay those still loaded,
        in their order, until `show` picks others."""
        self.load_prepared(prepare_rows(labels, rows, whole, tails, least))

    def load_prepared(self, rows: PreparedRows) -> None:
        """`load` with the rows made ready in a worker (`prepare_rows`)."""
        self._labels, self._cells, self._natural = rows.labels, rows.cells, rows.natural
        self._whole, self._tails, self._least = rows.whole, rows.tails, rows.least
        self._fitted = (-1, [])
        self._forget_lines()
        self.show([row_id for row_id in self._shown if row_id in self._cells])

    def show(self, row_ids: Sequence[str]) -> None:
        """Draw these loaded rows, in this order. The cursor stays on its row; if that row is
        gone, on the first row after it still shown (a deleted row's neighbour, the next match
        of a filter), else on the last."""
        previous, cursor = self._shown, self.cursor_row
        self._shown = list(row_ids)
        self._set_height(len(self._shown) + 1)
        position = 0
        if previous:
            # A set and list.index rather than a dict of every row's index: a filter key on
            # 5,000 rows spent 0.5 ms building that dict (bench/README.md, issue 26).
            still = set(self._shown)
            found = next((r for r in islice(previous, cursor, None) if r in still), None)
            position = len(self._shown) - 1 if found is None else self._shown.index(found)
        self.set_reactive(RowsView.cursor_row, self.validate_cursor_row(position))
        self.scroll_to(y=min(self.scroll_y, self.max_scroll_y), animate=False, force=True)
        self._scroll_to_cursor()
        self.refresh()

    def _set_height(self, height: int) -> None:
        """The scrollable height, with a relayout only when the scroll bar comes or goes.
        Textual's virtual_size relayouts the whole screen on every change: a filter key's
        frame waited for it (bench/README.md, TUI, issue 26)."""
        size = self.virtual_size.with_height(height)
        if size == self.virtual_size:
            return
        window = self.scrollable_content_region.height
        bar = self.vertical_scrollbar
        # Laid out, and the bar stays as it is: shown and still needed, or hidden and still not.
        if window > 0 and (height > window) == self.show_vertical_scrollbar:
            self.set_reactive(RowsView.virtual_size, size)
            if self.show_vertical_scrollbar:
                bar.window_virtual_size = height
            return
        self.virtual_size = size

    def select_id(self, row_id: str) -> None:
        """Put the cursor on this row, if it is shown."""
        if row_id in self._shown:
            self.cursor_row = self._shown.index(row_id)

    @property
    def row_count(self) -> int:
        return len(self._shown)

    @property
    def cursor_id(self) -> str | None:
        """The id of the cursor's row, or None when no row is shown."""
        if 0 <= self.cursor_row < len(self._shown):
            return self._shown[self.cursor_row]
        return None

    # --- cursor ----------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._shown) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self._scroll_to_cursor()
        if self.scroll_offset.y != top:
            return  # scrolled: ScrollView redraws every line
        # Each line goes through Textual's styles cache again once refreshed (≈ 0.1 ms a line):
        # a cursor moving inside the page changes two of them.
        width, height = self.size
        lines = [Region(0, row - top + 1, width, 1) for row in (old, new)]
        self.refresh(*(line for line in lines if 0 < line.y < height))

    def _page(self) -> int:
        # One line of the widget is the header.
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        page = self.scrollable_content_region.height - 1
        if page < 1:
            return  # not laid out yet (a hidden tab): on_resize comes back here
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, force=True)
        elif self.cursor_row >= top + page:
            self.scroll_to(y=self.cursor_row - page + 1, animate=False, force=True)

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        # The page and the cursor move together, so the cursor keeps its place on screen.
        self.scroll_to(y=self.scroll_y - self._page(), animate=False, force=True)
        self.cursor_row -= self._page()

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page(), animate=False, force=True)
        self.cursor_row += self._page()

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._shown) - 1

    def action_select(self) -> None:
        if (row_id := self.cursor_id) is not None:
            self.post_message(self.RowSelected(self, row_id))

    async def _on_click(self, event: events.Click) -> None:
        row_id = event.style.meta.get("row_id")
        if row_id not in self._shown:
            return
        event.stop()
        row = self._shown.index(row_id)
        if row == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = row

    # --- drawing ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        # Focus changes the cursor's colours.
        self._styles.clear()
        self._forget_lines()
        self.refresh()
        super().notify_style_update()

    def _forget_lines(self) -> None:
        self._lines.clear()
        self._finished.clear()
        self._finished_under = None

    def _style(self, kind: str) -> Style:
        """The line's style; rich_style walks every ancestor, so it is taken once per style
        change (notify_style_update), not once per line."""
        style = self._styles.get(kind)
        if style is None:
            style = base = self.rich_style
            if kind != "odd":
                style = base + self.get_component_rich_style(f"rows-view--{kind}")
            self._styles[kind] = style
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        """Widget's, with each line finished once per row, kind and width: the styles cache
        made every line of the page again on each refill or scroll (≈ 0.02 ms a line), though
        for this widget it only pads the line to the content's width in the background beneath
        it. Any style that would make it do more (a border, padding, tint, opacity, hatch)
        goes through Textual's own path."""
        styles = self.styles
        if (
            any(styles.gutter)
            or any(edge for edge, _ in styles.outline)
            or styles.tint.a
            or styles.text_opacity != 1
            or self.opacity != 1
            or (styles.has_rule("hatch") and styles.hatch != "none")
        ):
            return super().render_lines(crop)
        region = self.region
        width = self.scrollable_content_region.width
        base_background, background = self.background_colors
        # Beneath the line, as the styles cache pads it: a change of it (a theme, a parent's
        # background) makes every line again.
        under = Style(bgcolor=(base_background + background).rich_color)
        if under != self._finished_under:
            self._finished.clear()
            self._finished_under = under
        filters = self.get_line_filters()
        top = self.scroll_offset.y
        strips = []
        for y in crop.line_range:
            key = (*self._line_key(y, top), width, region.width)
            strip = self._finished.get(key)
            if strip is None:
                if len(self._finished) > LINES_KEPT:
                    self._finished.clear()
                line = self.render_line(y).adjust_cell_length(region.width, under)
                strip = self._finished[key] = Strip(line, region.width)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, region.width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips

    def _line_key(self, y: int, top: int) -> tuple[str, str]:
        """(row id, kind of line) of line `y` with the page scrolled to `top`."""
        if y == 0:
            return ("", "header" if self._labels else "blank")  # blank: nothing loaded yet
        row = top + y - 1
        if row >= len(self._shown):
            return ("", "blank")
        if row == self.cursor_row:
            return (self._shown[row], "cursor")
        return (self._shown[row], "even-row" if row % 2 == 0 else "odd")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row_id, kind = self._line_key(y, self.scroll_offset.y)
        if kind == "blank":
            return Strip.blank(width, self._style("odd"))
        return self._line(row_id, kind, width)

    def _line(self, row_id: str, kind: str, width: int) -> Strip:
        key = (row_id, kind, width)
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > LINES_KEPT:
                self._lines.clear()
            if kind == "header":
                line = self._strip(self._labels, width, self._style(kind))
            else:
                line = self._strip(self._cells[row_id], width, self._style(kind))
                line = line.apply_meta({"row_id": row_id})
            self._lines[key] = line
        return line

    def _strip(self, cells: Sequence[str], width: int, style: Style) -> Strip:
        pad = " " * CELL_PADDING
        line = "".join(
            pad + (_fit_tail if column in self._tails else _fit)(cell, cell_width) + pad
            for column, (cell, cell_width) in enumerate(
                zip(cells, self._widths(width), strict=False)
            )
        )
        return Strip([Segment(set_cell_size(line, width), style)], width)

    def _widths(self, width: int) -> list[int]:
        if self._fitted[0] != width:
            room = width - 2 * CELL_PADDING * len(self._natural)
            widths = fit_widths(self._natural, room, self._whole)
            self._fitted = (width, give_least(widths, self._natural, self._least))
        return self._fitted[1]


def fit_widths(natural: Sequence[int], room: int, whole: frozenset[int] = frozenset()) -> list[int]:
    """Column widths that fit in `room` cells: the widest columns give up cells first, so the
    narrow ones (dates, hours) stay whole. Columns in `whole` keep their width as long as the
    others have cells to give."""
    if sum(natural) <= room:
        return list(natural)
    kept = sum(natural[c] for c in whole if c < len(natural))
    others = [c for c in range(len(natural)) if c not in whole]
    if whole and others:
        # The others give up cells first, down to a few each (a name still recognisable);
        # past that the whole columns give up theirs too rather than leave the others none.
        least = sum(min(natural[c], SHARE_MIN) for c in others)
        kept = min(kept, room - least)
        keep = [c for c in range(len(natural)) if c in whole]
        widths = list(natural)
        if kept < sum(natural[c] for c in keep):
            for column, width in zip(
                keep, fit_widths([natural[c] for c in keep], kept), strict=True
            ):
                widths[column] = width
            kept = sum(widths[c] for c in keep)
        shared = fit_widths([natural[c] for c in others], room - kept)
        for column, width in zip(others, shared, strict=True):
            widths[column] = width
        return widths
    cap = max(1, min(max(natural), room))
    while cap > 1 and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    widths = [min(w, cap) for w in natural]
    # Lowering the cap one cell at a time can overshoot by less than one cell a capped column.
    spare = room - sum(widths)
    for column, w in enumerate(natural):
        if spare <= 0:
            break
        if w > cap:
            widths[column] += 1
            spare -= 1
    return widths


def give_least(
    widths: Sequence[int], natural: Sequence[int], least: Mapping[int, int]
) -> list[int]:
    """`widths` with each column of `least` raised to its least width (never past its natural
    one), in the order given, by cells taken one at a time from the column with the most to
    spare above its own least (SHARE_MIN for a column not listed)."""
    out = list(widths)

    def floor(column: int) -> int:
        return min(natural[column], least.get(column, SHARE_MIN))

    for column in least:
        while out[column] < floor(column):
            spare = [c for c in range(len(out)) if out[c] > floor(c)]
            if not spare:
                return out
            donor = max(spare, key=lambda c: out[c] - floor(c))
            out[donor] -= 1
            out[column] += 1
    return out


def _fit_tail(text: str, width: int) -> str:
    """`text` padded or cut to `width` cells from its start, a cut shown by an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    kept = text
    while cell_len(kept) > width - 1:
        kept = kept[1:]
    return set_cell_size("…" + kept, width)


def _fit(text: str, width: int) -> str:
    """`text` padded or cut to `width` cells, a cut shown by an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def _one_line(text: str) -> str:
    """A line break, tab or other control character in stored text would break the row apart,
    or reach the terminal: each becomes a space."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " for ch in text)

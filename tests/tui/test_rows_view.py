"""RowsView on its own, and the portfolio's collection table built on it: filtering, the cursor,
keys, Enter, and stored text drawn as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static

from frmr.model.portfolio.edits import add_row, delete_row
from frmr.model.store.account import Account
from frmr.tui.messages import StoreChanged
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.collection import CollectionTable, CountLine
from frmr.tui.widgets.rows_view import RowsScrollBar, RowsView, fit_widths
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import typed, wait_for

pytestmark = pytest.mark.anyio

LABELS = ("Тема", "Часов")


def drawn(view: RowsView) -> list[str]:
    """The lines the view draws now, as plain text."""
    return [
        "".join(segment.text for segment in view.render_line(y)).rstrip()
        for y in range(view.scrollable_content_region.height)
    ]


class RowsApp(App[None]):
    def __init__(self, rows: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield RowsView()

    def on_mount(self) -> None:
        view = self.query_one(RowsView)
        view.load(LABELS, self.rows)
        view.show(list(self.rows))
        view.focus()

    def on_rows_view_row_selected(self, message: RowsView.RowSelected) -> None:
        self.selected.append(message.row_id)


def numbered(count: int) -> dict[str, tuple[str, ...]]:
    return {f"id-{i}": (f"Тема {i}", str(18 + i)) for i in range(count)}


async def test_the_header_and_the_first_rows_are_drawn_in_columns() -> None:
    app = RowsApp(numbered(100))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        lines = drawn(app.query_one(RowsView))
    assert lines[0] == " Тема     Часов"
    assert lines[1] == " Тема 0   18"
    assert lines[8] == " Тема 7   25"


async def test_keys_move_the_cursor_and_keep_it_on_screen() -> None:
    app = RowsApp(numbered(100))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowsView)
        await pilot.press("down", "down")
        assert view.cursor_id == "id-2"
        await pilot.press("pagedown")  # 9 lines of rows below a header: a page is 9 rows
        assert view.cursor_id == "id-11"
        assert drawn(view)[3].startswith(" Тема 11 ")  # the cursor kept its line on screen
        await pilot.press("end")
        assert view.cursor_id == "id-99"
        assert drawn(view)[-1].startswith(" Тема 99")
        await pilot.press("pageup", "up")
        assert view.cursor_id == "id-89"
        await pilot.press("home")
        assert view.cursor_id == "id-0"
        assert drawn(view)[1].startswith(" Тема 0")
        await pilot.press("up")
        assert view.cursor_id == "id-0"


def cells(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    """Each line as its cells: the character and its style, however it was split."""
    return [[(ch, segment.style) for segment in strip for ch in segment.text] for strip in strips]


async def test_the_scroll_bar_is_drawn_as_textual_draws_it_wherever_the_page_is() -> None:
    # RowsScrollBar makes the bar's lines itself, from the same segments: the thumb moves as
    # the page does, in the same glyphs and colours (and mouse actions) as Textual's bar.
    app = RowsApp(numbered(100))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowsView)
        bar = view.vertical_scrollbar
        assert isinstance(bar, RowsScrollBar)
        seen = []
        for keys in ((), ("pagedown",) * 3, ("end",), ("pageup",), ("home",)):
            await pilot.press(*keys)
            await pilot.pause()
            whole = Region(0, 0, *bar.size)
            ours = cells(bar.render_lines(whole))
            bar.refresh()  # Textual's path would redraw from its renderable, not its cache
            assert ours == cells(ScrollBar.render_lines(bar, whole))
            seen.append(next(y for y, line in enumerate(ours) if line[0][1].reverse))
        assert seen[0] == 0  # the thumb at the top, then lower, at the bottom, back up
        assert seen[0] < seen[1] < seen[2]
        assert seen[3] < seen[2]
        assert seen[4] == 0


async def test_the_lines_are_drawn_as_textual_draws_them_through_refills_and_focus() -> None:
    # RowsView finishes each line once per row, kind and width instead of through Textual's
    # styles cache: the same cells and colours in every state (focused or not, the cursor's
    # row, even and odd rows, scrolled, refilled, the 16-colour theme's filters), and a row's
    # line kept from before a refill or a move must not show another row or the old cursor.
    from frmr.tui.theme import THEME_16

    app = RowsApp(numbered(60))
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(RowsView)
        app.register_theme(THEME_16)

        async def same() -> list[list[tuple[str, Style]]]:
            await pilot.pause()
            whole = Region(0, 0, *view.outer_size)
            ours = cells(view.render_lines(whole))
            view.refresh()  # Textual's path: every line through the styles cache again
            assert ours == cells(Widget.render_lines(view, whole))
            return ours

        await same()
        for step in (
            lambda: pilot.press("down", "down"),
            lambda: pilot.press("pagedown"),
            lambda: pilot.press("end"),
            lambda: pilot.press("home"),
        ):
            await step()
            await same()
        view.show([f"id-{i}" for i in range(0, 60, 7)])  # a filter: rows move up the page
        lines = await same()
        assert [text for text, _ in lines[2]][1:8] == list("Тема 7 ")
        view.show([f"id-{i}" for i in range(0, 60, 2)])
        lines = await same()
        assert [text for text, _ in lines[2]][1:8] == list("Тема 2 ")
        view.blur()
        await same()
        view.focus()
        app.theme = THEME_16.name
        await same()
        await pilot.press("down")
        await same()
        view.show([])
        await same()


async def test_the_screen_shows_the_cursor_on_its_row_only_as_it_moves() -> None:
    # A move inside the page repaints only the two rows' lines: the screen (not the view's
    # own render_line) must show the cursor left its old row, up and down, and after a scroll.
    app = RowsApp(numbered(100))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowsView)
        cursor = view.get_component_rich_style("rows-view--cursor").bgcolor

        def cursor_lines() -> list[int]:
            return [y for y in range(1, 10) if app.screen.get_style_at(2, y).bgcolor == cursor]

        await pilot.pause()
        assert cursor_lines() == [1]
        for keys, line in (
            (("down", "down"), 3),
            (("up",), 2),
            (("pagedown",), 2),  # the page moved with the cursor
            (("down",) * 7, 9),
            (("down",), 9),  # scrolled by one
            (("up",), 8),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            assert cursor_lines() == [line]


async def test_enter_and_a_click_on_the_cursor_row_select_it() -> None:
    app = RowsApp(numbered(5))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowsView)
        await pilot.press("down", "enter")
        await pilot.click(RowsView, offset=(3, 4))  # the header is line 0: row 3
        assert view.cursor_id == "id-3"
        await pilot.click(RowsView, offset=(3, 4))
        await pilot.pause()
    assert app.selected == ["id-1", "id-3"]


async def test_a_refill_keeps_the_cursor_on_its_row_or_else_on_the_next_one_shown() -> None:
    app = RowsApp(numbered(20))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowsView)
        await pilot.press("down", "down", "down")
        view.show(["id-1", "id-3", "id-5"])
        assert view.cursor_id == "id-3"
        view.show(list(app.rows))
        assert view.cursor_id == "id-3"
        view.show([row_id for row_id in app.rows if row_id != "id-3"])  # deleted: its neighbour
        assert view.cursor_id == "id-4"
        view.show(["id-0", "id-1"])  # nothing after it: the last row, the nearest before it
        assert view.cursor_id == "id-1"
        view.show([])
        assert view.cursor_id is None
        await pilot.press("down", "enter")
        assert app.selected == []
        view.show(list(app.rows))
        assert view.cursor_id == "id-0"


async def test_stored_text_is_drawn_as_text_on_one_line() -> None:
    app = RowsApp({"a": ("[bold]x[/] и [red]", "1"), "b": ("первая\nвторая\tтретья", "2")})
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        lines = drawn(app.query_one(RowsView))
    assert lines[1] == " [bold]x[/] и [red]    1"
    assert lines[2] == " первая вторая третья  2"


async def test_columns_wider_than_the_screen_are_cut_with_an_ellipsis() -> None:
    app = RowsApp({"a": ("о" * 60, "144")})
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()
        view = app.query_one(RowsView)
        lines = drawn(view)
        width = view.scrollable_content_region.width
    assert lines[1].endswith("…  144")
    assert all(len(line) <= width for line in lines)


def test_fitting_columns_shrinks_the_widest_first() -> None:
    assert fit_widths([10, 5], 20) == [10, 5]
    assert fit_widths([30, 5, 12], 30) == [13, 5, 12]
    assert fit_widths([30, 20, 4], 30) == [13, 13, 4]
    assert sum(fit_widths([31, 20, 4], 30)) == 30


# --- the collection table on the portfolio screen ---------------------------------------------


def add_courses(account: Account, count: int) -> None:
    for i in range(count):
        add_row(
            account,
            "courses",
            {
                "theme": f"Тема {i}",
                "kind": "dpp_pk",
                "institution": "РМАНПО",
                "hours": "18",
                "begin_date": "01.03.2024",
            },
        )


async def courses_table(pilot: Pilot[None]) -> CollectionTable:
    app = pilot.app
    await wait_for(pilot, lambda: app.account is not None)  # type: ignore[attr-defined]
    await app.switch_mode("portfolio")
    await pilot.press("right")  # Образовательная часть
    table = app.screen.query_one("#collection-courses", CollectionTable)
    await wait_for(pilot, lambda: table.spec is not None)
    table.query_one(RowsView).focus()
    await pilot.pause()
    return table


def counter(table: CollectionTable) -> str:
    """The counter's line as drawn on screen."""
    return table.query_one(CountLine).render_lines(Region(0, 0, 80, 1))[0].text.rstrip()


async def test_typing_a_filter_narrows_the_rows_and_the_counter_at_once(
    account: Account, frmr_home: Path
) -> None:
    add_courses(account, 30)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await courses_table(pilot)
        view = table.query_one(RowsView)
        assert counter(table) == "записей: 30"
        await pilot.press("slash", *typed("тема 2"))
        assert view.row_count == 11  # 2 and 20–29
        assert counter(table) == "записей: 11 из 30"
        themes = [line.split("  ")[0].strip() for line in drawn(view)[1:12]]
        assert themes == ["Тема 2", *(f"Тема {i}" for i in range(20, 30))]
        await pilot.press("backspace", "backspace")
        assert counter(table) == "записей: 30 из 30"


async def test_a_filter_longer_than_its_line_shows_its_end_as_it_is_typed(
    account: Account, frmr_home: Path
) -> None:
    # The filter's line is repainted, not laid out again, as its text grows (FilterInput):
    # its text still scrolls sideways to keep the cursor and the last letters in sight.
    add_courses(account, 3)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await courses_table(pilot)
        search = table.query_one("#filter", Input)
        text = "тема " + "абвгдежзий" * 9 + "конец"
        await pilot.press("slash", *typed(text))
        await pilot.pause()
        assert search.value == text
        assert search.scroll_x > 0
        line = "".join(
            str(search.render_line(y).text) for y in range(search.content_region.height + 2)
        )
        assert "йконец" in line
        assert "тема" not in line
        assert counter(table) == "записей: 0 из 3"
        await pilot.press(*["backspace"] * len(text))
        await pilot.pause()
        assert search.scroll_x == 0
        assert counter(table) == "записей: 3"


async def test_the_cursor_stays_on_its_record_while_the_filter_changes(
    account: Account, frmr_home: Path
) -> None:
    add_courses(account, 30)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await courses_table(pilot)
        await pilot.press(*["down"] * 12)
        chosen = table.current_id()
        assert table.rows[chosen].theme == "Тема 12"
        await pilot.press("slash", *typed("тема 1"))
        assert table.current_id() == chosen
        await pilot.press("backspace", "backspace", "backspace", "enter")
        assert table.current_id() == chosen
        assert table.query_one(RowsView).has_focus
        assert not table.query_one("#filter", Input).has_focus


async def test_the_counter_is_drawn_as_a_static_with_its_style_draws_it() -> None:
    # CountLine draws its text itself (a Static's visual pipeline cost a filter key 0.35 ms):
    # same cells, same colours, focused or not, as the Static it replaced.
    class Both(App[None]):
        CSS = ".collection-count { height: 1; color: $text-muted; background: $panel; }"

        def compose(self) -> ComposeResult:
            yield Static("записей: 12 из 5000", classes="collection-count", markup=False)
            yield CountLine(classes="collection-count")

    app = Both()
    async with app.run_test(size=(40, 4)) as pilot:
        line = app.query_one(CountLine)
        line.show("записей: 12 из 5000")
        await pilot.pause()
        static = app.query_one(Static)
        # Cell for cell: Static splits off the padding and marks offsets for mouse selection.
        ours, theirs = (
            [
                (segment.text, str(segment.style))
                for segment in w.render_lines(Region(0, 0, 40, 1))[0].discard_meta().simplify()
            ]
            for w in (line, static)
        )
        assert ours == theirs
        line.show("записей: 7")
        await pilot.pause()
        assert line.render_lines(Region(0, 0, 40, 1))[0].text == "записей: 7".ljust(40)


async def test_a_filter_typed_again_after_the_rows_changed_shows_the_rows_of_now(
    account: Account, frmr_home: Path
) -> None:
    # A typed letter scans only the rows the shorter filter matched, and an erased one is
    # answered from memory (CollectionTable._matches): an answer kept across a reload would
    # hide a course added since, or keep one deleted.
    add_courses(account, 12)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await courses_table(pilot)
        view = table.query_one(RowsView)
        await pilot.press("slash", *typed("тема 1"))
        assert view.row_count == 3  # 1, 10, 11
        await pilot.press("1")
        assert [table.rows[r].theme for r in view._shown] == ["Тема 11"]
        await pilot.press("backspace", "backspace")
        assert view.row_count == 12
        add_row(
            account,
            "courses",
            {
                "theme": "Тема 111",
                "kind": "dpp_pk",
                "institution": "РМАНПО",
                "hours": "18",
                "begin_date": "01.03.2024",
            },
        )
        gone = next(r for r, row in table.rows.items() if row.theme == "Тема 10")
        delete_row(account, "courses", gone)
        app.post_message(StoreChanged(app.account.store.data_version()))
        await wait_for(pilot, lambda: len(table.rows) == 12 and gone not in table.rows)
        assert view.row_count == 12
        await pilot.press("1")
        assert sorted(table.rows[r].theme for r in view._shown) == ["Тема 1", "Тема 11", "Тема 111"]
        assert counter(table) == "записей: 3 из 12"
        await pilot.press("1")
        assert sorted(table.rows[r].theme for r in view._shown) == ["Тема 11", "Тема 111"]
        await pilot.press(*["backspace"] * len("тема 11"))
        assert view.row_count == 12
        assert counter(table) == "записей: 12"


async def test_enter_on_a_row_opens_its_edit_form(account: Account, frmr_home: Path) -> None:
    add_courses(account, 3)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await courses_table(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        form = app.screen
        assert isinstance(form, RowForm)
        assert form.row.theme == "Тема 1"


async def test_a_course_named_like_markup_is_shown_as_typed(
    account: Account, frmr_home: Path
) -> None:
    add_row(
        account,
        "courses",
        {
            "theme": "[bold]x[/] [i]y[/i]",
            "kind": "dpp_pk",
            "institution": "РМАНПО",
            "hours": "18",
            "begin_date": "01.03.2024",
        },
    )
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await courses_table(pilot)
        assert drawn(table.query_one(RowsView))[1].startswith(" [bold]x[/] [i]y[/i]  ")

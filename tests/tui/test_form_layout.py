"""Forms at the sizes people use: the focused field's label alone is lit, and a dropdown
stands apart from the text around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, Select
from textual.widgets._select import SelectOverlay

from frmr.model.store.account import Account
from frmr.tui.app import FrmrApp
from frmr.tui.widgets.field import FormField
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, header_answered, quiet, wait_for

pytestmark = pytest.mark.anyio


def _lit(app: FrmrApp) -> list[str]:
    return [f.field_name for f in app.screen.query(FormField) if f.query_one(Label).rich_style.bold]


def _focused(app: FrmrApp) -> list[str]:
    return [f.field_name for f in app.screen.query(FormField) if app.focused in f.query("*")]


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_dropdowns_are_framed_and_only_the_focused_fields_label_is_lit(
    account: Account, frmr_home: Path, size: tuple[int, int]
) -> None:
    """A dropdown is framed apart from the form's text, and only the focused field's label is
    lit, on the card at each size."""
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=size) as pilot:
        await header_answered(pilot)
        await app.switch_mode("profile")
        await quiet(pilot)
        selects = [s for s in app.screen.query(Select) if s.region.height]
        assert selects
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        for select in selects:
            r = select.region
            top, bottom = rows[r.y][r.x : r.right], rows[r.bottom - 1][r.x : r.right]
            assert top.startswith("╭") and top.endswith("╮"), (top, select.id)
            assert bottom.startswith("╰") and bottom.endswith("╯"), (bottom, select.id)
        fields = list(app.screen.query(FormField))
        fields[0].focus_input()
        await quiet(pilot)
        assert _lit(app) == _focused(app) == [fields[0].field_name]
        for _ in range(3):
            await pilot.press("down")
            await quiet(pilot)
            assert len(_focused(app)) == 1
            assert _lit(app) == _focused(app)
        assert _focused(app) != [fields[0].field_name]


async def test_an_open_list_is_framed_over_the_form(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        await pilot.press("a")
        await quiet(pilot)
        await pilot.press("down", "enter")
        await quiet(pilot)
        [overlay] = [o for o in app.screen.query(SelectOverlay) if o.region.height]
        r = overlay.region
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        top, bottom = rows[r.y][r.x : r.right], rows[r.bottom - 1][r.x : r.right]
        assert top.startswith("╭") and top.endswith("╮"), top
        assert bottom.startswith("╰") and bottom.endswith("╯"), bottom


async def test_a_text_box_field_shows_the_lines_typed_in_it() -> None:
    """A multi-line field («Комментарий») is a box of several lines before anything is typed
    in it: a grid of auto height sized its row to the text, so an empty box drew as a single
    blank row (the new-application form under tmux), with nothing to show where to type."""
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class OneForm(App[None]):
        def compose(self) -> ComposeResult:
            yield FormField("phone", "Телефон", "", str)
            yield FormField("comment", "Комментарий", "", str, multiline=True)

    app = OneForm()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(TextArea)
        await pilot.pause()
        assert box.region.height == 4
        box.focus()
        await pilot.press(*"первая", "enter", *"вторая", "enter", *"третья")
        await pilot.pause()
        r = box.region
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        inside = [rows[y][r.x : r.right].strip() for y in range(r.y, r.bottom)]
        assert inside[:3] == ["первая", "вторая", "третья"], inside


async def test_f4_opens_the_card_with_its_first_field_focused(
    account: Account, frmr_home: Path
) -> None:
    """The first key typed goes into «Фамилия»: the focus once stayed on the tab strip, two
    Tabs away from it."""
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.screen.query(FormField)))
        await quiet(pilot)
        first = app.screen.query(FormField).first()
        assert _focused(app) == [first.field_name] == ["last_name"]
        await pilot.press("end", "а")
        await quiet(pilot)
        assert first.value == "Ивановаа"

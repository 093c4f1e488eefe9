"""Портфолио → «Доп. документы» with the keyboard at 80×24: add an item picking its file from
the library, edit it, delete it; the keys are the other tabs' (rows.add, rows.edit,
rows.delete), whatever has the focus on the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent

from frmr.model.documents.library import import_file
from frmr.model.portfolio.edits import add_row
from frmr.model.store.account import Account
from frmr.model.store.tables import Document, PortfolioPart
from frmr.tui.app import FrmrApp
from frmr.tui.screens.dialogs import ConfirmScreen
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.collection import CollectionTable
from frmr.tui.widgets.field import FormField
from frmr.tui.widgets.rows_view import RowsView
from tests.samples import make_pdf
from tests.support.portfolio_reads import listed
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for
from tests.tui.test_layout_80x24 import frame

pytestmark = pytest.mark.anyio

SECTION = "additional-documents"
NAME = "Иванова М.П. трудовая книжка на 3 л."


def _library(account: Account, tmp_path: Path) -> list[Document]:
    return [
        import_file(account, make_pdf(tmp_path / name, salt=name)).document
        for name in ("диплом.pdf", "трудовая книжка.pdf")
    ]


def _table(app: FrmrApp) -> CollectionTable:
    return app.screen.query_one(f"#collection-{SECTION}", CollectionTable)


async def _open_tab(pilot: Pilot[None]) -> FrmrApp:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await wait_for(pilot, lambda: app.data_loaded_ms is not None)
    await app.switch_mode("portfolio")
    # From the portfolio's tab strip, as a doctor gets there: → → to the third tab.
    tabs = app.screen.query_one("#portfolio-tabs", TabbedContent)
    app.screen.set_focus(tabs.query_one("Tabs"))
    await pilot.press("right", "right")
    await wait_for(pilot, lambda: tabs.active == "additional")
    await wait_for(pilot, lambda: _table(app).spec is not None)
    return app


def _field(app: FrmrApp, name: str) -> FormField:
    return app.screen.query_one(f"#field-{name}", FormField)


async def test_add_picks_the_file_from_the_library_with_the_keyboard(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    library = _library(account, tmp_path)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tab(pilot)
        await pilot.press("a")  # the tab strip has the focus: the key still reaches the table
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        picker = _field(app, "document_id").query_one(Select)
        # The newest file first, by its name, never by its id.
        labels = [str(prompt) for prompt, _ in picker._options if _ is not Select.NULL]
        assert labels[0].startswith("трудовая книжка.pdf (")
        await pilot.press(*NAME)
        await pilot.press("down")  # → Часть портфолио
        await pilot.press("enter", "down", "enter")
        await pilot.press("down")  # → Документ
        await pilot.press("enter", "down", "enter")
        assert _field(app, "document_id").value == library[1].id
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: not isinstance(app.screen, RowForm))
        await wait_for(pilot, lambda: bool(_table(app).rows))
        # The row as drawn: the file by its name, and the count under the table.
        await wait_for(
            pilot,
            lambda: all(
                text in "\n".join(frame(app)) for text in ("трудовая книжка.pdf", "записей: 1")
            ),
        )
    (row,) = listed(account, SECTION)
    assert (row.name, row.document_id) == (NAME, library[1].id)
    assert row.part is PortfolioPart.PROFESSIONAL


async def test_a_file_already_in_the_part_is_refused_on_its_field(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    library = _library(account, tmp_path)
    add_row(account, SECTION, {"name": NAME, "part": "professional", "document_id": library[0].id})
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tab(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        await pilot.press(*"Иванова М.П. диплом на 2 л.")
        await pilot.press("down", "enter", "down", "enter")  # Профессиональная
        await pilot.press("down", "enter", "down", "down", "enter")  # диплом.pdf
        await pilot.press("ctrl+o")
        field = _field(app, "document_id")
        await wait_for(pilot, lambda: field.has_class("-invalid"))
        assert isinstance(app.screen, RowForm)
    assert len(listed(account, SECTION)) == 1


async def test_edit_and_delete_from_the_tab(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    library = _library(account, tmp_path)
    add_row(account, SECTION, {"name": NAME, "part": "educational", "document_id": library[0].id})
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tab(pilot)
        await wait_for(pilot, lambda: bool(_table(app).rows))
        app.screen.set_focus(_table(app).query_one(RowsView))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        name = _field(app, "name").query_one(Input)
        assert name.value == NAME
        assert _field(app, "document_id").value == library[0].id
        name.value = "Иванова М.П. трудовая книжка на 4 л."
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: not isinstance(app.screen, RowForm))
        await wait_for(pilot, lambda: listed(account, SECTION)[0].version == 2)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: listed(account, SECTION) == [])


async def test_an_empty_library_says_where_files_come_from(
    account: Account, frmr_home: Path
) -> None:
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tab(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "в библиотеке нет файлов" in "\n".join(frame(app)))
        assert isinstance(app.screen, RowForm)
    assert listed(account, SECTION) == []

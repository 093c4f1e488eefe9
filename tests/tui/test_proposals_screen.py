"""Портфолио → «Предложено» at 80×24 with the keyboard: a course read from a document is
opened, a misread field corrected, and confirmed; only then is it in the courses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TabbedContent

from frmr.model.documents.ocr.fields import recognise
from frmr.model.documents.ocr.reader import Reader, find_tessdata
from frmr.model.portfolio.edits import list_rows
from frmr.model.portfolio.proposals import list_proposals, queue_reading, record_reading
from frmr.model.rules.filetypes import FileKind
from frmr.model.store.account import Account
from frmr.model.store.tables import Document
from frmr.tui.app import FrmrApp
from frmr.tui.screens.proposal_form import ProposalForm
from tests.support.certificates import pk_document
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import wait_for

pytestmark = pytest.mark.anyio


def _propose(account: Account) -> dict[str, str]:
    doc = pk_document(random.Random(31))
    with Reader(find_tessdata()) as reader:
        read = reader.read(doc.pdf, FileKind.PDF, max_pages=2, max_seconds=30)
    with account.store.write() as session:
        document = Document(sha256="1" * 64, size=1, kind=FileKind.PDF, file_name="удостов.pdf")
        session.add(document)
        session.flush()
        document_id = document.id
        queue_reading(session, document_id)
    record_reading(account, document_id, read, recognise(read))
    return doc.fields


async def test_a_proposal_is_corrected_and_confirmed_with_the_keyboard(
    account: Account, frmr_home: Path
) -> None:
    fields = _propose(account)
    wrong = str(int(fields["hours"]) + 1)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app, FrmrApp)
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await app.switch_mode("portfolio")
        tabs = app.screen.query_one("#portfolio-tabs", TabbedContent)
        app.screen.set_focus(tabs.query_one("Tabs"))
        await pilot.press("right", "right", "right")
        await wait_for(pilot, lambda: tabs.active == "proposed")
        table = app.screen.query_one("#proposals-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[2]) == fields["hours"]
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalForm))
        await pilot.pause()
        hours = app.screen.query_one("#field-hours Input", Input)
        hours.focus()
        await pilot.press("ctrl+u", *wrong)
        # Not yet a course: the form is only open.
        assert list_rows(account, "courses") == []
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: not isinstance(app.screen, ProposalForm))
        await wait_for(pilot, lambda: table.row_count == 0)
    (course,) = list_rows(account, "courses")
    assert course.hours == int(wrong)
    assert course.theme == fields["programme"]
    assert list_proposals(account) == []

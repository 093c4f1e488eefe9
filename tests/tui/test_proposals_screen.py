"""Портфолио → «Предложено» at 80×24 with the keyboard: a course read from a document is
opened, a misread field corrected, and confirmed; only then is it in the courses."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, TabbedContent

from frmr.model.documents.ocr.fields import recognise
from frmr.model.documents.ocr.reader import Reader, find_tessdata
from frmr.model.portfolio.proposal_view import Proposal
from frmr.model.portfolio.proposals import queue_reading, record_reading
from frmr.model.rules.filetypes import FileKind, sniff
from frmr.model.store.account import Account
from frmr.model.store.reads import proposals as proposal_reads
from frmr.model.store.tables import Document
from frmr.tui.app import FrmrApp
from frmr.tui.screens.proposal_form import ProposalForm, ScanPictures
from frmr.tui.widgets.scan_evidence import ScanEvidence
from tests.support.certificates import Generated, pk_document, turned_scan_read
from tests.support.portfolio_reads import listed, proposals_of
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import header_answered, quiet, wait_for

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
        assert listed(account, "courses") == []
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: not isinstance(app.screen, ProposalForm))
        await wait_for(pilot, lambda: table.row_count == 0)
    (course,) = listed(account, "courses")
    assert course.hours == int(wrong)
    assert course.theme == fields["programme"]
    assert proposals_of(account) == []


async def test_opening_the_portfolio_reads_the_proposals_once(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = _propose(account)
    reads: list[list[Proposal]] = []
    real = proposal_reads.read_proposals

    def counted(conn: sqlite3.Connection, *, everything: bool = False) -> list[Proposal]:
        reads.append(real(conn, everything=everything))
        return reads[-1]

    monkeypatch.setattr(proposal_reads, "read_proposals", counted)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        # The account's open is behind: it reloads every screen open then.
        await wait_for(pilot, lambda: app._data_version is not None)  # type: ignore[attr-defined]
        await app.switch_mode("portfolio")
        app.screen.action_proposals()  # type: ignore[attr-defined]
        # The tab's pane is made as it is first shown (LazyPane).
        await wait_for(pilot, lambda: bool(app.screen.query("#proposals-table")))
        table = app.screen.query_one("#proposals-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await quiet(pilot)
        assert str(table.get_row_at(0)[2]) == fields["hours"]
        # One read: the pane's mount and the screen's load each began one.
        assert [len(found) for found in reads] == [1]
        # A form closed without saving changed nothing: nothing to read again.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalForm))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ProposalForm))
        await quiet(pilot)
        assert [len(found) for found in reads] == [1]
        # Dismissed: the list read after the save no longer holds it.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalForm))
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: table.row_count == 0)
        assert reads[-1] == []


def _propose_scan(account: Account, tmp_path: Path) -> Generated:
    """A scan stored as the daemon stores one (its blob in the store) and read."""
    doc, read = turned_scan_read()
    path = tmp_path / doc.scan_name
    path.write_bytes(doc.scan)
    blob = account.store.blobs.put_file(path)
    kind = sniff(doc.scan[:64])
    assert kind is not None
    with account.store.write() as session:
        document = Document(sha256=blob.sha256, size=blob.size, kind=kind, file_name="скан.jpg")
        session.add(document)
        session.flush()
        document_id = document.id
        queue_reading(session, document_id)
    record_reading(account, document_id, read, recognise(read))
    return doc


async def test_the_scan_words_stand_beside_the_focused_field_at_60_by_20(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    doc = _propose_scan(account, tmp_path)
    (proposal,) = proposals_of(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await app.switch_mode("portfolio")
        tabs = app.screen.query_one("#portfolio-tabs", TabbedContent)
        app.screen.set_focus(tabs.query_one("Tabs"))
        await pilot.press("right", "right", "right")
        table = app.screen.query_one("#proposals-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalForm))
        form = app.screen
        evidence = form.query_one(ScanEvidence)
        # ↓ from «Вид курса» to «Программа», then «Часов»: the panel follows the focus.
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: "«Часов»" in str(evidence.render()))
        shown = evidence.render()
        assert isinstance(shown, Content)
        marked = [shown.plain[s.start : s.end] for s in shown.spans if s.style.reverse]  # type: ignore[union-attr]
        assert marked == [doc.fields["hours"]]
        hours = proposal.field("hours")
        assert hours is not None and hours.source is not None
        assert hours.source.line.strip() in shown.plain
        # The panel is on screen at 60×20, not scrolled away under the fields.
        assert evidence.region.bottom <= 20 and evidence.region.height >= 1
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, ScanPictures), seconds=60)
        pictures = app.screen
        assert isinstance(pictures, ScanPictures)
        page, cut = (Path(line) for line in str(pictures.body_text).splitlines()[1:3])
        assert page.is_file() and cut.name.endswith("-hours.png")
        assert pictures.command.startswith("scp ") and pictures.command.endswith(" .")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is form)

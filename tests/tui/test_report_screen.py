"""The report screen driven by Pilot: pre-filled facts, typing with autosave and counts,
refresh from the portfolio, producing the PDF and attaching it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from frmr.model.portfolio.edits import update_row
from frmr.model.report.output import REPORT_TITLE
from frmr.model.report.record import load_report
from frmr.model.store.account import open_account
from frmr.tui.app import FrmrApp
from frmr.tui.screens.report import ReportOutputModal, ReportScreen
from tests.support.portfolio_reads import listed
from tests.support.reads import stored_application
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import TODAY, seeded_account, typed, wait_for

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]


async def _open_report(pilot: Pilot[None]) -> ReportScreen:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await wait_for(pilot, lambda: app._data_version is not None)
    await app.switch_mode("portfolio")
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
    screen = app.screen
    assert isinstance(screen, ReportScreen)
    await wait_for(pilot, lambda: screen.query_one("#in-organization", Input).value != "")
    return screen


async def test_typing_a_block_autosaves_with_a_count(tmp_path: Path) -> None:
    settings = tui_settings(tmp_path / "home")
    with open_account(settings) as account:
        seeded_account(account)
    app = tui_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_report(pilot)
        assert screen.query_one("#in-organization", Input).value == "ГБУЗ ГКБ № 1"
        assert screen.query_one("#in-position", Input).value == "Врач-терапевт"
        assert screen.query_one("#in-period_end", Input).value == "26.11.2026"
        sections = screen.query_one("#report-sections", OptionList)
        sections.focus()
        await pilot.press("down", "down", "down", "down", "enter", "tab")
        area = screen.query_one("#in-duties", TextArea)
        await wait_for(pilot, lambda: area.has_focus)
        area.clear()
        await pilot.press(*typed("Приём пациентов"), "enter", *typed("Дежурства"))
        assert "25 из 20000" in str(screen.query_one("#count-duties", Static).render())
        assert "(25)" in str(sections.get_option("duties").prompt)

        status = screen.query_one("#report-status", Static)
        await wait_for(pilot, lambda: "Сохранено" in str(status.render()), seconds=30)
        with open_account(settings) as acc:
            assert load_report(acc, TODAY).report.duties == "Приём пациентов\nДежурства"
        # The preview pane shows the same words the PDF will.
        assert "1. Функциональные обязанности\nПриём пациентов\nДежурства" in screen._preview_text


async def test_untouched_facts_follow_the_portfolio_and_edited_ones_stay(tmp_path: Path) -> None:
    settings = tui_settings(tmp_path / "home")
    with open_account(settings) as account:
        seeded_account(account)
    app = tui_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_report(pilot)
        position = screen.query_one("#in-position", Input)
        position.focus()
        position.value = "Заведующая отделением"

        def position_saved() -> bool:
            with open_account(settings) as acc:
                return load_report(acc, TODAY).edited == {"position"}

        await wait_for(pilot, position_saved)
        with open_account(settings) as account:
            job = listed(account, "employment")[0]
            update_row(account, "employment", job.id, {"organization": "ГБУЗ ГКБ № 7"})
        organization = screen.query_one("#in-organization", Input)
        await wait_for(pilot, lambda: organization.value == "ГБУЗ ГКБ № 7")
        assert position.value == "Заведующая отделением"


async def test_f9_attaches_the_pdf_to_an_application(tmp_path: Path) -> None:
    settings = tui_settings(tmp_path / "home")
    with open_account(settings) as account:
        seeded_account(account)
    app = tui_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_report(pilot)
        await wait_for(pilot, lambda: bool(screen.applications))
        # The dialog offers the newest application that can still change first.
        target = screen.applications[0][1]
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportOutputModal))
        await pilot.press("p")

        def pdf_written() -> bool:
            return any((settings.home / "reports").glob("*.pdf"))

        await wait_for(pilot, pdf_written, seconds=30)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportOutputModal))
        await pilot.press("a")

        def attached() -> bool:
            with open_account(settings) as acc:
                docs = stored_application(acc, target).documents
                return [d.title for d in docs] == [REPORT_TITLE]

        await wait_for(pilot, attached, seconds=30)


def test_the_tui_does_not_load_the_report_libraries() -> None:
    """fpdf2, python-docx and what they pull in load only when a report is produced."""
    import subprocess
    import sys

    code = (
        "import sys, frmr.tui.app, frmr.tui.screens.report\n"
        "print(sorted(m for m in ('fpdf', 'docx', 'fontTools', 'PIL', 'fontpkg_pt_serif')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"

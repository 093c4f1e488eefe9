"""Refusals where the doctor looks: the Заявления screen lists, for the selected application,
the files refused from its folder with reason and time, and tells of a new one at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from frmr.daemon.intake import Intake
from frmr.model.store.account import Account
from frmr.tui.screens.applications import ApplicationsScreen
from tests.samples import ELF_HEAD, make_file
from tests.support.reads import stored_application
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import new_app, record_notices, wait_for

pytestmark = pytest.mark.anyio


async def test_refused_file_shows_under_its_application_and_is_announced(
    account: Account, frmr_home: Path
) -> None:
    app_id = new_app(account)
    folder = Path(stored_application(account, app_id).folder)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ApplicationsScreen)
        await wait_for(pilot, lambda: screen.loaded and screen.current_id() == app_id)
        details = screen.query_one("#app-details", Static)
        assert "Не приняты" not in str(details.render())
        notes = record_notices(pilot.app)

        make_file(folder / "program.pdf", ELF_HEAD, 100)
        intake = Intake(account, settle_seconds=0.0, emit=lambda _e, _f: None)
        intake.rescan()
        intake.process_due()
        intake.close()

        await wait_for(pilot, lambda: "program.pdf" in str(details.render()))
        shown = str(details.render())
        assert "Не приняты из папки (1)" in shown and "только PDF, JPEG и PNG" in shown
        await wait_for(pilot, lambda: any("program.pdf" in n and "не принят" in n for n in notes))

"""A replaced attachment where the doctor looks: the Заявления screen's details of the
application say which file changed, from what to what."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from textual.widgets import Static

from frmr.daemon.intake import Intake
from frmr.model.store.account import Account
from frmr.tui.screens.applications import ApplicationsScreen
from tests.samples import pdf_bytes
from tests.support.reads import stored_application
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import new_app, wait_for

pytestmark = pytest.mark.anyio


def take(account: Account) -> None:
    intake = Intake(account, settle_seconds=0.0, emit=lambda _e, _f: None)
    intake.rescan()
    intake.process_due()
    intake.close()


async def test_replaced_attachment_shows_under_its_application(
    account: Account, frmr_home: Path
) -> None:
    app_id = new_app(account)
    scan = Path(stored_application(account, app_id).folder) / "scan.pdf"
    old, new = pdf_bytes(200_000, "old"), pdf_bytes(300_000, "new")
    scan.write_bytes(old)
    take(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ApplicationsScreen)
        await wait_for(pilot, lambda: screen.loaded and screen.current_id() == app_id)
        details = screen.query_one("#app-details", Static)
        assert "Замены файлов" not in str(details.render())

        before = scan.stat().st_mtime_ns + 10**9
        scan.write_bytes(new)
        os.utime(scan, ns=(before, before))
        take(account)

        await wait_for(pilot, lambda: "Замены файлов (1)" in str(details.render()))
        shown = " ".join(str(details.render()).split())
        assert "«scan.pdf» изменился" in shown
        assert hashlib.sha256(new).hexdigest()[:8] in shown

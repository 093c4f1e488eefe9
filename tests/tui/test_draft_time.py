"""A draft has no number: its creation time tells it from another, and on a narrow screen the
day stays in it (a cut at the start once left «…11 09:32», the month and time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application
from frmr.tui.app import FrmrApp
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, fill_portfolio, header_answered, new_app, quiet, wait_for

pytestmark = pytest.mark.anyio

# The longest statuses: the number's column has the fewest cells to itself.
NUMBERED = [ApplicationStatus.QUEUED, ApplicationStatus.PASSED, ApplicationStatus.UNDER_REVIEW]


def _draft_line(app: FrmrApp) -> str:
    rows = [strip.text for strip in app.screen._compositor.render_strips()]
    [line] = [line for line in rows if "Черновик " in line and "Статус:" not in line]
    return line


async def test_a_drafts_day_and_time_stay_whole_at_60_columns(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    fill_portfolio(account)
    for n, status in enumerate(NUMBERED, 1):
        app_id = new_app(account)
        with account.store.write() as session:
            row = session.get(Application, app_id)
            assert row is not None
            row.number, row.status = f"ФРМР-2026-{n:06d}", status
            session.add(row)
    draft = new_app(account)
    with account.store.read() as session:
        created = session.get(Application, draft).created_at  # type: ignore[union-attr]
    when = f"{created.astimezone():%d.%m %H:%M}"
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(60, 20)) as pilot:
        await header_answered(pilot)
        await wait_for(pilot, lambda: any(m in _draft_line(app) for m in ("✗", "!", "✓")))
        narrow = _draft_line(app)
        assert narrow.lstrip().startswith(when), narrow
        # The numbers keep their distinguishing end.
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        for n in range(1, len(NUMBERED) + 1):
            assert any(f"-00000{n} " in line for line in rows), rows

        await pilot.resize_terminal(80, 24)
        await quiet(pilot)
        assert _draft_line(app).lstrip().startswith(f"от {when}"), _draft_line(app)

        await pilot.resize_terminal(60, 20)
        await quiet(pilot)
        assert _draft_line(app).lstrip().startswith(when), _draft_line(app)

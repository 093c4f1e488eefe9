"""The lists of Портфолио and Профиль read through the read model (model.store.reads.portfolio):
they show what another process wrote once the store tells them, the form edits the row
listed, and listing them imports no ORM (a child process shows it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from frmr.model.portfolio.collections import COLLECTIONS
from frmr.model.store.account import Account
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.collection import CollectionTable
from frmr.tui.widgets.field import FormField
from tests.cli.test_cli import Frmr
from tests.support.cli_imports import HEAVY
from tests.support.portfolio_reads import listed
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, fill_portfolio, screen_text, wait_for

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]


def _cli(frmr_home: Path, tmp_path: Path) -> Frmr:
    # A real process, as a second terminal would run it, on the same store.
    return Frmr(frmr_home, tmp_path / "config.toml", in_process=False)


async def test_a_list_shows_what_another_process_wrote_and_its_form_takes_the_new_version(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    fill_card(account)
    fill_portfolio(account)
    [job] = listed(account, "employment")
    frmr = _cli(frmr_home, tmp_path)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._data_version is not None)
        await app.switch_mode("portfolio")
        await wait_for(pilot, lambda: "Врач-терапевт" in screen_text(pilot))
        hours = app.screen.query_one("#hours", Static)
        await wait_for(pilot, lambda: "всего записано 144 ч" in str(hours.render()))
        frmr("portfolio", "edit", "employment", job.id, "position=Заведующий отделением")
        frmr(
            "portfolio", "add", "courses", "theme=Кардиология", "kind=nmo_module", "hours=36",
            "institution=РМАНПО", "begin_date=01.04.2024",
        )  # fmt: skip
        await wait_for(pilot, lambda: "Заведующий отделением" in screen_text(pilot))
        assert "Врач-терапевт" not in screen_text(pilot)
        await wait_for(pilot, lambda: "всего записано 180 ч" in str(hours.render()))
        jobs = app.screen.query_one("#collection-employment", CollectionTable)
        await wait_for(pilot, lambda: jobs.current_id() == job.id)
        jobs.action_edit()
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RowForm)
        # The form starts from the row as the other process left it, at its version.
        assert form.read_version == 2
        position = form.query_one("#field-position", FormField)
        assert position.value == "Заведующий отделением"
        courses = app.screen_stack[0].query_one("#collection-courses", CollectionTable)
        assert sorted(r.hours for r in courses.rows.values()) == [36, 144]
        # Another process removes the course: the list drops it.
        [added] = [r for r in listed(account, "courses") if r.hours == 36]
        frmr("portfolio", "remove", "courses", added.id)
        await wait_for(pilot, lambda: added.id not in courses.rows)


# A host for the lists as Портфолио and Профиль show them (CollectionTable), with the store's
# settings and nothing else: what listing them imports, once every list is on screen.
PROBE = """
import json, sys
from textual.app import App
from frmr.model.store.settings import load_settings
from frmr.tui.widgets.collection import CollectionTable

class Lists(App):
    def __init__(self):
        super().__init__()
        self.settings = load_settings()
        self.account = None  # not opened: the lists need only the store's settings

    def compose(self):
        for name in sys.argv[2].split(','):
            yield CollectionTable(name)

    def on_mount(self):
        for table in self.query(CollectionTable):
            table.reload()

async def main():
    app = Lists()
    async with app.run_test(size=(80, 24)) as pilot:
        tables = list(app.query(CollectionTable))
        for _ in range(400):
            if all(t.spec is not None for t in tables):
                break
            await pilot.pause(0.05)
        listed = {t.collection: len(t.rows) for t in tables}
    loaded = sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1].split(',')))
    print(json.dumps({"listed": listed, "heavy": loaded}))

import asyncio
asyncio.run(main())
"""


def test_listing_portfolio_and_profile_imports_no_orm(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    fill_portfolio(account)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), ",".join(COLLECTIONS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    seen = json.loads(out.splitlines()[-1])
    # Every list was read (fill_portfolio's rows among them), and nothing heavy came with it.
    assert seen["listed"]["employment"] == 1 and seen["listed"]["addresses"] == 1
    assert seen["listed"]["courses"] == 1 and seen["listed"]["identity-documents"] == 0
    assert seen["heavy"] == []

"""Портфолио and Профиль read through the read model (model.store.reads): the lists show what
another process wrote once the store tells them, the form edits the row listed, and showing
both screens imports no ORM (a child process shows it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Static, TabbedContent

from frmr.model.documents.library import import_file
from frmr.model.portfolio.proposals import queue_reading
from frmr.model.store.account import Account
from frmr.model.store.tables import CourseProposal, ProposalStatus
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.collection import CollectionTable
from frmr.tui.widgets.field import FormField
from tests.samples import make_pdf
from tests.support.cli_imports import HEAVY
from tests.support.portfolio_reads import listed
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import another_process, fill_card, fill_portfolio, screen_text, wait_for

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]


async def test_a_list_shows_what_another_process_wrote_and_its_form_takes_the_new_version(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    fill_card(account)
    fill_portfolio(account)
    [job] = listed(account, "employment")
    config = tmp_path / "config.toml"
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._data_version is not None)
        await app.switch_mode("portfolio")
        await wait_for(pilot, lambda: "Врач-терапевт" in screen_text(pilot))
        # The courses' tab once, as a doctor looks at it: it stays made while hidden, and
        # its list and hours must follow the store from then on.
        tabs = app.screen.query_one("#portfolio-tabs", TabbedContent)
        tabs.active = "educational"
        hours = app.screen.query_one("#hours", Static)
        await wait_for(pilot, lambda: "всего записано 144 ч" in str(hours.render()))
        tabs.active = "professional"
        another_process(
            frmr_home,
            config,
            ["portfolio", "edit", "employment", job.id, "position=Заведующий отделением"],
            [
                "portfolio", "add", "courses", "theme=Кардиология", "kind=nmo_module",
                "hours=36", "institution=РМАНПО", "begin_date=01.04.2024",
            ],
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
        another_process(frmr_home, config, ["portfolio", "remove", "courses", added.id])
        await wait_for(pilot, lambda: added.id not in courses.rows)


# frmr-tui with the store never opened for writing: `boot` (which opens the account, the ORM
# and migrations) gives a stand-in that anything using it as the account fails on. Портфолио
# and Профиль are opened and shown in full; then: what the process has imported.
PROBE = """
import asyncio, json, sys
from frmr.model.store.settings import load_settings
from frmr.tui.app import FrmrApp, make_app
from frmr.tui.widgets.collection import CollectionTable
from textual.widgets import TabPane

def boot(self):
    self.settings = load_settings()
    self.account = object()

FrmrApp.boot = boot

async def until(pilot, ready):
    for _ in range(600):
        if ready():
            return True
        await pilot.pause(0.05)
    return False

async def every_tab(pilot, screen):
    # Each tab shown once: a tab's lists are made as it is first shown (LazyPane).
    seen = set()
    while panes := [p for p in screen.query(TabPane) if p not in seen]:
        for pane in panes:
            seen.add(pane)
            pane.parent.parent.active = pane.id
            await until(pilot, lambda: getattr(pane, "ready", True))

async def main():
    app = make_app(start_services=False, ask_login=False)
    shown = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.account is not None)
        await app.switch_mode("portfolio")
        screen = app.screen
        await every_tab(pilot, screen)
        tables = list(screen.query(CollectionTable))
        hours = screen.query_one("#hours")
        proposals = screen.query_one("#proposals-table")
        shown["portfolio"] = await until(
            pilot,
            lambda: all(t.spec is not None for t in tables)
            and "всего записано" in str(hours.render())
            and proposals.row_count == 1,
        )
        shown["rows"] = {t.collection: len(t.rows) for t in tables}
        await app.switch_mode("profile")
        screen = app.screen
        await every_tab(pilot, screen)
        tables = list(screen.query(CollectionTable))
        shown["profile"] = await until(
            pilot,
            lambda: all(t.spec is not None for t in tables)
            and screen.read_version is not None,
        )
        shown["rows"].update({t.collection: len(t.rows) for t in tables})
    heavy = sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1].split(',')))
    print(json.dumps({"shown": shown, "heavy": heavy}))

asyncio.run(main())
"""


def test_opening_portfolio_and_profile_imports_no_orm(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    fill_card(account)
    fill_portfolio(account)
    document = import_file(account, make_pdf(tmp_path / "удостоверение.pdf")).document
    with account.store.write() as session:
        queue_reading(session, document.id)
        proposal = session.exec(select(CourseProposal)).one()
        proposal.status = ProposalStatus.PROPOSED
        session.add(proposal)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    seen = json.loads(out.splitlines()[-1])
    # Every list, the summary, the proposal and the card were shown (fill_portfolio's rows
    # among them) without the account, and nothing heavy was imported on the way.
    assert seen["shown"] == {
        "portfolio": True,
        "profile": True,
        "rows": {
            "employment": 1,
            "skills": 1,
            "courses": 1,
            "additional-documents": 0,
            "identity-documents": 0,
            "education": 0,
            "certificates": 1,
            "addresses": 1,
        },
    }
    assert seen["heavy"] == []

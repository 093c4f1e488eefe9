"""Shared by the TUI tests: a store with a known portfolio and applications, and waiting helpers."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerState

from frmr.model.applications.lifecycle import form_application, new_application, submit_application
from frmr.model.portfolio.edits import add_row
from frmr.model.profile.card import update_profile
from frmr.model.report.record import update_report
from frmr.model.store.account import Account
from frmr.model.store.tables import SYNCED_TABLES, StatusChange
from frmr.tui.app import FrmrApp
from tests.samples import add_listed_scans

TODAY = date(2026, 11, 26)
FROZEN = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@contextmanager
def predictable_ids() -> Iterator[None]:
    """uuid4 counts up (in its first digits too: folder names use them), so ids and folders
    are the same in every run, for snapshots."""
    counter = itertools.count(1)
    original = uuid.uuid4
    uuid.uuid4 = lambda: uuid.UUID(int=(n := next(counter)) << 96 | n)  # type: ignore[assignment]
    try:
        yield
    finally:
        uuid.uuid4 = original  # type: ignore[assignment]


def fill_card(account: Account) -> None:
    update_profile(
        account,
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "patronymic": "Петровна",
            "snils": "112-233-445 95",
            "phone": "+7 912 345-67-89",
            "email": "ivanova@example.ru",
            "birth_date": "12.04.1985",
        },
    )


def fill_portfolio(account: Account) -> None:
    add_row(
        account,
        "employment",
        {
            "organization": "ГБУЗ ГКБ № 1",
            "position": "Врач-терапевт",
            "position_type": "main",
            "begin_date": "01.09.2015",
        },
    )
    add_row(
        account,
        "courses",
        {
            "theme": "Актуальные вопросы терапии",
            "kind": "dpp_pk",
            "specialty": "Терапия",
            "institution": "РМАНПО",
            "hours": "144",
            "begin_date": "01.03.2024",
            "end_date": "30.03.2024",
            "doc_number": "772400012345",
        },
    )
    add_row(
        account,
        "certificates",
        {
            "number": "7722 031234567",
            "kind": "accreditation",
            "specialty_name": "Терапия",
            "pass_date": "01.03.2022",
            "end_date": "01.03.2027",
        },
    )
    update_report(account, {"duties": "Отчёт"})
    add_row(account, "skills", {"name": "Ведение пациентов с [bold]ХСН[/]", "description": ""})
    add_row(
        account,
        "addresses",
        {"kind": "registration", "region": "Москва", "street": "Тверская", "house": "1"},
    )


def add_scans(account: Account) -> None:
    """The scans the list of documents names: forming is refused without them."""
    add_listed_scans(account, account.home.parent / "scans")


def new_app(account: Account) -> str:
    return new_application(
        account, specialty="Терапия", phone="+7 912 345-67-89", email="ivanova@example.ru"
    ).app.id


def seeded_account(account: Account) -> list[str]:
    """A card, a portfolio and three applications (draft, queued, formed), timestamps frozen."""
    with predictable_ids():
        fill_card(account)
        fill_portfolio(account)
        ids = [new_app(account) for _ in range(3)]
        # After the applications, so their ids (and folders) stay those of the snapshots.
        add_scans(account)
        form_application(account, ids[1], TODAY)
        submit_application(account, ids[1], TODAY)
        form_application(account, ids[2], TODAY)
    freeze_times(account)
    return ids


def freeze_times(account: Account) -> None:
    with account.store.write() as session:
        from frmr.model.store.tables import Application

        # Distinct creation times keep the newest-first order of the table stable.
        for minute, app in enumerate(session.exec(select(Application).order_by(Application.id))):
            app.created_at = FROZEN + timedelta(minutes=minute)
        for table in SYNCED_TABLES:
            for row in session.exec(select(table)).all():
                row.updated_at = FROZEN
                for name in ("status_changed_at", "imported_at", "attached_at"):
                    if hasattr(row, name):
                        setattr(row, name, FROZEN)
        for change in session.exec(select(StatusChange)).all():
            change.at = FROZEN


def record_notices(app: App[None]) -> list[str]:
    """Every notification the app raises from now on, kept after its toast expires (five
    seconds, which a loaded machine can spend between the raise and the assertion)."""
    told: list[str] = []
    notify = app.notify

    def recorded(message: str, *args: Any, **kwargs: Any) -> None:
        told.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recorded  # type: ignore[method-assign]
    return told


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 10) -> None:
    """Let workers and timers run until `condition` holds; no key is pressed meanwhile.

    Polled with plain sleeps, the app's loop running all the while: a pilot's pause first has
    every widget on the screen answer a call, ≈ 8 ms of CPU on Профиль, and a test waiting
    two seconds paid 40 of them. Once the condition holds, a pause lets the screen handle
    what got it there (as the pause it came true in did), and it must hold after that too."""
    if condition():
        return
    for _ in range(int(seconds / 0.05)):
        await asyncio.sleep(0.05)
        if condition():
            await pilot.pause()
            if condition():
                return
    raise AssertionError("the screen did not get there in time")


def _working(app: App[None]) -> bool:
    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)


async def quiet(pilot: Pilot[None]) -> None:
    """Until every worker has finished and what it posted is handled: the screen then shows
    all it will until the next store poll, which reloads the same rows. Not for a screen
    whose worker waits on the world (the QR login polls until the code is approved)."""
    await wait_for(pilot, lambda: not _working(pilot.app))
    await pilot.pause()
    await wait_for(pilot, lambda: not _working(pilot.app))


async def header_answered(pilot: Pilot[None]) -> None:
    """Until the applications' full load and the daemon's first status are in: the header
    shows the person and the daemon's state from them."""
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await wait_for(pilot, lambda: app.data_loaded_ms is not None and app.daemon_polled)
    await quiet(pilot)


def card_composed(app: App[None]) -> bool:
    """The card's fields are mounted and each has composed its input (a field mounted a
    moment ago may not have yet)."""
    fields = app.screen.query("FormField")
    return bool(fields) and all(field.query("#input") for field in fields)


async def open_card(pilot: Pilot[None]) -> None:
    """Профиль → Карточка, ready for typing. The account's open reloads every live screen,
    resetting the card's fields under the keys typed next: open it once that is behind."""
    app = pilot.app
    await wait_for(pilot, lambda: app._data_version is not None)  # type: ignore[attr-defined]
    await app.switch_mode("profile")
    await wait_for(pilot, lambda: card_composed(app))


def screen_text(pilot: Pilot[None]) -> str:
    """Everything the current screen shows, as plain text: a DataTable's every row, a
    RowsView's lines on screen (its header and the rows scrolled into view), a RichLog's
    every line."""
    from textual.widgets import DataTable, RichLog, Static

    from frmr.tui.widgets.rows_view import RowsView
    from frmr.tui.widgets.shell_lines import ShellLines

    parts: list[str] = []
    for widget in pilot.app.screen.query("*"):
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" ".join(str(c) for c in widget.get_row_at(row)))
        elif isinstance(widget, RowsView):
            for y in range(widget.scrollable_content_region.height):
                parts.append(widget.render_line(y).text.rstrip())
        elif isinstance(widget, RichLog):
            parts.extend(line.text.rstrip() for line in widget.lines)
        elif isinstance(widget, (Static, ShellLines)):
            parts.append(str(widget.render()))
    return "\n".join(parts)


def typed(text: str) -> list[str]:
    """Pilot key names for typing `text` (a space is the key "space")."""
    return ["space" if c == " " else c for c in text]


# The commands in turn, each through `frmr`'s entry point as its console script calls it (its
# own Context, settings and store), in one interpreter: a start of Python and frmr costs
# about 0.7 s of CPU, what one command costs a small fraction of.
_COMMANDS = """
import json, sys
from frmr.cli.main import main
for args in json.loads(sys.argv[1]):
    sys.argv = ["frmr", *args]
    try:
        main()
    except SystemExit as done:
        if done.code:
            raise
"""


def another_process(home: Path, config: Path, *commands: Sequence[str]) -> None:
    """`frmr` commands run one after the other by a real process of their own on the store
    in `home`, as a second terminal would run them, while the app's loop waits; each must
    succeed."""
    env = {**os.environ, "FRMR_HOME": str(home), "FRMR_CONFIG": str(config)}
    env.pop("FRMR_REGISTRY_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS, json.dumps(commands)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr

"""«Готовность» (F8): both verdicts at a glance, and the verdict turning as the portfolio is
fixed; snapshots at 80×24 and 120×40."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from frmr.model.account import Account, open_account
from frmr.model.actions.portfolio import add_row
from frmr.tui.app import FrmrApp
from frmr.tui.screens.readiness import ReadinessScreen
from frmr.tui.widgets.rows_view import RowsView
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import seeded_account, wait_for

SNAPSHOT_HOME = Path("/tmp/frmr-tui-snapshots")
SIZES = [(80, 24), (120, 40)]


def add_cardiology(account: Account) -> None:
    """Кардиология beside the seeded Терапия: window open, 20 h of НМО short."""
    add_row(
        account,
        "certificates",
        {
            "number": "0177 241234567",
            "kind": "certificate",
            "specialty_name": "Кардиология",
            "pass_date": "15.01.2022",
            "end_date": "15.01.2027",
        },
    )
    for theme, kind, hours, on, doc in (
        ("Неотложная кардиология", "dpp_pk", "74", "10.03.2023", "772400054321"),
        ("Школа кардиолога", "nmo_event", "50", "20.09.2025", "НМО-3003"),
    ):
        add_row(
            account,
            "courses",
            {
                "theme": theme,
                "kind": kind,
                "specialty": "Кардиология",
                "institution": "РМАНПО",
                "hours": hours,
                "begin_date": on,
                "doc_number": doc,
            },
        )


def cards(app: FrmrApp) -> list[str]:
    return [str(s.render()) for s in app.screen.query(".readiness-card").results(Static)]


@pytest.fixture
def home(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    path = SNAPSHOT_HOME / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(path, ignore_errors=True)
    with open_account(tui_settings(path)) as account:
        seeded_account(account)
        add_cardiology(account)
    yield path
    monkeypatch.undo()
    time.tzset()


async def _open_readiness(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await wait_for(pilot, lambda: app.data_loaded_ms is not None)
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, ReadinessScreen) and len(cards(app)) == 2)
    await pilot.pause(0.3)


@pytest.mark.anyio
async def test_f8_shows_one_ready_and_one_not_and_the_fix_turns_the_verdict(home: Path) -> None:
    app = tui_app(tui_settings(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        # The applications list marks the draft (Терапия) ready at a glance.
        rows = app.screen.query_one("#apps", RowsView)
        statuses = [cells[3] for cells in rows._cells.values()]
        assert "Черновик ✓ готово" in statuses
        await _open_readiness(pilot)
        therapy, cardiology = sorted(cards(app), key=lambda c: not c.startswith("Терапия"))
        assert "ГОТОВО к подаче" in therapy
        assert "НЕ ГОТОВО" in cardiology and "не хватает 20" in cardiology
        assert "Подача: 15.01.2026 – 15.01.2027" in cardiology
        assert "решение до" in cardiology
        # The worker finishes an НМО module; the screen follows the store.
        account = app.account
        assert account is not None
        add_row(
            account,
            "courses",
            {
                "theme": "ИОМ: хроническая сердечная недостаточность",
                "kind": "nmo_module",
                "specialty": "Кардиология",
                "institution": "Портал НМО",
                "hours": "20",
                "begin_date": "20.11.2026",
                "doc_number": "ИОМ-9",
            },
        )
        await wait_for(pilot, lambda: all("ГОТОВО к подаче" in c for c in cards(app)))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_readiness_snapshot(
    snap_compare: Callable[..., bool], home: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(tui_app(tui_settings(home)), terminal_size=size, run_before=_open_readiness)

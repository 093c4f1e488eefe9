"""Tables at 60×20, 80×24 and 120×40, read off the screen: rows stay told apart, and long
names give up cells before other columns leave the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from frmr.model.documents.library import attach_files
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application
from frmr.tui.app import FrmrApp
from tests.samples import make_pdf
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, fill_portfolio, header_answered, new_app, quiet, wait_for

pytestmark = pytest.mark.anyio

SIZES = [(60, 20), (80, 24), (120, 40)]
STATUSES = [ApplicationStatus.UNDER_REVIEW, ApplicationStatus.CANCELLED, ApplicationStatus.DRAFT]
LONG_NAME = "Сертификат специалиста по терапии, выданный в 2021 году, скан с печатью.pdf"


def _rows(app: FrmrApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _table_rows(rows: list[str]) -> list[str]:
    """The applications table's rows: a number, whole or cut at its start (at 60 columns the
    kind may be cut to «Пери…» too, where the status needs the cells)."""
    return [line for line in rows if line.lstrip().startswith(("ФРМР-", "…")) and "-00000" in line]


def _numbered(account: Account) -> list[str]:
    fill_card(account)
    ids = [new_app(account) for _ in STATUSES]
    with account.store.write() as session:
        for n, (app_id, status) in enumerate(zip(ids, STATUSES, strict=True), 1):
            row = session.get(Application, app_id)
            assert row is not None
            row.number, row.status = f"ФРМР-2026-{n:06d}", status
            session.add(row)
    return ids


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_application_rows_are_told_apart_with_their_status(
    account: Account, frmr_home: Path, size: tuple[int, int]
) -> None:
    _numbered(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=size) as pilot:
        await header_answered(pilot)
        await quiet(pilot)
        rows = _rows(app)
        mine = _table_rows(rows)
        assert len(mine) == 3, "\n".join(rows)
        # Each row shows its own number's distinguishing end and its own status.
        for n, status in enumerate(STATUSES, 1):
            [line] = [line for line in mine if f"-00000{n}" in line]
            assert status.label[:8] in line, line
        assert len({line.split()[0] for line in mine}) == 3


LONG_STATUSES = [ApplicationStatus.QUEUED, ApplicationStatus.PASSED, ApplicationStatus.UNDER_REVIEW]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_longest_statuses_are_shown_whole_with_a_drafts_readiness_mark(
    account: Account, frmr_home: Path, size: tuple[int, int]
) -> None:
    """The number, the kind and the specialty give up cells before the status does."""
    fill_card(account)
    fill_portfolio(account)
    ids = [new_app(account) for _ in LONG_STATUSES]
    draft = new_app(account)
    with account.store.write() as session:
        for n, (app_id, status) in enumerate(zip(ids, LONG_STATUSES, strict=True), 1):
            row = session.get(Application, app_id)
            assert row is not None
            row.number, row.status = f"ФРМР-2026-{n:06d}", status
            session.add(row)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=size) as pilot:
        await header_answered(pilot)
        # The full list marks the draft's readiness.
        await wait_for(pilot, lambda: app.screen.query_one("#apps").cursor_id is not None)
        await wait_for(pilot, lambda: any(" ✗ " in r or " ! " in r for r in _rows(app)))
        rows = _rows(app)
        for n, status in enumerate(LONG_STATUSES, 1):
            [line] = [line for line in _table_rows(rows) if f"-00000{n} " in line]
            assert f" {status.label} " in line, "\n".join(rows)
        [line] = [line for line in rows if "Черновик " in line and "Статус:" not in line]
        assert any(f"Черновик {mark} " in line for mark in "✗!✓"), line
        assert draft


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_long_file_name_leaves_kind_size_and_date_on_screen(
    account: Account, frmr_home: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    *_, draft = _numbered(account)
    attach_files(account, draft, [make_pdf(tmp_path / LONG_NAME)])
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=size) as pilot:
        await header_answered(pilot)
        await app.switch_mode("documents")
        await quiet(pilot)
        rows = _rows(app)
        [header] = [line for line in rows if line.lstrip().startswith("Файл ")]
        assert all(label in header for label in ("Вид", "Размер", "Добавлен")), header
        [line] = [line for line in rows if line.lstrip().startswith("Сертификат")]
        assert "PDF" in line and " КБ" in line and "2026" in line, line

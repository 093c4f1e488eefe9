"""Nothing the doctor needs is cut at 80×24: read from the frame as the terminal gets it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application, RejectedFile
from frmr.tui.app import FrmrApp
from frmr.tui.widgets.collection import CollectionTable
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, fill_portfolio, header_answered, new_app, quiet, wait_for

pytestmark = pytest.mark.anyio

LONG_REASON = (
    "К заявлению уже приложено 5 файлов: не более 5 файлов на заявление. Сожмите или "
    "объедините сканы и положите файл снова"
)


def frame(app: FrmrApp) -> list[str]:
    """The screen's lines as drawn (from the SVG a screenshot is made of)."""
    svg = app.export_screenshot()
    lines: dict[float, str] = {}
    for y, text in re.findall(r'<text [^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines[float(y)] = lines.get(float(y), "") + html.unescape(text).replace("\xa0", " ")
    return [lines[y] for y in sorted(lines)]


async def _on(pilot: Pilot[None], mode: str) -> FrmrApp:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    # The header at its longest: the person, the counts and the daemon's state are in.
    await header_answered(pilot)
    await app.switch_mode(mode)
    await quiet(pilot)
    return app


async def test_refused_file_reason_and_when_are_whole(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app_id = new_app(account)
    with account.store.write() as session:
        session.add(
            RejectedFile(
                file_name="шестой скан.pdf",
                rejected_path="/x",
                reason=LONG_REASON,
                application_id=app_id,
            )
        )
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "documents")
        await wait_for(pilot, lambda: "шестой скан.pdf" in "\n".join(frame(app)))
        lines = frame(app)
        shown = " ".join(" ".join(line.split()) for line in lines)
        # The reason wraps over lines of its own column; every word of it is on screen.
        assert all(word in shown for word in LONG_REASON.split()), "\n".join(lines)
        assert re.search(r"\d\d\.\d\d \d\d:\d\d", shown)
        assert any(line.lstrip().startswith("Когда") for line in lines)


async def test_quota_lines_and_the_header_do_not_wrap_or_cut(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app_id = new_app(account)
    with account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        row.number, row.status = "АК-2026-000123", ApplicationStatus.FORMED
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "documents")
        await wait_for(pilot, lambda: "АК-2026-000123" in "\n".join(frame(app)))
        lines = frame(app)
        [quota] = [line for line in lines if "АК-2026-000123" in line]
        assert "10 МБ" in quota and quota.rstrip().endswith("░")
        assert lines[0].rstrip().endswith("не доставлено: 0")


async def test_work_experience_shows_its_dates(account: Account, frmr_home: Path) -> None:
    fill_portfolio(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "portfolio")
        await wait_for(
            pilot, lambda: all(t.spec is not None for t in app.screen.query(CollectionTable))
        )
        await quiet(pilot)
        shown = "\n".join(frame(app))
        assert "Дата приёма" in shown and "01.09.2015" in shown
        assert "ГБУЗ ГКБ № 1" in shown and "Врач-терапевт" in shown

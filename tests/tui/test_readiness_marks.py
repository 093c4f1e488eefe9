"""A missing scan is marked by what it means: a red cross only where the list of documents
requires it (it blocks), an open circle where no list does (an оговорка at most)."""

from __future__ import annotations

import pytest

from frmr.cli.readiness import echo_readiness
from frmr.model.readiness.calendar import from_holidays
from frmr.tui.screens.readiness import render
from tests.model.test_readiness_documents import LISTED, UNLISTED, judge

CALENDAR = from_holidays(2015, 2031)


def _marks(text: str) -> dict[str, str]:
    documents = text.split("Документы: ", 1)[1].split("\n", 1)[0]
    cells = [cell.strip() for cell in documents.split("  ") if cell.strip()]
    return {cell[2:]: cell[0] for cell in cells}


def test_f8_marks_a_required_missing_scan_apart_from_an_optional_one() -> None:
    # Only the трудовая and the report's scan are missing: nothing blocks.
    ready = _marks(render(judge(LISTED, CALENDAR)).plain)
    assert ready["паспорт"] == "✓" and "✗" not in ready.values()
    assert ready["трудовая"] == "○" and ready["отчёт"] == "○"
    # Without the passport and the diploma the crosses are exactly the listed scans.
    bare = _marks(render(judge(UNLISTED, CALENDAR)).plain)
    assert bare["паспорт"] == "✗" and bare["диплом"] == "✗"
    assert bare["трудовая"] == "✓"


def test_frmr_readiness_says_which_missing_scan_is_required(
    capsys: pytest.CaptureFixture[str],
) -> None:
    echo_readiness(judge(UNLISTED, CALENDAR))
    lines = capsys.readouterr().out.splitlines()
    passport = next(line for line in lines if "[ ]" in line and "личность" in line.lower())
    assert passport.endswith("нет файла — обязателен")
    echo_readiness(judge(LISTED, CALENDAR))
    lines = capsys.readouterr().out.splitlines()
    report = next(line for line in lines if "[ ]" in line)
    assert report.endswith("нет файла (не обязателен)")

"""`frmr report show|pdf|docx` read the report through model.store.reads.

The report's pre-filled facts (organisation, department, position, стаж, period) follow
the portfolio; the read model answers when they need no refresh, and model.report.record writes
a due refresh first, which the read model then reads.
"""

from __future__ import annotations

import gc
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from frmr.model.portfolio.edits import add_row, update_row
from frmr.model.profile.card import update_profile
from frmr.model.report.document import build_document
from frmr.model.report.record import load_report, update_report
from frmr.model.report.variant import ReportVariant
from frmr.model.rules.clock import today
from frmr.model.store.account import Account, open_account
from frmr.model.store.reads import open_current
from frmr.model.store.reads.report import read_report
from frmr.model.store.settings import load_settings
from tests.cli.test_read_commands import _run
from tests.support.cli_imports import heavy_modules_loaded
from tests.support.portfolio_reads import listed


def _full_report(account: Account, variant: ReportVariant = ReportVariant.REFUSED) -> None:
    """Every fact from the portfolio (two places of work, one of them part-time, and an
    accreditation starting the period), one fact edited, every block, a signer."""
    update_profile(
        account, {"last_name": "Иванова", "first_name": "Мария", "patronymic": "Петровна"}
    )
    for organization, position_type, begin, end in (
        ("ООО «Клиника»", "main", "01.09.2010", "31.08.2015"),
        ("ГБУЗ «ГКБ № 1»", "main", "01.09.2015", ""),
        ("ГБУЗ «ГП № 3»", "external_part_time", "01.02.2019", ""),
    ):
        add_row(
            account,
            "employment",
            {
                "organization": organization,
                "department": "Терапевтическое отделение",
                "position": "Врач-терапевт участковый",
                "position_type": position_type,
                "begin_date": begin,
                "end_date": end,
            },
        )
    add_row(
        account,
        "certificates",
        {"number": "7722 031234567", "kind": "accreditation", "pass_date": "15.03.2023"},
    )
    update_report(
        account,
        {
            "department": "Поликлиника № 2, терапевтическое отделение",
            "organization_text": "Больница на 850 коек.\nПоликлиника на 600 посещений.",
            "department_text": "Четырнадцать терапевтических участков.",
            "experience_text": "По специальности «Терапия» с 2010 года.",
            "duties": "Приём пациентов участка.\n\tДиспансерное наблюдение.",
            "achievements": "Охват диспансерным наблюдением вырос с 62 до 85 %.",
            "mentoring": "Наставник двух молодых участковых терапевтов.",
            "proposals": "Ввести дистанционное наблюдение пациентов с гипертензией.",
            "variant": variant.value,
            "signer_name": "Сидоров Алексей Николаевич",
            "signer_position": "Главный врач",
            "signed_on": "20.11.2026",
        },
    )


def _read_view(account: Account, day: Any = None) -> Any:
    with open_current(account.store.db_path) as conn:
        assert conn is not None
        return read_report(conn, day or today())


@pytest.mark.parametrize("variant", list(ReportVariant))
def test_the_read_model_reads_the_view_the_writer_returns(
    account: Account, variant: ReportVariant
) -> None:
    _full_report(account, variant)
    read = _read_view(account)
    written = load_report(account)
    assert read is not None and read == written
    assert read.report.organization == "ГБУЗ «ГКБ № 1»"
    assert read.edited == {"department"}
    assert build_document(read) == build_document(written)


def test_report_show_prints_the_report(account: Account) -> None:
    _full_report(account)
    account.close()
    shown = _run("report", "show").decode()
    assert "Поликлиника № 2, терапевтическое отделение" in shown
    assert "ГБУЗ «ГКБ № 1»" in shown
    assert json.loads(_run("report", "show", "--json"))


def test_pdf_and_docx_are_made_from_the_read_report(account: Account, tmp_path: Path) -> None:
    _full_report(account)
    account.close()
    for kind in ("pdf", "docx"):
        _run("report", kind, "-o", str(tmp_path / f"report.{kind}"))
    assert gc.isenabled()  # paused only while a file is made
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(tmp_path / "report.docx") as docx:
        assert "ГБУЗ «ГКБ № 1»".encode() in docx.read("word/document.xml")


def test_report_show_writes_a_due_refresh_and_shows_it(account: Account) -> None:
    _full_report(account)
    job = next(j for j in listed(account, "employment") if j.organization == "ГБУЗ «ГКБ № 1»")
    update_row(account, "employment", job.id, {"organization": "ГБУЗ «ГКБ № 2»"})
    assert _read_view(account) is None
    account.close()
    assert "ГБУЗ «ГКБ № 2»" in _run("report", "show").decode()
    with open_account(load_settings()) as reopened:
        view = _read_view(reopened)
    assert view is not None and view.report.organization == "ГБУЗ «ГКБ № 2»"


def test_facts_due_a_refresh_are_left_to_the_orm_which_saves_them(account: Account) -> None:
    assert _read_view(account) is None  # no report yet
    _full_report(account)
    assert _read_view(account) is not None
    # Стаж and the period's end move with the day.
    assert _read_view(account, today() + timedelta(days=1)) is None
    # A portfolio change the report has not taken in yet.
    job = next(j for j in listed(account, "employment") if j.organization == "ГБУЗ «ГКБ № 1»")
    update_row(account, "employment", job.id, {"organization": "ГБУЗ «ГКБ № 2»"})
    assert _read_view(account) is None
    saved = load_report(account)
    assert saved.report.organization == "ГБУЗ «ГКБ № 2»"
    assert _read_view(account) == saved


def test_report_commands_load_no_orm_on_a_current_store(account: Account, tmp_path: Path) -> None:
    _full_report(account)
    account.close()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    commands = [
        ["report", "show", "--json"],
        ["report", "pdf", "-o", str(out_dir)],
        ["report", "docx", "-o", str(out_dir)],
    ]
    assert heavy_modules_loaded(commands) == []
    assert sorted(p.suffix for p in out_dir.iterdir()) == [".docx", ".pdf"]

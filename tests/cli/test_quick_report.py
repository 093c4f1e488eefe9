"""`frmr report show|pdf|docx` answer from sqlite3 exactly as from the ORM.

The report's pre-filled facts (organisation, department, position, стаж, period) are
computed by the same rules on both paths; the quick read answers only when they need no
refresh, since the ORM path saves one. Each output is made twice over the same store: as
shipped (the quick read asserted to have answered) and with the quick read turned off.
"""

from __future__ import annotations

import gc
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import frmr.cli.report
from frmr.cli.context import Context
from frmr.model.account import Account
from frmr.model.actions.portfolio import add_row, list_rows, update_row
from frmr.model.actions.profile import update_profile
from frmr.model.clock import today
from frmr.model.quick_read import open_current
from frmr.model.quick_report import read_report
from frmr.model.report import load_report, update_report
from frmr.model.report_document import build_document
from frmr.model.report_variant import ReportVariant
from tests.cli.test_quick_read import _no_quick_read, _run
from tests.support.cli_imports import heavy_modules_loaded


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


def _record_quick_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    answered: list[object] = []

    def recorded(*args: Any) -> Any:
        answer = read_report(*args)
        answered.append(answer)
        return answer

    monkeypatch.setattr(frmr.cli.report, "read_report", recorded)
    return answered


def _quick_view(account: Account, day: Any = None) -> Any:
    with open_current(account.store.db_path) as conn:
        assert conn is not None
        return read_report(conn, day or today())


@pytest.mark.parametrize("variant", list(ReportVariant))
def test_the_quick_read_makes_the_view_and_document_the_orm_makes(
    account: Account, variant: ReportVariant
) -> None:
    _full_report(account, variant)
    quick = _quick_view(account)
    orm = load_report(account)
    assert quick is not None and quick == orm
    assert quick.report.organization == "ГБУЗ «ГКБ № 1»"
    assert quick.edited == {"department"}
    assert build_document(quick) == build_document(orm)


@pytest.mark.parametrize("command", [("report", "show", "--json"), ("report", "show")])
def test_report_show_prints_what_the_orm_path_prints(
    account: Account, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    _full_report(account)
    account.close()
    answered = _record_quick_reads(monkeypatch)
    quick = _run(*command)
    assert answered and answered[0] is not None, "the quick read did not answer"
    monkeypatch.setattr(Context, "quick_store", _no_quick_read)
    assert _run(*command) == quick
    assert "Поликлиника № 2, терапевтическое отделение" in quick.decode()


def test_pdf_and_docx_are_the_same_bytes_from_either_path(
    account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_report(account)
    account.close()
    answered = _record_quick_reads(monkeypatch)
    for kind in ("pdf", "docx"):
        _run("report", kind, "-o", str(tmp_path / f"quick.{kind}"))
    assert len(answered) == 2 and None not in answered, "the quick read did not answer"
    assert gc.isenabled()  # paused only while a file is made
    monkeypatch.setattr(Context, "quick_store", _no_quick_read)
    for kind in ("pdf", "docx"):
        _run("report", kind, "-o", str(tmp_path / f"orm.{kind}"))
    assert (tmp_path / "quick.pdf").read_bytes() == (tmp_path / "orm.pdf").read_bytes()
    # A DOCX is a zip whose entries carry the time they were written: compare what they hold.
    parts = []
    for name in ("quick.docx", "orm.docx"):
        with zipfile.ZipFile(tmp_path / name) as docx:
            parts.append({entry: docx.read(entry) for entry in docx.namelist()})
    assert parts[0] == parts[1]
    assert "ГБУЗ «ГКБ № 1»".encode() in parts[0]["word/document.xml"]


def test_facts_due_a_refresh_are_left_to_the_orm_which_saves_them(account: Account) -> None:
    assert _quick_view(account) is None  # no report yet
    _full_report(account)
    assert _quick_view(account) is not None
    # Стаж and the period's end move with the day.
    assert _quick_view(account, today() + timedelta(days=1)) is None
    # A portfolio change the report has not taken in yet.
    job = next(j for j in list_rows(account, "employment") if j.organization == "ГБУЗ «ГКБ № 1»")
    update_row(account, "employment", job.id, {"organization": "ГБУЗ «ГКБ № 2»"})
    assert _quick_view(account) is None
    saved = load_report(account)
    assert saved.report.organization == "ГБУЗ «ГКБ № 2»"
    assert _quick_view(account) == saved


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

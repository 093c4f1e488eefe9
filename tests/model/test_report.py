"""The report on professional activity as data: pre-fill, edits, the agreement, migration."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from frmr.model.applications.lifecycle import new_application
from frmr.model.portfolio.edits import add_row, update_row
from frmr.model.report.blocks import BLOCKS
from frmr.model.report.record import load_report, report_agreement, update_report
from frmr.model.rules.errors import FieldInvalid
from frmr.model.store.account import Account
from frmr.model.store.engine import open_store
from frmr.model.store.tables import ProfessionalReport, ReportVariant
from tests.support.portfolio_reads import listed
from tests.support.reads import stored_application

TODAY = date(2026, 11, 26)


def _job(account: Account, **kw: str) -> None:
    values = {
        "organization": "ГБУЗ ГКБ № 1",
        "position": "Врач-терапевт",
        "department": "Терапевтическое отделение",
        "position_type": "main",
        "begin_date": "01.09.2015",
    }
    values.update(kw)
    add_row(account, "employment", values)


def test_facts_are_prefilled_from_the_current_job_and_the_period(account: Account) -> None:
    _job(account, organization="ООО Старая клиника", begin_date="01.09.2010", end_date="31.08.2015")
    _job(account)
    view = load_report(account, TODAY)
    r = view.report
    assert (r.organization, r.department, r.position) == (
        "ГБУЗ ГКБ № 1",
        "Терапевтическое отделение",
        "Врач-терапевт",
    )
    assert r.seniority == "16 лет 2 месяца 26 дней"
    assert (r.period_start, r.period_end) == (date(2021, 11, 26), TODAY)
    assert not view.saved


def test_edited_facts_survive_a_portfolio_change_and_untouched_ones_follow_it(
    account: Account,
) -> None:
    _job(account)
    update_report(account, {"position": "Заведующая отделением", "duties": "Приём"}, TODAY)
    job = listed(account, "employment")[0]
    update_row(account, "employment", job.id, {"organization": "ГБУЗ ГКБ № 2"})
    view = load_report(account, TODAY)
    assert view.report.position == "Заведующая отделением"
    assert view.report.organization == "ГБУЗ ГКБ № 2"
    assert view.edited == {"position"}
    update_report(account, {"position": ""}, TODAY)
    assert load_report(account, TODAY).report.position == "Врач-терапевт"


def test_blocks_keep_lines_and_refuse_control_characters(account: Account) -> None:
    update_report(account, {"duties": "  Приём пациентов\r\nДежурства\tпо графику  "}, TODAY)
    assert load_report(account, TODAY).report.duties == "Приём пациентов\nДежурства\tпо графику"
    for bad in ("\x00", "\x1b[31m", "\x7f", "\x85"):
        with pytest.raises(FieldInvalid) as err:
            update_report(account, {"mentoring": f"Наставник{bad}"}, TODAY)
        assert "управляющий символ" in err.value.user_message
        assert err.value.field == "mentoring"
    with pytest.raises(FieldInvalid):
        update_report(account, {"organization": "ГКБ\n№ 1"}, TODAY)
    with pytest.raises(FieldInvalid) as err:
        update_report(account, {"proposals": "я" * 20001}, TODAY)
    assert "не длиннее 20000" in err.value.user_message
    assert load_report(account, TODAY).report.mentoring == ""


def test_the_application_reads_the_agreement_from_the_report(account: Account) -> None:
    app_id = new_application(
        account, specialty="Терапия", phone="+79123456789", email="a@b.ru"
    ).app.id
    assert stored_application(account, app_id).report_agreed is True
    update_report(account, {"variant": "not_working"}, TODAY)
    assert stored_application(account, app_id).as_json()["report_agreed"] is False
    update_report(account, {"variant": "Согласован руководителем"}, TODAY)
    assert stored_application(account, app_id).report_agreed is True
    with account.store.read() as session:
        assert report_agreement(session) is True
        assert len(session.exec(select(ProfessionalReport)).all()) == 1


def test_every_variant_but_the_heads_agreement_answers_no() -> None:
    assert [v.agreed for v in ReportVariant] == [True, False, False, False, False]


def test_the_seven_blocks_of_the_guide_in_order() -> None:
    assert [b.title for b in BLOCKS] == [
        "Характеристика организации",
        "Характеристика подразделения",
        "Стаж работы по специальности",
        "Функциональные обязанности",
        "Профессиональные достижения",
        "Наставничество",
        "Предложения по совершенствованию профессиональной деятельности",
    ]


def _old_store(home: Path, *, report_agreed: bool, with_report: bool) -> None:
    with open_store(home, migrate_to="0002") as store:
        db = store.db_path
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO employment (id, version, synced_version, deleted, updated_at, "
            "sync_attempts, organization, position, position_type, rate, begin_date, end_date) "
            "VALUES ('e1', 1, 0, 0, '2026-01-01 00:00:00', 0, 'ГКБ № 1', 'Врач', 'main', 1.0, "
            "'2015-09-01', '2019-12-31')"
        )
        conn.execute(
            "INSERT INTO application (id, version, synced_version, deleted, updated_at, "
            "sync_attempts, kind, specialty_code, specialty_name, phone, email, report_agreed, "
            "status, folder_name, submit_attempts, created_at, status_changed_at) VALUES "
            "('a1', 1, 0, 0, '2026-01-01 00:00:00', 0, 'periodic', '31.08.49', 'Терапия', "
            "'+79123456789', 'a@b.ru', :agreed, 'draft', 'application-a1', 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            {"agreed": report_agreed},
        )
        if with_report:
            conn.execute(
                "INSERT INTO professional_report (id, version, synced_version, deleted, "
                "updated_at, sync_attempts, organization, year, text, agreed) VALUES "
                "('r1', 3, 3, 0, '2026-01-01 00:00:00', 0, 'ГКБ № 1', 2025, "
                "'Приём пациентов', 1)"
            )


def test_migration_moves_the_answer_to_the_report_and_keeps_the_text(tmp_path: Path) -> None:
    home = tmp_path / "data"
    _old_store(home, report_agreed=False, with_report=True)
    with open_store(home) as store, store.read() as session:
        report = session.exec(select(ProfessionalReport)).one()
        assert report.variant is ReportVariant.NOT_WORKING
        assert report.duties == "Приём пациентов"
        assert report.organization == "ГКБ № 1"
        assert report.edited_facts == "organization"
        assert report_agreement(session) is False
        columns = {
            r[1] for r in session.connection().exec_driver_sql("PRAGMA table_info(application)")
        }
        assert "report_agreed" not in columns


def test_migration_keeps_a_no_given_only_on_the_application(tmp_path: Path) -> None:
    home = tmp_path / "data"
    _old_store(home, report_agreed=False, with_report=False)
    with open_store(home) as store, store.read() as session:
        report = session.exec(select(ProfessionalReport)).one()
        assert report.agreed is False
        assert report.synced_version == 0


def test_migration_downgrade_restores_both_copies(tmp_path: Path) -> None:
    home = tmp_path / "data"
    _old_store(home, report_agreed=True, with_report=True)
    with open_store(home) as store:
        db = store.db_path
    from alembic import command
    from alembic.config import Config

    from frmr.model.store.engine import MIGRATIONS_DIR, make_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with make_engine(db).begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT text, agreed FROM professional_report").fetchall() == [
            ("Приём пациентов", 1)
        ]
        assert conn.execute("SELECT report_agreed FROM application").fetchall() == [(1,)]

"""`frmr apps list` and `frmr profile show` read the store through model.store.reads.

A store that is missing or old is created or migrated first, then read by the same code; a
child process shows a current store is read without SQLAlchemy, SQLModel, Alembic or
pydantic-settings.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlmodel import select

from frmr.cli.main import cli
from frmr.model.applications.lifecycle import cancel_application, new_application
from frmr.model.documents.library import attach_files, detach_document
from frmr.model.portfolio.edits import add_row, delete_row
from frmr.model.profile.card import update_profile
from frmr.model.report.record import update_report
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.engine import current_revision, open_store
from frmr.model.store.schema_version import SCHEMA_HEAD
from frmr.model.store.tables import Application, Attachment
from tests.samples import make_pdf
from tests.support.cli_imports import heavy_modules_loaded


def _new(account: Account, **extra: Any) -> str:
    return new_application(
        account, specialty="Терапия", phone="+7 912 345-67-89", email="a@example.ru", **extra
    ).app.id


def _varied_store(account: Account, tmp_path: Path) -> None:
    """Every column the outputs show, set and unset: numbers, reasons, retries, tombstones."""
    update_profile(
        account,
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "gender": "ж",
            "birth_date": "12.04.1985",
            "snils": "112-233-445 95",
            "inn": "500100732259",
            "phone": "+7 912 345-67-89",
        },
    )
    _new(account)
    # «Нет» in «Согласование отчёта», read from the report by both paths.
    update_report(account, {"variant": "refused"})
    with_files = _new(account, comment="Прошу рассмотреть")
    scans = [make_pdf(tmp_path / f"scan{i}.pdf", 3000 + i) for i in range(3)]
    attach_files(account, with_files, scans[:2])
    synced = _new(account)
    library = attach_files(account, synced, scans)
    # A detach not yet pushed deletes the link; one already pushed leaves a tombstone.
    detach_document(account, with_files, attach_files(account, with_files, scans[:1])[0].id)
    with account.store.write() as session:
        link = session.exec(select(Attachment).where(Attachment.application_id == synced)).first()
        assert link is not None
        link.synced_version = link.version
        session.add(link)
    detach_document(account, synced, link.document_id)
    cancel_application(account, _new(account), "Передумала")
    # The portfolio's additional documents, added out of the parts' order, one removed.
    for name, part, document in (
        ("диплом", "educational", library[0]),
        ("трудовая книжка", "professional", library[1]),
        ("приказ", "professional", library[2]),
    ):
        row = add_row(
            account,
            "additional-documents",
            {"name": f"Иванова М.П. {name} на 2 л.", "part": part, "document_id": document.id},
        )
    delete_row(account, "additional-documents", row.id)
    gone = _new(account)
    with account.store.write() as session:
        app = session.get(Application, synced)
        assert app is not None
        app.number = "ЗА-2026-000017"
        app.status = ApplicationStatus.NOT_DELIVERED
        app.status_reason = "Регистр не ответил"
        app.submit_attempts = 3
        app.next_attempt_at = datetime(2026, 12, 2, 9, 30, 0, 500, tzinfo=UTC)
        app.sync_error = "HTTP 503"
        session.add(app)
        hidden = session.get(Application, gone)
        assert hidden is not None
        hidden.deleted = True
        session.add(hidden)


def _run(*args: str) -> bytes:
    result = CliRunner().invoke(cli, list(args), prog_name="frmr", catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def test_apps_list_shows_live_applications_with_their_files_and_the_portfolio(
    account: Account, tmp_path: Path
) -> None:
    _varied_store(account, tmp_path)
    account.close()
    listed = json.loads(_run("apps", "list", "--json"))
    assert len(listed) == 4  # the tombstoned one is left out
    assert sorted(len(a["attachments"]) for a in listed) == [0, 0, 1, 2]
    carried = [a["portfolio"]["additional_documents"] for a in listed]
    assert all(items == carried[0] for items in carried)
    assert [(d["part"], d["name"]) for d in carried[0]] == [
        ("professional", "Иванова М.П. трудовая книжка на 2 л."),
        ("educational", "Иванова М.П. диплом на 2 л."),
    ]
    assert carried[0][0]["document"]["file_name"] == "scan1.pdf"
    resubmitted = next(a for a in listed if a["number"] == "ЗА-2026-000017")
    assert resubmitted["status"] == "not_delivered"
    assert resubmitted["status_reason"] == "Регистр не ответил"
    # «Согласование отчёта» follows the report's variant: refused.
    assert {a["report_agreed"] for a in listed} == {False}
    text = _run("apps", "list").decode()
    assert len(text.splitlines()) == 4
    assert "ЗА-2026-000017" in text and "Не доставлено" in text


def test_profile_show_reads_the_card(account: Account, tmp_path: Path) -> None:
    _varied_store(account, tmp_path)
    account.close()
    card = json.loads(_run("profile", "show", "--json"))
    assert (card["last_name"], card["first_name"], card["gender"]) == ("Иванова", "Мария", "2")
    assert card["birth_date"] == "1985-04-12"
    assert card["snils"] == "11223344595"
    assert "Иванова" in _run("profile", "show").decode()


def test_a_missing_store_is_created_and_then_read(frmr_home: Path) -> None:
    assert json.loads(_run("apps", "list", "--json")) == []
    card = json.loads(_run("profile", "show", "--json"))
    assert card["last_name"] == "" and (frmr_home / "frmr.sqlite3").is_file()


def test_an_old_store_is_migrated_and_then_read(frmr_home: Path) -> None:
    with open_store(frmr_home, migrate_to="0002"):
        pass
    assert current_revision(frmr_home / "frmr.sqlite3") != SCHEMA_HEAD
    assert json.loads(_run("apps", "list", "--json")) == []
    assert current_revision(frmr_home / "frmr.sqlite3") == SCHEMA_HEAD


def test_a_current_store_is_listed_without_the_orm(account: Account, tmp_path: Path) -> None:
    _varied_store(account, tmp_path)
    account.close()
    commands = [["apps", "list", "--json"], ["profile", "show", "--json"], ["--help"]]
    assert heavy_modules_loaded(commands) == []


def test_an_application_and_its_history_are_shown_without_the_orm(account: Account) -> None:
    app_id = _new(account)
    account.close()
    commands = [["apps", "show", app_id, "--json"], ["apps", "history", app_id[:8]]]
    assert heavy_modules_loaded(commands) == []

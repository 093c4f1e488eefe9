"""`frmr apps list` and `frmr profile show` answer from sqlite3 byte for byte as the ORM does.

Each command runs twice in-process over the same store: once as shipped (the quick read
of model.quick_read, asserted to have answered), once with the quick read turned off so
the ORM path answers; the outputs must be identical bytes. A child process then shows the
quick path loads none of SQLAlchemy, SQLModel, Alembic or pydantic-settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlmodel import select

import frmr.cli.apps
import frmr.cli.profile
from frmr.cli.context import Context
from frmr.cli.main import cli
from frmr.model.account import Account
from frmr.model.actions.applications import cancel_application, new_application
from frmr.model.actions.documents import attach_files, detach_document
from frmr.model.actions.portfolio import add_row, delete_row
from frmr.model.actions.profile import update_profile
from frmr.model.report import update_report
from frmr.model.statuses import ApplicationStatus
from frmr.model.tables import Application, Attachment
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


@contextmanager
def _no_quick_read(self: Context) -> Iterator[None]:
    yield None


def _run(*args: str) -> bytes:
    result = CliRunner().invoke(cli, list(args), prog_name="frmr", catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize(
    "command",
    [
        ("apps", "list", "--json"),
        ("apps", "list"),
        ("profile", "show", "--json"),
        ("profile", "show"),
    ],
)
def test_quick_read_prints_what_the_orm_path_prints(
    account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    _varied_store(account, tmp_path)
    account.close()
    answered: list[object] = []

    def recorded(read: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            answer = read(*args)
            answered.append(answer)
            return answer

        return wrapper

    monkeypatch.setattr(
        frmr.cli.apps,
        "list_application_summaries",
        recorded(frmr.cli.apps.list_application_summaries),
    )
    monkeypatch.setattr(frmr.cli.profile, "read_card", recorded(frmr.cli.profile.read_card))
    quick = _run(*command)
    assert answered and answered[0] is not None, "the quick read did not answer"
    monkeypatch.setattr(Context, "quick_store", _no_quick_read)
    assert _run(*command) == quick
    if "--json" in command and command[0] == "apps":
        listed = json.loads(quick)
        assert len(listed) == 4
        assert sorted(len(a["attachments"]) for a in listed) == [0, 0, 1, 2]
        carried = [a["portfolio"]["additional_documents"] for a in listed]
        assert all(items == carried[0] for items in carried)
        assert [(d["part"], d["name"]) for d in carried[0]] == [
            ("professional", "Иванова М.П. трудовая книжка на 2 л."),
            ("educational", "Иванова М.П. диплом на 2 л."),
        ]
        assert carried[0][0]["document"]["file_name"] == "scan1.pdf"


def test_quick_read_steps_aside_until_the_store_is_current(
    frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No store yet: the ORM path creates and migrates it, so the second call can be quick.
    assert json.loads(_run("apps", "list", "--json")) == []
    card = json.loads(_run("profile", "show", "--json"))
    assert card["last_name"] == "" and (frmr_home / "frmr.sqlite3").is_file()


def test_a_current_store_is_listed_without_the_orm(account: Account, tmp_path: Path) -> None:
    _varied_store(account, tmp_path)
    account.close()
    commands = [["apps", "list", "--json"], ["profile", "show", "--json"], ["--help"]]
    assert heavy_modules_loaded(commands) == []

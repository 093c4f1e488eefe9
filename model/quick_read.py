"""Reads of a current store with the stdlib's sqlite3, before (or instead of) the ORM.

Importing SQLAlchemy, SQLModel and the store costs about half a second of CPU; the TUI's
first page and the CLI's read-only commands (`frmr apps list`, `frmr profile show`, and
through model.quick_report `frmr report show|pdf|docx`) answer long before that from here.
Every read is read-only (`mode=ro`) and happens only when the store's schema is the one this
code knows (its revision equals model.schema_version.SCHEMA_HEAD); otherwise, or on any
error, `open_current` and the reads answer None and the caller takes the ORM path, which
migrates, creates and repairs. The shapes stay in one place each: labels and formats in
model.statuses and model.dates, the `--json` shapes in model.application_json and
model.profile_fields; this module only reads columns, in the same order as
model.actions.applications and model.actions.profile.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from frmr.model.application_json import (
    PORTFOLIO_DOCUMENT_ORDER,
    PortfolioDocument,
    application_json,
)
from frmr.model.gender import Gender
from frmr.model.portfolio_parts import PortfolioPart
from frmr.model.report_variant import ReportVariant, report_agreed
from frmr.model.schema_version import SCHEMA_HEAD
from frmr.model.statuses import ApplicationKind, ApplicationStatus

# More rows than any terminal shows at once; the full list follows within a second.
PAGE_ROWS = 100

# Newest first; rowid breaks ties in insertion order. model.actions.applications orders
# the same way, so the quick read and the ORM list agree row for row.
APPLICATION_ORDER = "application.created_at DESC, application.rowid DESC"
ATTACHMENT_ORDER = "attachment.attached_at, attachment.rowid"
# The report in use is the newest live one; model.report.current_report orders the same way.
REPORT_ORDER = "professional_report.updated_at DESC, professional_report.rowid DESC"
CURRENT_REPORT = f"FROM professional_report WHERE NOT deleted ORDER BY {REPORT_ORDER} LIMIT 1"

_FIRST_PAGE = (
    "SELECT id, number, kind, specialty_name, status, updated_at, created_at FROM application "
    f"WHERE NOT deleted ORDER BY {APPLICATION_ORDER} LIMIT ?"
)
_APPLICATIONS = (
    "SELECT id, number, kind, specialty_code, specialty_name, status, status_reason, "
    "updated_at, education_level, phone, email, "
    # «Согласование отчёта» follows the current report's variant (model.report_variant).
    f"(SELECT variant {CURRENT_REPORT}), "
    "comment, submit_attempts, next_attempt_at, sync_error, folder_name FROM application "
    f"WHERE NOT deleted ORDER BY {APPLICATION_ORDER}"
)
_ATTACHMENTS = (
    "SELECT attachment.application_id, document.id, document.file_name, document.size, "
    "document.sha256 FROM attachment JOIN document ON document.id = attachment.document_id "
    f"WHERE NOT attachment.deleted ORDER BY {ATTACHMENT_ORDER}"
)
_PORTFOLIO_DOCUMENTS = (
    "SELECT additional_document.id, additional_document.name, additional_document.part, "
    "document.id, document.file_name, document.size, document.sha256 FROM additional_document "
    "JOIN document ON document.id = additional_document.document_id "
    f"WHERE NOT additional_document.deleted ORDER BY {PORTFOLIO_DOCUMENT_ORDER}"
)
_PERSON_COLUMNS = (
    "id",
    "version",
    "synced_version",
    "last_name",
    "first_name",
    "patronymic",
    "gender",
    "birth_date",
    "birth_place",
    "snils",
    "inn",
    "citizenship",
    "phone",
    "email",
)
# The row model.actions.profile.get_person reads: the first, tombstoned or not.
_PERSON = f"SELECT {', '.join(_PERSON_COLUMNS)} FROM person"


def stored_utc(value: Any) -> datetime:
    # Stored naive UTC, the way model.tables.types.UtcDateTime writes it.
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


@contextmanager
def open_current(db_path: Path) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to a store at SCHEMA_HEAD, or None when the ORM must open it."""
    conn: sqlite3.Connection | None = None
    if db_path.is_file():
        try:
            conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
            # What model.store.current_revision reads: Alembic's version table.
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or str(revision[0]) != SCHEMA_HEAD:
                conn.close()
                conn = None
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


@dataclass(frozen=True)
class FirstPageRow:
    id: str
    number: str | None
    kind: ApplicationKind
    specialty_name: str
    status: ApplicationStatus
    updated_at: datetime  # aware UTC, as model.tables.types.UtcDateTime returns it
    created_at: datetime


def read_first_page(db_path: Path, limit: int = PAGE_ROWS) -> list[FirstPageRow] | None:
    """The newest `limit` applications, or None when the quick read must not be trusted."""
    with open_current(db_path) as conn:
        if conn is None:
            return None
        try:
            rows = conn.execute(_FIRST_PAGE, (limit,)).fetchall()
            return [
                FirstPageRow(
                    id=str(app_id),
                    number=number,
                    kind=ApplicationKind(kind),
                    specialty_name=str(specialty_name),
                    status=ApplicationStatus(status),
                    updated_at=stored_utc(updated_at),
                    created_at=stored_utc(created_at),
                )
                for app_id, number, kind, specialty_name, status, updated_at, created_at in rows
            ]
        except (sqlite3.Error, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class ApplicationRow:
    """The columns of model.tables.Application that lists and `--json` show."""

    id: str
    number: str | None
    kind: ApplicationKind
    specialty_code: str
    specialty_name: str
    status: ApplicationStatus
    status_reason: str | None
    updated_at: datetime
    education_level: str | None
    phone: str
    email: str
    report_agreed: bool
    comment: str | None
    submit_attempts: int
    next_attempt_at: datetime | None
    sync_error: str | None
    folder_name: str


@dataclass(frozen=True)
class AttachedRow:
    id: str
    file_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ApplicationSummary:
    """model.actions.applications.ApplicationView's read-only twin, for the CLI's lists."""

    app: ApplicationRow
    folder: str
    documents: list[AttachedRow] = field(default_factory=list)
    portfolio_documents: list[PortfolioDocument] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(d.size for d in self.documents)

    def as_json(self) -> dict[str, Any]:
        return application_json(
            self.app, self.folder, self.documents, self.app.report_agreed, self.portfolio_documents
        )


def _application(row: tuple[Any, ...]) -> ApplicationRow:
    (app_id, number, kind, code, name, status, reason, updated, level, phone, email) = row[:11]
    (variant, comment, attempts, next_at, sync_error, folder_name) = row[11:]
    return ApplicationRow(
        id=str(app_id),
        number=number,
        kind=ApplicationKind(kind),
        specialty_code=str(code),
        specialty_name=str(name),
        status=ApplicationStatus(status),
        status_reason=reason,
        updated_at=stored_utc(updated),
        education_level=level,
        phone=str(phone),
        email=str(email),
        report_agreed=report_agreed(ReportVariant(variant) if variant is not None else None),
        comment=comment,
        submit_attempts=int(attempts),
        next_attempt_at=stored_utc(next_at) if next_at is not None else None,
        sync_error=sync_error,
        folder_name=str(folder_name),
    )


def list_application_summaries(
    conn: sqlite3.Connection, documents_dir: Path
) -> list[ApplicationSummary] | None:
    """Every application with its attachments and the portfolio's additional documents, in
    three queries; None if a row is unreadable."""
    try:
        apps = [_application(row) for row in conn.execute(_APPLICATIONS)]
        attached: dict[str, list[AttachedRow]] = {}
        for app_id, doc_id, file_name, size, sha256 in conn.execute(_ATTACHMENTS):
            attached.setdefault(str(app_id), []).append(
                AttachedRow(str(doc_id), str(file_name), int(size), str(sha256))
            )
        portfolio = [
            PortfolioDocument(
                str(item_id), str(name), PortfolioPart(part), str(doc), str(file_name), int(size),
                str(sha256),
            )
            for item_id, name, part, doc, file_name, size, sha256 in conn.execute(
                _PORTFOLIO_DOCUMENTS
            )
        ]  # fmt: skip
    except (sqlite3.Error, TypeError, ValueError):
        return None
    return [
        ApplicationSummary(a, str(documents_dir / a.folder_name), attached.get(a.id, []), portfolio)
        for a in apps
    ]


@dataclass(frozen=True)
class CardRow:
    """model.tables.Person's card columns, as model.profile_fields reads them."""

    id: str
    version: int
    synced_version: int
    last_name: str
    first_name: str
    patronymic: str | None
    gender: Gender | None
    birth_date: date | None
    birth_place: str | None
    snils: str | None
    inn: str | None
    citizenship: str | None
    phone: str | None
    email: str | None


def read_card(conn: sqlite3.Connection) -> CardRow | None:
    """The stored card, or None when there is none (the ORM path makes a blank one)."""
    try:
        row = conn.execute(_PERSON).fetchone()
        if row is None:
            return None
        values = dict(zip(_PERSON_COLUMNS, row, strict=True))
        gender, born = values.pop("gender"), values.pop("birth_date")
        return CardRow(
            gender=Gender(gender) if gender is not None else None,
            birth_date=date.fromisoformat(born) if born is not None else None,
            **values,
        )
    except (sqlite3.Error, TypeError, ValueError):
        return None

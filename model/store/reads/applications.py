"""Applications with their attachments and the portfolio's additional documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frmr.model.report.variant import ReportVariant, report_agreed
from frmr.model.rules.errors import NotFound
from frmr.model.rules.statuses import PENDING_DELIVERY, ApplicationKind, ApplicationStatus
from frmr.model.store.reads import (
    CURRENT_REPORT,
    UNREADABLE,
    open_current,
    snapshot,
    stored_text,
    stored_utc,
)

# The TUI's first page reads its rows through this module while the first frame is drawn:
# what only the full views need (the `--json` shape, file kinds, the portfolio's parts;
# 8 ms of imports, bench/README.md, issue 26) is imported where they are made.
if TYPE_CHECKING:
    from frmr.model.applications.json_shape import PortfolioDocument
    from frmr.model.rules.filetypes import FileKind

# More rows than any terminal shows at once; the full list follows within a second.
PAGE_ROWS = 100

# Newest first; rowid breaks ties in insertion order.
APPLICATION_ORDER = "application.created_at DESC, application.rowid DESC"
ATTACHMENT_ORDER = "attachment.attached_at, attachment.rowid"

# The columns an ApplicationRow is read from, in its order, for the reads that join
# application to another table (none of which has a column of these names but id).
APPLICATION_COLUMNS = (
    "application.id, number, kind, specialty_code, specialty_name, status, status_reason, "
    "updated_at, created_at, education_level, phone, email, "
    # «Согласование отчёта» follows the current report's variant (model.report.variant).
    f"(SELECT variant {CURRENT_REPORT}), "
    "comment, submit_attempts, next_attempt_at, sync_error, folder_name"
)
_APPLICATIONS = (
    f"SELECT {APPLICATION_COLUMNS} FROM application "
    "WHERE NOT deleted AND (? IS NULL OR id = ?) AND (? IS NULL OR folder_name = ?) "
    f"ORDER BY {APPLICATION_ORDER} LIMIT ?"
)
_ATTACHMENTS = (
    "SELECT attachment.application_id, document.id, document.file_name, document.size, "
    "document.sha256, document.title, document.kind "
    "FROM attachment JOIN document ON document.id = attachment.document_id "
    "WHERE NOT attachment.deleted AND (? IS NULL OR attachment.application_id = ?) "
    f"ORDER BY {ATTACHMENT_ORDER}"
)
_FILES = "SELECT id, file_name, size, sha256, title, kind FROM document WHERE id IN "
_PORTFOLIO_DOCUMENTS = (
    "SELECT additional_document.id, additional_document.name, additional_document.part, "
    "document.id, document.file_name, document.size, document.sha256 FROM additional_document "
    "JOIN document ON document.id = additional_document.document_id "
    "WHERE NOT additional_document.deleted ORDER BY "
)
# What a person types for an application: its full id, the id's first characters (as the
# lists show it) or its number; removed ones are matched too, so a prefix they share is
# ambiguous rather than quietly another application's.
_BY_ID = "SELECT id, deleted FROM application WHERE id = ?"
_BY_PREFIX_OR_NUMBER = (
    "SELECT id, deleted FROM application WHERE substr(id, 1, ?) = ? OR number = ?"
)

# Filed applications the daemon delivers: not refused in a way only the worker can fix.
_PENDING_STATUSES = ", ".join(f"'{s.value}'" for s in PENDING_DELIVERY)
_PENDING = (
    "FROM application WHERE NOT deleted AND submit_key IS NOT NULL AND sync_error IS NULL "
    f"AND status IN ({_PENDING_STATUSES})"
)


@dataclass(frozen=True)
class ApplicationRow:
    """The columns of model.store.tables.Application that lists, screens and `--json` show."""

    id: str
    number: str | None
    kind: ApplicationKind
    specialty_code: str
    specialty_name: str
    status: ApplicationStatus
    status_reason: str | None
    updated_at: datetime  # aware UTC, as model.store.tables.types.UtcDateTime returns it
    created_at: datetime
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
class AttachedFile:
    """A library document attached to an application."""

    id: str
    file_name: str
    size: int
    sha256: str
    title: str | None
    kind: FileKind


@dataclass(frozen=True)
class ApplicationView:
    """An application as lists and screens show it; `as_json` is the stable `--json` shape."""

    app: ApplicationRow
    folder: str
    documents: list[AttachedFile] = field(default_factory=list)
    # The portfolio's additional documents: every application carries the portfolio.
    portfolio_documents: list[PortfolioDocument] = field(default_factory=list)

    @property
    def report_agreed(self) -> bool:
        return self.app.report_agreed

    @property
    def total_bytes(self) -> int:
        return sum(d.size for d in self.documents)

    def as_json(self) -> dict[str, Any]:
        from frmr.model.applications.json_shape import application_json

        return application_json(
            self.app, self.folder, self.documents, self.report_agreed, self.portfolio_documents
        )


def application_row(row: Sequence[Any]) -> ApplicationRow:
    """An ApplicationRow from the APPLICATION_COLUMNS of a row."""
    (app_id, number, kind, code, name, status, reason, updated, created, level) = row[:10]
    (phone, email, variant, comment, attempts, next_at, sync_error, folder_name) = row[10:]
    return ApplicationRow(
        id=str(app_id),
        number=number,
        kind=ApplicationKind(kind),
        specialty_code=str(code),
        specialty_name=str(name),
        status=ApplicationStatus(status),
        status_reason=reason,
        updated_at=stored_utc(updated),
        created_at=stored_utc(created),
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


def application_rows(
    conn: sqlite3.Connection,
    limit: int = -1,
    app_id: str | None = None,
    folder: str | None = None,
) -> list[ApplicationRow]:
    """Live applications, newest first: the first `limit` (all when negative), or the one
    `app_id` names, or the one whose drop folder is `folder`."""
    params = (app_id, app_id, folder, folder, limit)
    return [application_row(row) for row in conn.execute(_APPLICATIONS, params)]


def portfolio_documents(conn: sqlite3.Connection) -> list[PortfolioDocument]:
    """The portfolio's live additional documents with the library files they name."""
    from frmr.model.applications.json_shape import PORTFOLIO_DOCUMENT_ORDER, PortfolioDocument
    from frmr.model.portfolio.parts import PortfolioPart

    return [
        PortfolioDocument(
            str(item_id), str(name), PortfolioPart(part), str(doc), str(file_name), int(size),
            str(sha256),
        )
        for item_id, name, part, doc, file_name, size, sha256 in conn.execute(
            _PORTFOLIO_DOCUMENTS + PORTFOLIO_DOCUMENT_ORDER
        )
    ]  # fmt: skip


def _attached_file(
    doc_id: Any, name: Any, size: Any, sha256: Any, title: Any, kind: Any
) -> AttachedFile:
    from frmr.model.rules.filetypes import FileKind

    return AttachedFile(str(doc_id), str(name), int(size), str(sha256), title, FileKind(kind))


def attached_files(
    conn: sqlite3.Connection, app_id: str | None = None
) -> dict[str, list[AttachedFile]]:
    """The files attached to each live application (or to `app_id`), in attachment order."""
    attached: dict[str, list[AttachedFile]] = {}
    for owner, *row in conn.execute(_ATTACHMENTS, (app_id, app_id)):
        attached.setdefault(str(owner), []).append(_attached_file(*row))
    return attached


def document_files(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, AttachedFile]:
    """The library documents `ids` name, removed ones too, as files to attach."""
    marks = ", ".join("?" * len(ids))
    return {
        str(row[0]): _attached_file(*row) for row in conn.execute(f"{_FILES}({marks})", list(ids))
    }


def application_views(
    conn: sqlite3.Connection, documents_dir: Path, app_id: str | None = None
) -> list[ApplicationView]:
    """Every live application (or the one `app_id` names) with its attachments and the
    portfolio's additional documents, in three queries."""
    with snapshot(conn):
        apps = application_rows(conn, app_id=app_id)
        attached = attached_files(conn, app_id)
        portfolio = portfolio_documents(conn)
    return [
        ApplicationView(a, str(documents_dir / a.folder_name), attached.get(a.id, []), portfolio)
        for a in apps
    ]


def application_view(conn: sqlite3.Connection, documents_dir: Path, ref: str) -> ApplicationView:
    """The live application `ref` names (find_application_id), with its attachments."""
    return application_views(conn, documents_dir, find_application_id(conn, ref))[0]


def read_first_page(db_path: Path, limit: int = PAGE_ROWS) -> list[ApplicationRow] | None:
    """The newest `limit` applications for the TUI's first page; None when the store is not
    current or a row is unreadable (the full list, after migrating, follows)."""
    with open_current(db_path) as conn:
        if conn is None:
            return None
        try:
            return application_rows(conn, limit)
        except UNREADABLE:
            return None


def due_submissions(conn: sqlite3.Connection, now: datetime) -> list[str]:
    """The ids of filed applications whose next delivery attempt is due, oldest first."""
    due = f"SELECT id {_PENDING} AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
    rows = conn.execute(due + "ORDER BY status_changed_at, rowid", (stored_text(now),))
    return [str(app_id) for (app_id,) in rows]


def next_resubmission(conn: sqlite3.Connection) -> datetime | None:
    """When the earliest scheduled resubmission is due (None: nothing scheduled)."""
    value = conn.execute(f"SELECT min(next_attempt_at) {_PENDING}").fetchone()[0]
    return stored_utc(value) if value is not None else None


def find_application_id(conn: sqlite3.Connection, ref: str) -> str:
    """The id of the live application `ref` names (_BY_ID, _BY_PREFIX_OR_NUMBER)."""
    ref = ref.strip()
    found = conn.execute(_BY_ID, (ref,)).fetchall()
    if not found and ref:
        found = conn.execute(_BY_PREFIX_OR_NUMBER, (len(ref), ref, ref)).fetchall()
        if len(found) > 1:
            raise NotFound(
                f"Под «{ref}» подходит несколько заявлений: укажите номер полностью",
                f"application ref {ref!r} is ambiguous",
                code="ambiguous",
            )
    if not found or found[0][1]:
        raise NotFound(f"Заявление «{ref}» не найдено", f"application {ref!r} not found")
    return str(found[0][0])

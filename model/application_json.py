"""The `--json` shape of an application, written once for both ways of reading it.

`frmr apps list --json` answers from the ORM (model.actions.applications) or, when the store
is current, from the stdlib's sqlite3 (model.quick_read); both hand their rows to
`application_json`, so the two can't drift apart. No SQLModel here, on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from frmr.model.limits import MAX_FILES, MAX_TOTAL_BYTES
from frmr.model.portfolio_parts import PortfolioPart
from frmr.model.statuses import ApplicationKind, ApplicationStatus

# Professional part first, as the portal shows the parts; then in the order they were added.
# Both readers (the ORM's and the quick read's) sort by it.
PORTFOLIO_DOCUMENT_ORDER = "additional_document.part = 'educational', additional_document.rowid"


class ApplicationFields(Protocol):
    """The columns lists and `--json` show: model.tables.Application, or a quick read's row."""

    @property
    def id(self) -> str: ...
    @property
    def number(self) -> str | None: ...
    @property
    def kind(self) -> ApplicationKind: ...
    @property
    def specialty_code(self) -> str: ...
    @property
    def specialty_name(self) -> str: ...
    @property
    def status(self) -> ApplicationStatus: ...
    @property
    def status_reason(self) -> str | None: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def education_level(self) -> str | None: ...
    @property
    def phone(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def comment(self) -> str | None: ...
    @property
    def submit_attempts(self) -> int: ...
    @property
    def next_attempt_at(self) -> datetime | None: ...
    @property
    def sync_error(self) -> str | None: ...


class AttachedFile(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class PortfolioDocument:
    """An item of the portfolio's «Дополнительные документы», which every application
    carries with the portfolio, and the library file it names."""

    id: str
    name: str
    part: PortfolioPart
    document_id: str
    file_name: str
    size: int
    sha256: str


def portfolio_document_json(d: PortfolioDocument) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "part": d.part.value,
        "part_label": d.part.label,
        "document": {
            "id": d.document_id,
            "file_name": d.file_name,
            "size": d.size,
            "sha256": d.sha256,
        },
    }


def application_json(
    a: ApplicationFields,
    folder: str,
    documents: Sequence[AttachedFile],
    report_agreed: bool,
    portfolio_documents: Sequence[PortfolioDocument] = (),
) -> dict[str, Any]:
    """The stable `--json` shape (README documents it). `report_agreed` is read from the
    report, the one place that holds it (model.report); `portfolio_documents` are the
    portfolio's additional documents, the same for every application."""
    total_bytes = sum(d.size for d in documents)
    return {
        "id": a.id,
        "number": a.number,
        "kind": a.kind.value,
        "specialty": {"code": a.specialty_code, "name": a.specialty_name},
        "status": a.status.value,
        "status_label": a.status.label,
        "status_reason": a.status_reason,
        "updated": a.updated_at.isoformat(),
        "folder": folder,
        "attachments": [
            {"id": d.id, "file_name": d.file_name, "size": d.size, "sha256": d.sha256}
            for d in documents
        ],
        "quota": {
            "files": len(documents),
            "max_files": MAX_FILES,
            "bytes": total_bytes,
            "max_bytes": MAX_TOTAL_BYTES,
        },
        "education_level": a.education_level,
        "phone": a.phone,
        "email": a.email,
        "report_agreed": report_agreed,
        "portfolio": {
            "additional_documents": [portfolio_document_json(d) for d in portfolio_documents]
        },
        "comment": a.comment,
        "submit_attempts": a.submit_attempts,
        "next_attempt_at": a.next_attempt_at.isoformat() if a.next_attempt_at else None,
        "sync_error": a.sync_error,
    }

"""The `--json` shape of an application (README, «JSON output»).

Filled from model.store.reads's records; no SQLModel here, so `frmr apps list --json` never
loads the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frmr.model.portfolio.parts import PortfolioPart
from frmr.model.rules.limits import MAX_FILES, MAX_TOTAL_BYTES

if TYPE_CHECKING:
    from frmr.model.store.reads.applications import ApplicationRow, AttachedFile

# Professional part first, as the portal shows the parts; then in the order they were added.
# model.store.reads sorts by it.
PORTFOLIO_DOCUMENT_ORDER = "additional_document.part = 'educational', additional_document.rowid"


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
    a: ApplicationRow,
    folder: str,
    documents: Sequence[AttachedFile],
    report_agreed: bool,
    portfolio_documents: Sequence[PortfolioDocument] = (),
) -> dict[str, Any]:
    """The stable `--json` shape (README documents it). `report_agreed` is read from the
    report, the one place that holds it (model.report.record); `portfolio_documents` are the
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

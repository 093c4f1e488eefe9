"""A course proposed from a dropped document, as the doctor reads it: its status, the fields
read and where on the scan. Free of the ORM: the read model (model.store.reads.proposals)
lists proposals with it, and model.portfolio.proposals makes one from the row it writes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields as dc_fields
from datetime import date, datetime
from typing import Any

from frmr.model.documents.ocr.fields import Source, rule_for
from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.dates import format_date
from frmr.model.rules.labelled import LabelledEnum


class ProposalStatus(LabelledEnum):
    # The document waits to be read (durable: a daemon stopped now reads it at its start).
    QUEUED = "queued", "ждёт чтения"
    # Read as an удостоверение or an НМО certificate: waits for the doctor.
    PROPOSED = "proposed", "предложено"
    # Read, and not one of the documents the rules know: nothing to propose.
    UNRECOGNISED = "unrecognised", "не удостоверение и не сертификат"
    # The reading failed (a damaged file, no Russian model); `error` says why.
    FAILED = "failed", "не прочитано"
    # The doctor confirmed it: `course_id` is the course, the document its evidence.
    CONFIRMED = "confirmed", "подтверждено"
    DISMISSED = "dismissed", "отклонено"


# What waits for the doctor.
OPEN = (ProposalStatus.PROPOSED,)


@dataclass(frozen=True)
class ProposedField:
    name: str
    label: str
    value: str | None
    confidence: float
    raw: str = ""
    corrected: bool = False
    # Where on the document it was read; kept when the doctor corrects the value, as the
    # scan is still what the correction is checked against.
    source: Source | None = None

    @property
    def shown(self) -> str:
        """The value as the doctor reads and types it: dates as ДД.ММ.ГГГГ."""
        if self.value is None:
            return ""
        if is_date(self.name):
            return format_date(date.fromisoformat(self.value))
        return self.value


@dataclass(frozen=True)
class Proposal:
    id: str
    document_id: str
    file_name: str
    status: ProposalStatus
    doc_type: str | None
    label: str
    course_kind: CourseKind | None
    fields: tuple[ProposedField, ...]
    pages_read: int
    page_count: int
    cut: str | None
    ocr: bool
    error: str | None
    course_id: str | None
    read_at: datetime | None

    def field(self, name: str) -> ProposedField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def limits_note(self) -> str | None:
        """What the reading left out, in Russian; None when it read every page."""
        if self.cut == "pages":
            return f"прочитаны первые {self.pages_read} стр. из {self.page_count}"
        if self.cut == "time":
            return f"прочитаны {self.pages_read} стр. из {self.page_count}: время на документ вышло"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document_id": self.document_id,
            "file_name": self.file_name,
            "status": self.status.value,
            "document_type": self.doc_type,
            "label": self.label,
            "course_kind": self.course_kind.value if self.course_kind else None,
            "fields": {
                f.name: {
                    "label": f.label,
                    "value": f.value,
                    "confidence": f.confidence,
                    "corrected": f.corrected,
                    "read_as": f.raw,
                    "source": f.source.as_dict() if f.source is not None else None,
                }
                for f in self.fields
            },
            "pages_read": self.pages_read,
            "page_count": self.page_count,
            "cut": self.cut,
            "ocr": self.ocr,
            "error": self.error,
            "course_id": self.course_id,
        }


_DATE_FIELDS = frozenset({"date_from", "date_to", "issue_date", "date"})
# Not printed on the documents, and what readiness counts a course toward: the doctor gives
# it, or confirms the one specialty the portfolio's certificates name.
SPECIALTY = "specialty"
SPECIALTY_LABEL = "Специальность"
FROM_PORTFOLIO = "из портфолио"


def is_date(name: str) -> bool:
    return name in _DATE_FIELDS


# The columns of model.store.tables.CourseProposal a view is made from: a Proposal's own
# fields but those made from the row's fields_json (and the document's file name).
_MADE = ("file_name", "label", "fields")
VIEW_COLUMNS = (*(f.name for f in dc_fields(Proposal) if f.name not in _MADE), "fields_json")


def proposal_view(file_name: str, columns: Mapping[str, Any]) -> Proposal:
    """The proposal of a stored row (its VIEW_COLUMNS, typed as the ORM row holds them), its
    document named `file_name`."""
    stored: dict[str, dict[str, Any]] = json.loads(columns["fields_json"] or "{}")
    label = ""
    order: list[tuple[str, str]] = []
    if columns["doc_type"] is not None:
        rule = rule_for(columns["doc_type"])
        label = rule.label
        order = [(f.name, f.label) for f in rule.fields]
    fields = tuple(
        ProposedField(
            name,
            field_label,
            stored.get(name, {}).get("value"),
            float(stored.get(name, {}).get("confidence", 0.0)),
            stored.get(name, {}).get("raw", ""),
            bool(stored.get(name, {}).get("corrected", False)),
            Source.from_dict(stored.get(name, {}).get("source")),
        )
        for name, field_label in [*order, (SPECIALTY, SPECIALTY_LABEL)]
        if order
    )
    kind = columns["course_kind"]
    return Proposal(
        file_name=file_name,
        label=label,
        fields=fields,
        course_kind=CourseKind(kind) if kind else None,
        **{n: v for n, v in columns.items() if n not in ("course_kind", "fields_json")},
    )

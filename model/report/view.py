"""The report as shown and printed: a snapshot of its row with the author's name.

model.store.reads reads one when the saved facts are as the portfolio gives them;
model.report.record makes one from the ORM's row when it writes a refresh or an edit.
Everything that shows or prints the report (`frmr report show`, the TUI, the PDF and the
DOCX) reads this.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from frmr.model.report.blocks import BLOCKS, FACTS
from frmr.model.report.prefilled import edited_facts
from frmr.model.report.variant import ReportVariant
from frmr.model.rules.dates import format_date


@dataclass(frozen=True)
class ReportRecord:
    """The columns of model.store.tables.ProfessionalReport that are shown, printed or refreshed."""

    id: str
    updated_at: datetime  # aware UTC
    organization: str
    department: str
    position: str
    seniority: str
    period_start: date | None
    period_end: date | None
    year: int | None
    edited_facts: str
    organization_text: str
    department_text: str
    experience_text: str
    duties: str
    achievements: str
    mentoring: str
    proposals: str
    variant: ReportVariant
    signer_name: str
    signer_position: str
    signed_on: date | None

    @classmethod
    def of(cls, row: object) -> ReportRecord:
        """The snapshot of a row that has these columns as attributes (the ORM's)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    @property
    def agreed(self) -> bool:
        """«Согласование отчёта о профессиональной деятельности»: Да/Нет."""
        return self.variant.agreed


RECORD_COLUMNS = tuple(f.name for f in fields(ReportRecord))


@dataclass(frozen=True)
class ReportView:
    report: ReportRecord
    author: str
    saved: bool
    # The specialty whose reporting period the report states (model.reporting_period.
    # portfolio_specialty); None when nothing on record names one.
    specialty: str | None = None

    @property
    def edited(self) -> set[str]:
        return edited_facts(self.report)

    def value(self, name: str) -> str:
        raw = getattr(self.report, name)
        if isinstance(raw, date):
            return format_date(raw)
        if isinstance(raw, ReportVariant):
            return raw.value
        return "" if raw is None else str(raw)

    def as_json(self) -> dict[str, Any]:
        r = self.report
        return {
            "id": r.id if self.saved else None,
            "author": self.author,
            "specialty": self.specialty,
            "facts": {
                f.name: {"value": self.value(f.name), "edited": f.name in self.edited}
                for f in FACTS
            },
            "blocks": {b.name: getattr(r, b.name) for b in BLOCKS},
            "variant": r.variant.value,
            "variant_label": r.variant.label,
            "agreed": r.agreed,
            "signer": {
                "name": r.signer_name,
                "position": r.signer_position,
                "date": r.signed_on.isoformat() if r.signed_on else None,
            },
        }

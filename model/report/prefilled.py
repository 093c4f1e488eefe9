"""The report's pre-filled facts: organisation, department, position, стаж and period.

They come from the portfolio's employment and the documents the period runs from; a
fact the worker edits is remembered in `edited_facts` and never refreshed again, the
others follow the portfolio every time the report is read. The rules take
model.store.reads's records (the report itself, the ORM's row too), so the writer and the
reader fill the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from frmr.model.portfolio.reporting_period import portfolio_period
from frmr.model.portfolio.row_kinds import PositionType
from frmr.model.portfolio.seniority import seniority
from frmr.model.readiness.facts import CredentialRecord, edited_names


@dataclass(frozen=True)
class Job:
    """A live row of «Опыт работы», as model.store.reads.report reads it."""

    organization: str
    department: str | None
    position: str
    position_type: PositionType
    begin_date: date | None
    end_date: date | None


class Filled(Protocol):
    """The report's columns the facts refresh (model.store.tables.ProfessionalReport)."""

    @property
    def edited_facts(self) -> str: ...
    @property
    def period_end(self) -> date | None: ...
    @property
    def year(self) -> int | None: ...


def report_job(employments: Sequence[Job], today: date) -> Job | None:
    """The current or last place of work: an open main job first, then the latest one."""
    dated = [e for e in employments if e.begin_date is not None]
    if not dated:
        return None
    current = [e for e in dated if e.end_date is None or e.end_date >= today]
    pool = current or dated
    return max(
        pool,
        key=lambda e: (
            e.position_type is PositionType.MAIN,
            e.end_date or date.max,
            e.begin_date,
        ),
    )


def prefilled_facts(
    employments: Sequence[Job],
    credentials: Sequence[CredentialRecord],
    wanted: Sequence[str],
    today: date,
) -> dict[str, Any]:
    """The facts as the live portfolio gives them today; the period is the one readiness
    reckons for the specialty the report is for (reporting_period.portfolio_period)."""
    job = report_job(employments, today)
    period = portfolio_period(credentials, wanted, today).period
    dated = [(e.begin_date, e.end_date) for e in employments if e.begin_date is not None]
    return {
        "organization": job.organization if job else "",
        "department": (job.department or "") if job else "",
        "position": job.position if job else "",
        "seniority": str(seniority(dated, today)) if dated else "",
        "period_start": period.start,
        "period_end": period.end,
    }


def edited_facts(report: Filled) -> set[str]:
    return edited_names(report.edited_facts)


def refreshed(report: Filled, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a refresh from `facts` changes: the facts the worker has not edited that
    differ, and the year the period ends in; empty when the report is up to date."""
    edited = edited_facts(report)
    changes = {
        name: value
        for name, value in facts.items()
        if name not in edited and getattr(report, name) != value
    }
    end = changes.get("period_end", report.period_end)
    year = end.year if end else None
    if report.year != year:
        changes["year"] = year
    return changes

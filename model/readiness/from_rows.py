"""The portfolio's facts from its rows, built the same way on both sides: the client reads its
store (model.store.reads.facts), the registry its copy of what the client pushed
(registry.portfolio), and both hand the rows here, so the registry's submit check and review
decide on the facts the worker's own checks and readiness showed.

A row is a mapping of the wire contract's field names (contract.protocol: Course,
Certificate, Education, Employment), which are the client's column names too, to their JSON
values: dates as ISO text, as SQLite stores them and the registry keeps its items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from frmr.model.portfolio.checks import PortfolioFacts
from frmr.model.readiness.facts import (
    CourseRecord,
    CredentialRecord,
    DoctorFacts,
    EducationRecord,
    JobRecord,
    education_finished,
    passed_accreditations,
)
from frmr.model.readiness.kinds import CourseKind

Row = Mapping[str, Any]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def course_record(row: Row) -> CourseRecord:
    return CourseRecord(
        CourseKind(row["kind"]),
        row.get("specialty"),
        int(row["hours"]),
        _day(row.get("begin_date")),
        _day(row.get("end_date")),
        row.get("doc_number"),
        _day(row.get("doc_date")),
        row.get("theme") or "",
        row.get("id") or "",
    )


def credential_records(
    certificates: Iterable[Row], decided: Iterable[tuple[str, str, datetime, str | None]]
) -> list[CredentialRecord]:
    """Certificates and accreditations on record, then the applications the registry passed
    (model.readiness.facts.passed_accreditations): what a reporting period is reckoned from."""
    return [
        *(
            CredentialRecord(
                c["kind"],
                c.get("specialty_name"),
                _day(c["pass_date"]),
                _day(c.get("end_date")),
                c.get("number") or "",
            )
            for c in certificates
        ),
        *passed_accreditations(decided),
    ]


def education_record(row: Row) -> EducationRecord:
    finished = education_finished(_day(row.get("doc_date")), row.get("graduation_year"))
    return EducationRecord(row["kind"], row.get("specialty"), finished)


def job_record(row: Row) -> JobRecord:
    return JobRecord(
        row["organization"], row["position"], _day(row.get("begin_date")), _day(row.get("end_date"))
    )


def portfolio_facts(
    *,
    courses: Iterable[Row],
    certificates: Iterable[Row],
    educations: Iterable[Row],
    jobs: Iterable[Row],
    decided: Iterable[tuple[str, str, datetime, str | None]],
    has_report: bool,
) -> DoctorFacts:
    """The facts both sides know: the portfolio and the accreditations passed. What only the
    client knows (its report's period and agreement, its drafts, its library) the client adds."""
    return DoctorFacts(
        courses=[course_record(c) for c in courses],
        credentials=credential_records(certificates, decided),
        educations=[education_record(e) for e in educations],
        jobs=[job_record(j) for j in jobs],
        has_report=has_report,
    )


def check_facts(
    *,
    courses: Iterable[Row],
    certificates: Iterable[Row],
    jobs: Iterable[Row],
    report_organization: str | None,
    report_agreed: bool | None,
    attachment_sizes: Sequence[int],
    periodic: bool,
    specialty: str,
    decided: Iterable[tuple[str, str, datetime, str | None]],
) -> PortfolioFacts:
    """What model.portfolio.checks reads at submission: the period is the application's
    specialty's, reckoned from its last certificate or accreditation (rules.json
    «period_start»), the accreditations passed here included, as readiness reckons it."""
    return PortfolioFacts(
        employments=[job_record(j) for j in jobs],
        courses=[course_record(c) for c in courses],
        report_organization=report_organization,
        report_agreed=report_agreed,
        attachment_sizes=list(attachment_sizes),
        specialty=specialty,
        credentials=credential_records(certificates, decided),
        periodic=periodic,
    )

"""What the evaluator reads: plain records, filled from the local store or the registry's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.statuses import OPEN_STATUSES as OPEN_STATUS_SET


@dataclass(frozen=True)
class CourseRecord:
    kind: CourseKind
    specialty: str | None
    hours: int
    begin: date | None
    end: date | None
    doc_number: str | None = None
    doc_date: date | None = None
    theme: str = ""
    id: str = ""

    @property
    def completed_on(self) -> date | None:
        """A course counts on the day its document is issued: its end, else its beginning."""
        return self.end if self.end is not None else self.begin


@dataclass(frozen=True)
class CredentialRecord:
    """A specialist certificate (сертификат специалиста) or an accreditation record."""

    kind: str  # "certificate" | "accreditation"
    specialty: str | None
    pass_date: date | None
    end_date: date | None
    number: str = ""

    @property
    def label(self) -> str:
        return "сертификат специалиста" if self.kind == "certificate" else "аккредитация"


@dataclass(frozen=True)
class EducationRecord:
    kind: str  # "prof" | "postgraduate" (ординатура, интернатура)
    specialty: str | None
    finished: date | None


@dataclass(frozen=True)
class JobRecord:
    organization: str
    position: str
    begin: date | None
    end: date | None


# Applications whose specialty readiness shows even with no document in it: the ones not
# closed, by their stored values.
OPEN_STATUSES = frozenset(s.value for s in OPEN_STATUS_SET)


# ApplicationStatus.PASSED's value: the registry's decision «Аккредитация пройдена».
PASSED_STATUS = "passed"


def passed_accreditations(
    applications: Iterable[tuple[str, str, datetime, str | None]],
) -> list[CredentialRecord]:
    """Each (specialty, status, status changed at, number) decided «Аккредитация пройдена» as
    an accreditation record dated the day of the decision: the next cycle starts there (its
    period, window and hours), before the worker enters the record by hand."""
    return [
        CredentialRecord(
            "accreditation", specialty, changed.astimezone().date(), None, number or ""
        )
        for specialty, status, changed, number in applications
        if status == PASSED_STATUS
    ]


def education_finished(doc_date: date | None, graduation_year: int | None) -> date | None:
    """When an education ended: its document's date, else the last day of its year."""
    if doc_date is not None:
        return doc_date
    return date(graduation_year, 12, 31) if graduation_year is not None else None


def edited_names(stored: str | None) -> set[str]:
    """The report's facts the worker edited, from their stored comma-joined names."""
    return {name for name in (stored or "").split(",") if name}


def report_period_end(period_end: date | None, edited: set[str], today: date) -> date | None:
    """The period's end as the report states it: what the worker typed, else the pre-filled
    end, which is refreshed to today whenever the report is opened (model/report/record.py)."""
    return period_end if "period_end" in edited else today


def dismissed_on(jobs: Sequence[JobRecord], today: date) -> date | None:
    """The latest dismissal when no job goes on today, else None (someone at work, or no job)."""
    dated = [j for j in jobs if j.begin is not None and j.begin <= today]
    if not dated or any(j.end is None or j.end >= today for j in dated):
        return None
    return max(j.end for j in dated if j.end is not None)


@dataclass(frozen=True)
class DoctorFacts:
    courses: Sequence[CourseRecord] = ()
    credentials: Sequence[CredentialRecord] = ()
    educations: Sequence[EducationRecord] = ()
    jobs: Sequence[JobRecord] = ()
    has_report: bool = False
    # The end of the reporting period the report states and whether it says «Согласование
    # отчёта: Да»; None where not known (the registry's review), which leaves the
    # dismissal-date check out.
    report_period_end: date | None = None
    report_agreed: bool | None = None
    # Specialties named by applications, so a draft in a specialty with no document shows.
    wanted: Sequence[str] = field(default=())
    # The document library as (file name, checklist tag); None when not known (the
    # registry's review reads no file names), which leaves the checklist out.
    documents: Sequence[tuple[str, str | None]] | None = None

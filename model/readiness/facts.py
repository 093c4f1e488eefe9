"""What the evaluator reads: plain records, filled from the local store or the registry's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from frmr.model.readiness.kinds import CourseKind


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


@dataclass(frozen=True)
class DoctorFacts:
    courses: Sequence[CourseRecord] = ()
    credentials: Sequence[CredentialRecord] = ()
    educations: Sequence[EducationRecord] = ()
    jobs: Sequence[JobRecord] = ()
    has_report: bool = False
    # Specialties named by applications, so a draft in a specialty with no document shows.
    wanted: Sequence[str] = field(default=())

"""«Портфолио»: education, courses, certificates, employment, skills and the report."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field

from frmr.model.readiness.kinds import CourseKind as CourseKind
from frmr.model.tables.base import SyncColumns
from frmr.model.tables.types import EnumValue


class EducationKind(StrEnum):
    PROF = "prof"
    POSTGRADUATE = "postgraduate"

    @property
    def label(self) -> str:
        return {"prof": "Профессиональное", "postgraduate": "Послевузовское"}[self.value]


class CertificateKind(StrEnum):
    CERTIFICATE = "certificate"
    ACCREDITATION = "accreditation"

    @property
    def label(self) -> str:
        return {"certificate": "Сертификат специалиста", "accreditation": "Аккредитация"}[
            self.value
        ]


class PositionType(StrEnum):
    MAIN = "main"
    INTERNAL_PART_TIME = "internal_part_time"
    COMBINATION = "combination"
    EXTERNAL_PART_TIME = "external_part_time"

    @property
    def label(self) -> str:
        return {
            "main": "Основное",
            "internal_part_time": "Внутреннее совместительство",
            "combination": "Совмещение",
            "external_part_time": "Внешнее совместительство",
        }[self.value]


class Education(SyncColumns, table=True):
    __tablename__ = "education"

    kind: EducationKind = Field(default=EducationKind.PROF, sa_type=EnumValue(EducationKind))
    institution: str = ""
    doc_serial: str | None = None
    doc_number: str | None = None
    doc_date: date | None = None
    specialty: str | None = None
    qualification: str | None = None
    graduation_year: int | None = None


class Course(SyncColumns, table=True):
    """Further training and НМО activities; the hours inside the reporting period count."""

    __tablename__ = "course"

    kind: CourseKind = Field(default=CourseKind.DPP_PK, sa_type=EnumValue(CourseKind))
    # The specialty the course was taken for: only courses in a specialty count toward it.
    specialty: str | None = None
    institution: str = ""
    theme: str = ""
    hours: int = 0
    begin_date: date | None = None
    end_date: date | None = None
    doc_number: str | None = None
    doc_date: date | None = None


class Certificate(SyncColumns, table=True):
    """Specialist certificates and accreditation records."""

    __tablename__ = "certificate"

    kind: CertificateKind = Field(
        default=CertificateKind.ACCREDITATION, sa_type=EnumValue(CertificateKind)
    )
    number: str = ""
    specialty_code: str | None = None
    specialty_name: str | None = None
    pass_date: date | None = None
    end_date: date | None = None


class Employment(SyncColumns, table=True):
    __tablename__ = "employment"

    organization: str = ""
    department: str | None = None
    position: str = ""
    position_type: PositionType = Field(default=PositionType.MAIN, sa_type=EnumValue(PositionType))
    rate: float = 1.0
    begin_date: date | None = None
    end_date: date | None = None


class Skill(SyncColumns, table=True):
    __tablename__ = "skill"

    name: str = ""
    description: str | None = None


class ProfessionalReport(SyncColumns, table=True):
    """«Отчёт о профессиональной деятельности» with «Согласование: Да/Нет»."""

    __tablename__ = "professional_report"

    organization: str = ""
    year: int | None = None
    text: str = ""
    agreed: bool | None = None

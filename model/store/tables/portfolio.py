"""«Портфолио»: education, courses, certificates, employment, skills, the report and the
additional documents."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from frmr.model.portfolio.parts import PortfolioPart as PortfolioPart
from frmr.model.portfolio.row_kinds import CertificateKind as CertificateKind
from frmr.model.portfolio.row_kinds import EducationKind as EducationKind
from frmr.model.portfolio.row_kinds import PositionType as PositionType
from frmr.model.readiness.kinds import CourseKind as CourseKind
from frmr.model.report.variant import ReportVariant as ReportVariant
from frmr.model.store.tables.base import SyncColumns
from frmr.model.store.tables.types import EnumValue


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


class AdditionalDocument(SyncColumns, table=True):
    """«Дополнительные документы»: a named item of a portfolio part, backed by a library file.

    The portal lists them by name («Смирнов А.В. трудовая книжка на 3 л.», kdpconsulting.ru;
    mediator-med.ru); the file itself is the library's document (its bytes by sha256).
    """

    __tablename__ = "additional_document"

    name: str = ""
    part: PortfolioPart = Field(
        default=PortfolioPart.PROFESSIONAL, sa_type=EnumValue(PortfolioPart, 16)
    )
    document_id: str = Field(foreign_key="document.id", index=True)


class ProfessionalReport(SyncColumns, table=True):
    """«Отчёт о профессиональной деятельности»: the facts, the blocks and how it is signed.

    The one place that holds «Согласование отчёта»: applications read it from here.
    """

    __tablename__ = "professional_report"

    # Facts pre-filled from the portfolio; `edited_facts` names those the worker changed.
    organization: str = ""
    department: str = ""
    position: str = ""
    seniority: str = ""
    period_start: date | None = None
    period_end: date | None = None
    # The reporting period's last year, kept for the wire contract's `year`.
    year: int | None = None
    edited_facts: str = ""
    # The blocks of the report (see model/report/record.py for their source).
    organization_text: str = ""
    department_text: str = ""
    experience_text: str = ""
    duties: str = ""
    achievements: str = ""
    mentoring: str = ""
    proposals: str = ""
    variant: ReportVariant = Field(default=ReportVariant.AGREED, sa_type=EnumValue(ReportVariant))
    signer_name: str = ""
    signer_position: str = ""
    signed_on: date | None = None

    @property
    def agreed(self) -> bool:
        """«Согласование отчёта о профессиональной деятельности»: Да/Нет."""
        return self.variant.agreed

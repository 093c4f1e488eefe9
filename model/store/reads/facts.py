"""What readiness evaluates: the live portfolio, applications and library."""

from __future__ import annotations

import sqlite3
from datetime import date

from frmr.model.readiness.facts import (
    OPEN_STATUSES,
    CourseRecord,
    CredentialRecord,
    DoctorFacts,
    EducationRecord,
    JobRecord,
    edited_names,
    education_finished,
    passed_accreditations,
    report_period_end,
)
from frmr.model.readiness.kinds import CourseKind
from frmr.model.report.variant import ReportVariant
from frmr.model.store.reads import CURRENT_REPORT, snapshot, stored_day, stored_utc

_COURSES = (
    "SELECT kind, specialty, hours, begin_date, end_date, doc_number, doc_date, theme, id "
    "FROM course WHERE NOT deleted ORDER BY rowid"
)
_CREDENTIALS = (
    "SELECT kind, specialty_name, pass_date, end_date, number "
    "FROM certificate WHERE NOT deleted ORDER BY rowid"
)
_EDUCATIONS = (
    "SELECT kind, specialty, doc_date, graduation_year "
    "FROM education WHERE NOT deleted ORDER BY rowid"
)
_JOBS = (
    "SELECT organization, position, begin_date, end_date "
    "FROM employment WHERE NOT deleted ORDER BY rowid"
)
_WANTED = "SELECT specialty_name, status FROM application WHERE NOT deleted ORDER BY rowid"
_PASSED = (
    "SELECT specialty_name, status, status_changed_at, number "
    "FROM application WHERE NOT deleted AND status = 'passed' ORDER BY rowid"
)
_DOCUMENTS = "SELECT file_name, checklist_item FROM document WHERE NOT deleted ORDER BY rowid"
_FACTS_REPORT = f"SELECT period_end, edited_facts, variant {CURRENT_REPORT}"


def credentials(conn: sqlite3.Connection) -> list[CredentialRecord]:
    """Certificates and accreditations on record, with those the registry passed: what a
    reporting period is reckoned from (model.portfolio.reporting_period), read here for
    readiness, the portfolio summary and the report alike."""
    return [
        *(
            CredentialRecord(kind, specialty, stored_day(passed), stored_day(end), number)
            for kind, specialty, passed, end, number in conn.execute(_CREDENTIALS)
        ),
        *passed_accreditations(
            (specialty, status, stored_utc(changed), number)
            for specialty, status, changed, number in conn.execute(_PASSED)
        ),
    ]


def wanted(conn: sqlite3.Connection) -> list[str]:
    """The specialties of applications not yet closed."""
    return [name for name, status in conn.execute(_WANTED) if status in OPEN_STATUSES]


def doctor_facts(conn: sqlite3.Connection, today: date) -> DoctorFacts:
    """What model.readiness evaluates: the live portfolio, applications and library."""
    with snapshot(conn):
        report = conn.execute(_FACTS_REPORT).fetchone()
        return DoctorFacts(
            courses=[
                CourseRecord(
                    CourseKind(kind),
                    specialty,
                    hours,
                    stored_day(begin),
                    stored_day(end),
                    doc_number,
                    stored_day(doc_date),
                    theme,
                    row_id,
                )
                for kind, specialty, hours, begin, end, doc_number, doc_date, theme, row_id in (
                    conn.execute(_COURSES)
                )
            ],
            credentials=credentials(conn),
            educations=[
                EducationRecord(kind, specialty, education_finished(stored_day(doc_date), year))
                for kind, specialty, doc_date, year in conn.execute(_EDUCATIONS)
            ],
            jobs=[
                JobRecord(organization, position, stored_day(begin), stored_day(end))
                for organization, position, begin, end in conn.execute(_JOBS)
            ],
            has_report=report is not None,
            report_period_end=None
            if report is None
            else report_period_end(stored_day(report[0]), edited_names(report[1]), today),
            report_agreed=None if report is None else ReportVariant(report[2]).agreed,
            wanted=wanted(conn),
            documents=list(conn.execute(_DOCUMENTS)),
        )

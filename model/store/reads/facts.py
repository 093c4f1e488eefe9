"""What readiness evaluates: the live portfolio, applications and library."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from frmr.model.readiness.facts import (
    OPEN_STATUSES,
    CredentialRecord,
    DoctorFacts,
    edited_names,
    report_period_end,
)
from frmr.model.readiness.from_rows import credential_records, portfolio_facts
from frmr.model.report.variant import ReportVariant
from frmr.model.store.reads import CURRENT_REPORT, named_rows, snapshot, stored_day, stored_utc

# Each column under its name in the wire contract (model.readiness.from_rows).
_COURSES = (
    "SELECT kind, specialty, hours, begin_date, end_date, doc_number, doc_date, theme, id "
    "FROM course WHERE NOT deleted ORDER BY rowid"
)
_CERTIFICATES = (
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


def portfolio_rows(conn: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """The live portfolio as model.readiness.from_rows takes it, by its parameters' names."""
    return {
        "courses": named_rows(conn, _COURSES),
        "certificates": named_rows(conn, _CERTIFICATES),
        "educations": named_rows(conn, _EDUCATIONS),
        "jobs": named_rows(conn, _JOBS),
    }


def decided_accreditations(
    conn: sqlite3.Connection,
) -> list[tuple[str, str, datetime, str | None]]:
    """The applications the registry passed, as model.readiness.from_rows takes them."""
    return [
        (specialty, status, stored_utc(changed), number)
        for specialty, status, changed, number in conn.execute(_PASSED)
    ]


def credentials(conn: sqlite3.Connection) -> list[CredentialRecord]:
    """Certificates and accreditations on record, with those the registry passed: what a
    reporting period is reckoned from (model.portfolio.reporting_period), read here for
    readiness, the portfolio summary and the report alike."""
    return credential_records(named_rows(conn, _CERTIFICATES), decided_accreditations(conn))


def wanted(conn: sqlite3.Connection) -> list[str]:
    """The specialties of applications not yet closed."""
    return [name for name, status in conn.execute(_WANTED) if status in OPEN_STATUSES]


def doctor_facts(conn: sqlite3.Connection, today: date) -> DoctorFacts:
    """What model.readiness evaluates: the live portfolio, applications and library."""
    with snapshot(conn):
        report = conn.execute(_FACTS_REPORT).fetchone()
        shared = portfolio_facts(
            **portfolio_rows(conn),
            decided=decided_accreditations(conn),
            has_report=report is not None,
        )
        return replace(
            shared,
            report_period_end=None
            if report is None
            else report_period_end(stored_day(report[0]), edited_names(report[1]), today),
            report_agreed=None if report is None else ReportVariant(report[2]).agreed,
            wanted=wanted(conn),
            documents=list(conn.execute(_DOCUMENTS)),
        )

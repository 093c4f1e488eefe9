"""The report read with the stdlib's sqlite3, for `frmr report show|pdf|docx`.

Reading the report refreshes its pre-filled facts from the portfolio and, when they
changed, saves them (model.report.load_report). This read applies the same rules
(model.report_facts) to the same rows and answers only when there is nothing to save: a
saved report whose facts are as the portfolio gives them today. Otherwise, or when the
store is not current (model.quick_read.open_current), it answers None and the caller takes
the ORM path, which writes the refresh. Both paths make the same model.report_view snapshot,
so what is shown and printed is the same.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from frmr.model.portfolio_kinds import CertificateKind, PositionType
from frmr.model.quick_read import CURRENT_REPORT, stored_utc
from frmr.model.report_facts import prefilled_facts, refreshed
from frmr.model.report_variant import ReportVariant
from frmr.model.report_view import RECORD_COLUMNS, ReportRecord, ReportView, full_name

_REPORT = f"SELECT {', '.join(RECORD_COLUMNS)} {CURRENT_REPORT}"
_DATE_COLUMNS = ("period_start", "period_end", "signed_on")
# Live rows in the order they were added, as model.report.portfolio_facts reads them.
_JOBS = (
    "SELECT organization, department, position, position_type, begin_date, end_date "
    "FROM employment WHERE NOT deleted ORDER BY rowid"
)
_CREDENTIALS = "SELECT kind, pass_date FROM certificate WHERE NOT deleted ORDER BY rowid"
# The row model.report.author_name reads: the first, tombstoned or not.
_AUTHOR = "SELECT last_name, first_name, patronymic FROM person"


@dataclass(frozen=True)
class JobRow:
    organization: str
    department: str | None
    position: str
    position_type: PositionType
    begin_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class CredentialRow:
    kind: CertificateKind
    pass_date: date | None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _record(row: tuple[Any, ...]) -> ReportRecord:
    values = dict(zip(RECORD_COLUMNS, row, strict=True))
    for name in _DATE_COLUMNS:
        values[name] = _day(values[name])
    values["updated_at"] = stored_utc(values["updated_at"])
    values["variant"] = ReportVariant(values["variant"])
    return ReportRecord(**values)


def read_report(conn: sqlite3.Connection, today: date) -> ReportView | None:
    """The saved report as model.report.load_report shows it on `today`, or None when there
    is no report yet, its facts are due a refresh, or a row is unreadable."""
    try:
        # One snapshot for the report and the rows it is checked against: the daemon may
        # commit a pulled change between two statements.
        conn.execute("BEGIN")
        try:
            row = conn.execute(_REPORT).fetchone()
            if row is None:
                return None
            record = _record(row)
            jobs = [
                JobRow(org, dept, position, PositionType(kind), _day(begin), _day(end))
                for org, dept, position, kind, begin, end in conn.execute(_JOBS)
            ]
            credentials = [
                CredentialRow(CertificateKind(kind), _day(passed))
                for kind, passed in conn.execute(_CREDENTIALS)
            ]
            person = conn.execute(_AUTHOR).fetchone()
        finally:
            conn.rollback()
    except (sqlite3.Error, TypeError, ValueError):
        return None
    if refreshed(record, prefilled_facts(jobs, credentials, today)):
        return None
    author = full_name(*person) if person is not None else ""
    return ReportView(record, author, saved=True)

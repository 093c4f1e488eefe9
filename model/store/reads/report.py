"""The report as it is shown and printed, and the portfolio rows its facts come from."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from frmr.model.portfolio.reporting_period import portfolio_specialty
from frmr.model.portfolio.row_kinds import PositionType
from frmr.model.readiness.facts import CredentialRecord
from frmr.model.report.prefilled import Job, prefilled_facts, refreshed
from frmr.model.report.variant import ReportVariant
from frmr.model.report.view import RECORD_COLUMNS, ReportRecord, ReportView
from frmr.model.store.reads import CURRENT_REPORT, snapshot, stored_day, stored_utc
from frmr.model.store.reads.card import read_card
from frmr.model.store.reads.facts import credentials, wanted

_REPORT = f"SELECT {', '.join(RECORD_COLUMNS)} {CURRENT_REPORT}"
_REPORT_DATES = ("period_start", "period_end", "signed_on")
# The portfolio's live rows in the order they were added.
_REPORT_JOBS = (
    "SELECT organization, department, position, position_type, begin_date, end_date "
    "FROM employment WHERE NOT deleted ORDER BY rowid"
)


def report_portfolio(
    conn: sqlite3.Connection,
) -> tuple[list[Job], list[CredentialRecord], list[str]]:
    """The jobs, the documents and the specialties applied for that the report's
    pre-filled facts come from."""
    jobs = [
        Job(org, dept, position, PositionType(kind), stored_day(begin), stored_day(end))
        for org, dept, position, kind, begin, end in conn.execute(_REPORT_JOBS)
    ]
    return jobs, credentials(conn), wanted(conn)


def _report_record(row: tuple[Any, ...]) -> ReportRecord:
    values = dict(zip(RECORD_COLUMNS, row, strict=True))
    for name in _REPORT_DATES:
        values[name] = stored_day(values[name])
    values["updated_at"] = stored_utc(values["updated_at"])
    values["variant"] = ReportVariant(values["variant"])
    return ReportRecord(**values)


def current_record(conn: sqlite3.Connection) -> ReportRecord | None:
    """The report in use (CURRENT_REPORT) as it is stored; None when there is none yet."""
    row = conn.execute(_REPORT).fetchone()
    return _report_record(row) if row is not None else None


def read_report(conn: sqlite3.Connection, today: date) -> ReportView | None:
    """The saved report as it is shown on `today`, or None when there is none yet or its
    pre-filled facts are due a refresh, which model.report.record.load_report writes."""
    with snapshot(conn):
        record = current_record(conn)
        if record is None:
            return None
        jobs, documents, applied = report_portfolio(conn)
        author = read_card(conn).full_name
    if refreshed(record, prefilled_facts(jobs, documents, applied, today)):
        return None
    return ReportView(record, author, True, portfolio_specialty(documents, applied, today))

"""«Отчёт о профессиональной деятельности» in the store: read with its facts refreshed,
and edited.

The fields and their rule are in model.report.blocks, the pre-filled facts in
model.report.prefilled; this module applies them to the ORM's row. Reading refreshes the
facts the worker has not edited and saves them when they changed (a new version to push).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session, select, text

from frmr.model.portfolio.reporting_period import portfolio_specialty
from frmr.model.report.blocks import FACT_NAMES, parse_field
from frmr.model.report.prefilled import edited_facts, prefilled_facts, refreshed
from frmr.model.report.variant import report_agreed
from frmr.model.report.view import ReportRecord, ReportView
from frmr.model.rules.clock import today as local_today
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads import REPORT_ORDER
from frmr.model.store.reads.card import read_card
from frmr.model.store.reads.report import report_portfolio
from frmr.model.store.tables import ProfessionalReport


def portfolio_facts(session: Session, today: date) -> tuple[dict[str, Any], str | None]:
    """The pre-filled facts from the live portfolio, read as model.store.reads reads them,
    and the specialty whose period they state."""
    jobs, documents, applied = report_portfolio(session_connection(session))
    facts = prefilled_facts(jobs, documents, applied, today)
    return facts, portfolio_specialty(documents, applied, today)


def _refresh(report: ProfessionalReport, facts: Mapping[str, Any]) -> bool:
    """Copy the pre-filled facts the worker has not edited; True when anything changed."""
    changes = refreshed(report, facts)
    for name, value in changes.items():
        setattr(report, name, value)
    return bool(changes)


def current_report(session: Session) -> ProfessionalReport | None:
    """The report in use: the newest live one (a store holds one; imports may bring more)."""
    return session.exec(
        select(ProfessionalReport)
        .where(ProfessionalReport.deleted == False)  # noqa: E712
        .order_by(text(REPORT_ORDER))
    ).first()


def report_agreement(session: Session) -> bool:
    """«Согласование отчёта о профессиональной деятельности» for every application."""
    report = current_report(session)
    return report_agreed(report.variant if report is not None else None)


def author_name(session: Session) -> str:
    """The account holder's full name, as a report is signed."""
    return read_card(session_connection(session)).full_name


def load_report(account: Account, today: date | None = None) -> ReportView:
    """The report with its untouched facts refreshed from the portfolio (saved if it exists)."""
    today = today or local_today()
    with account.store.write() as session:
        report = current_report(session)
        saved = report is not None
        if report is None:
            report = ProfessionalReport()
        facts, specialty = portfolio_facts(session, today)
        if _refresh(report, facts) and saved:
            report.touch()
            session.add(report)
        return ReportView(ReportRecord.of(report), author_name(session), saved, specialty)


def update_report(
    account: Account, values: Mapping[str, str], today: date | None = None
) -> ReportView:
    """Save what the worker typed; every value is checked before anything is written.

    An empty fact gives it back to the portfolio: it is pre-filled again.
    """
    today = today or local_today()
    parsed = {name: parse_field(name, typed) for name, typed in values.items()}
    with account.store.write() as session:
        report = current_report(session) or ProfessionalReport()
        edited = edited_facts(report)
        for name, value in parsed.items():
            if name in FACT_NAMES:
                if value in ("", None):
                    edited.discard(name)
                    continue
                edited.add(name)
            setattr(report, name, "" if value is None and name not in _NULLABLE else value)
        report.edited_facts = ",".join(n for n in FACT_NAMES if n in edited)
        facts, specialty = portfolio_facts(session, today)
        _refresh(report, facts)
        report.touch()
        session.add(report)
        return ReportView(ReportRecord.of(report), author_name(session), True, specialty)


_NULLABLE = frozenset({"signed_on", "period_start", "period_end"})

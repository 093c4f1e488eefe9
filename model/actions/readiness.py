"""Readiness of the worker's own portfolio: the store's rows as plain facts, then the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from frmr.model.account import Account
from frmr.model.clock import today as local_today
from frmr.model.readiness.calendar import WorkingCalendar, load_calendar
from frmr.model.readiness.evaluate import Readiness, evaluate, evaluate_all
from frmr.model.readiness.facts import (
    CourseRecord,
    CredentialRecord,
    DoctorFacts,
    EducationRecord,
    JobRecord,
)
from frmr.model.readiness.rules import RuleSet, load_rules
from frmr.model.statuses import ApplicationKind
from frmr.model.tables import (
    Application,
    Certificate,
    Course,
    Education,
    Employment,
    ProfessionalReport,
)

_OPEN = frozenset({"draft", "formed", "queued", "not_delivered", "under_review"})


def account_rules(account: Account) -> RuleSet:
    return load_rules(pk_hours=account.readiness_pk_hours, window=account.readiness_window)


def account_calendar(account: Account, today: date) -> WorkingCalendar:
    return load_calendar(today, account.home / "cache")


def _alive(session: Session, table: Any) -> list[Any]:
    return list(session.exec(select(table).where(table.deleted == False)))  # noqa: E712


def doctor_facts(session: Session) -> DoctorFacts:
    courses: list[Course] = _alive(session, Course)
    certificates: list[Certificate] = _alive(session, Certificate)
    educations: list[Education] = _alive(session, Education)
    jobs: list[Employment] = _alive(session, Employment)
    apps: list[Application] = _alive(session, Application)
    return DoctorFacts(
        courses=[
            CourseRecord(
                c.kind,
                c.specialty,
                c.hours,
                c.begin_date,
                c.end_date,
                c.doc_number,
                c.doc_date,
                c.theme,
                c.id,
            )
            for c in courses
        ],
        credentials=[
            CredentialRecord(c.kind.value, c.specialty_name, c.pass_date, c.end_date, c.number)
            for c in certificates
        ],
        educations=[
            EducationRecord(
                e.kind.value,
                e.specialty,
                e.doc_date
                or (date(e.graduation_year, 12, 31) if e.graduation_year is not None else None),
            )
            for e in educations
        ],
        jobs=[JobRecord(j.organization, j.position, j.begin_date, j.end_date) for j in jobs],
        has_report=bool(_alive(session, ProfessionalReport)),
        wanted=[a.specialty_name for a in apps if a.status.value in _OPEN],
    )


def readiness(
    account: Account, specialty: str | None = None, today: date | None = None
) -> list[Readiness]:
    """Every specialty's verdict, or the one asked for (by name, any case)."""
    today = today or local_today()
    with account.store.read() as session:
        facts = doctor_facts(session)
    rules = account_rules(account)
    calendar = account_calendar(account, today)
    if specialty is None:
        return evaluate_all(facts, today, rules, calendar)
    return [evaluate(facts, specialty.strip(), today, rules, calendar)]


def application_readiness(
    account: Account, session: Session, app: Application, today: date
) -> Readiness:
    """The verdict for an application: its specialty, along the route it asks for."""
    return evaluate(
        doctor_facts(session),
        app.specialty_name,
        today,
        account_rules(account),
        account_calendar(account, today),
        ApplicationKind(app.kind),
    )

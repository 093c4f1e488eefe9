"""Review: the registry's decision on an application under review, with its reason.

``frmr-registry review`` decides by hand; ``--auto-review SECONDS`` runs ``auto_review``
in the server, deciding each application that has waited that long.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from datetime import date, timedelta

from anyio import to_thread
from sqlmodel import col, select

from frmr.model.readiness.calendar import WorkingCalendar, from_holidays
from frmr.model.readiness.evaluate import evaluate
from frmr.model.readiness.facts import DoctorFacts
from frmr.model.readiness.findings import Verdict
from frmr.model.readiness.rules import load_rules
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.statuses import Actor, ApplicationKind, ApplicationStatus
from frmr.model.rules.text import check_field
from frmr.registry import history
from frmr.registry.applications import attached
from frmr.registry.db import Database
from frmr.registry.errors import not_found
from frmr.registry.portfolio import doctor_facts
from frmr.registry.tables import Application, StatusChange

log = logging.getLogger(__name__)

AUTO_PASSED = "Портфолио соответствует требованиям. Аккредитация пройдена"
AUTO_REJECTED = (
    "К заявлению не приложены документы, подтверждающие портфолио. "
    "Приложите их и подайте новое заявление"
)


@functools.cache
def _calendar(year: int) -> WorkingCalendar:
    return from_holidays(year - 6, year + 4)


def auto_decision(
    application: Application, facts: DoctorFacts, on: date
) -> tuple[ApplicationStatus, str]:
    """The commission's decision by the same readiness rules the client checks before filing;
    a refusal names the rule and its source."""
    verdict = evaluate(
        facts,
        application.specialty_name,
        on,
        load_rules(),
        _calendar(on.year),
        ApplicationKind(application.kind),
    )
    if verdict.verdict is Verdict.READY:
        return ApplicationStatus.PASSED, AUTO_PASSED
    if verdict.verdict is Verdict.READY_WITH_CAVEATS:
        # The sandbox's commission takes the оговорки as a real one may: it passes, and the
        # reason names what it weighed.
        weighed = "; ".join(f.message for f in verdict.warnings)
        return ApplicationStatus.PASSED, f"{AUTO_PASSED}. Оговорки: {weighed}"
    first = verdict.blocking[0]
    return (
        ApplicationStatus.REFUSED,
        f"{first.message}: {first.detail}. Правило: {first.source}",
    )


def decide(
    db: Database, application_id: str, decision: ApplicationStatus, reason: str
) -> Application:
    """Record a decision on the application with this id or number; refuses
    (TransitionRefused) unless it is under review."""
    reason = check_field("reason", "reason", reason, "Причина")
    with db.write() as session:
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            # What a person reads (the app, `applications`) is the number, not the id.
            application = session.exec(
                select(Application)
                .where(Application.number == application_id.strip())
                .with_for_update()
            ).first()
        if application is None:
            raise not_found(f"Заявление не найдено: {application_id}")
        history.move(session, application, decision, Actor.REGISTRY, reason)
    return application


def decide_due(db: Database, wait: timedelta) -> int:
    """Decide every application under review for longer than ``wait``; returns how many.

    An application without attached documents is rejected; the others are decided by the
    readiness rules (`auto_decision`): a rule a demo user can see and steer.
    """
    cutoff = utcnow() - wait
    decided = 0
    with db.read() as session:
        due = session.exec(
            select(Application.id)
            .join(StatusChange, col(StatusChange.application_id) == col(Application.id))
            .where(
                Application.status == ApplicationStatus.UNDER_REVIEW.value,
                StatusChange.to_status == ApplicationStatus.UNDER_REVIEW.value,
                StatusChange.at <= cutoff,
            )
            .distinct()
        ).all()
    for application_id in due:
        with db.write() as session:
            application = session.get(Application, application_id, with_for_update=True)
            if application is None or application.status != ApplicationStatus.UNDER_REVIEW:
                continue  # another worker process decided it first
            if attached(session, application.id, application.person_id):
                facts = doctor_facts(session, application.person_id)
                decision, reason = auto_decision(application, facts, today())
            else:
                decision, reason = ApplicationStatus.REJECTED, AUTO_REJECTED
            history.move(session, application, decision, Actor.REGISTRY, reason)
            decided += 1
    return decided


async def auto_review(db: Database, wait: timedelta, period: float = 1.0) -> None:
    """Decide due applications until cancelled."""
    while True:
        try:
            await to_thread.run_sync(decide_due, db, wait)
        except Exception:
            log.exception("auto-review pass failed")
        await asyncio.sleep(min(period, max(wait.total_seconds(), 0.1)))

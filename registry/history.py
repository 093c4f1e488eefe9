"""Application status changes: checked against the one state machine, recorded in the
history, and numbered per person for the changes feed."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlmodel import Session, col

from frmr.model.rules.clock import utcnow
from frmr.model.rules.statuses import Actor, ApplicationStatus, check_transition
from frmr.registry.tables import Application, Employee, StatusChange

log = logging.getLogger(__name__)


def next_change_seq(session: Session, person_id: str) -> int:
    """The person's next feed sequence number. The row lock it takes (PostgreSQL) or the
    write lock (SQLite) orders one person's changes as their transactions commit."""
    result = session.execute(
        update(Employee)
        .where(col(Employee.id) == person_id)
        .values(change_seq=col(Employee.change_seq) + 1)
        .returning(col(Employee.change_seq))
    )
    return int(result.scalar_one())


def record(
    session: Session,
    application: Application,
    to_status: ApplicationStatus,
    actor: Actor,
    reason: str | None,
) -> None:
    """Move the application to ``to_status`` (already checked) and write the history row."""
    now = utcnow()
    change = StatusChange(
        person_id=application.person_id,
        seq=next_change_seq(session, application.person_id),
        application_id=application.id,
        at=now,
        from_status=application.status or None,
        to_status=to_status.value,
        actor=actor.value,
        reason=reason,
    )
    session.add(change)
    log.info(
        "application %s: %s -> %s by %s",
        application.number,
        application.status or "(new)",
        to_status.value,
        actor.value,
    )
    application.status = to_status.value
    application.status_reason = reason
    application.updated_at = now
    session.add(application)


def move(
    session: Session,
    application: Application,
    to_status: ApplicationStatus,
    actor: Actor,
    reason: str | None = None,
) -> None:
    """Check the transition against model.rules.statuses and record it.

    The registry never sees the client's local «В очереди на отправку»: a formed
    application that is submitted passes through it, so both hops are checked.
    """
    current = ApplicationStatus(application.status)
    if current is ApplicationStatus.FORMED and to_status in (
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.NOT_DELIVERED,
    ):
        check_transition(current, ApplicationStatus.QUEUED, actor=Actor.WORKER)
        check_transition(ApplicationStatus.QUEUED, to_status, actor=actor)
    else:
        check_transition(current, to_status, actor=actor)
    record(session, application, to_status, actor, reason)

"""Status moves: checked against the state machine and written to the history in one step."""

from __future__ import annotations

from sqlmodel import Session

from frmr.model.rules.clock import utcnow
from frmr.model.rules.statuses import Actor, ApplicationStatus, check_transition
from frmr.model.store.tables import Application, StatusChange


def move(
    session: Session,
    app: Application,
    to: ApplicationStatus,
    actor: Actor,
    reason: str | None = None,
) -> StatusChange:
    """Move `app` to `to` (raising TransitionRefused when not allowed) and record it."""
    check_transition(app.status, to, actor=actor)
    change = StatusChange(
        application_id=app.id, from_status=app.status, to_status=to, actor=actor, reason=reason
    )
    app.status = to
    app.status_reason = reason
    app.status_changed_at = change.at
    app.updated_at = utcnow()
    session.add(change)
    session.add(app)
    return change


def record_creation(session: Session, app: Application) -> None:
    session.add(
        StatusChange(
            application_id=app.id, from_status=None, to_status=app.status, actor=Actor.WORKER
        )
    )

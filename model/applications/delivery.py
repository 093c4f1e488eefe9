"""Store-side steps of delivering applications: what is due, and recording each outcome.

The sync engine does the HTTP; these functions decide what the store says afterwards, each
in the caller's write transaction, so an answer and its bookkeeping commit together.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session

from frmr.model.applications.history import move
from frmr.model.rules.clock import utcnow
from frmr.model.rules.statuses import (
    PENDING_DELIVERY,
    Actor,
    ApplicationStatus,
    can_transition,
    check_transition,
)
from frmr.model.store.tables import Application

UNREACHABLE_REASON = "Нет связи с ФРМР: заявление будет отправлено повторно автоматически"
# The reason «Не доставлено» records when the registry gave none.
NOT_DELIVERED_REASON = "Заявление не доставлено в ФРМР"


def submit_key(application_id: str, attempt: int) -> str:
    """The Idempotency-Key of submission number `attempt`: a repeat of one attempt is answered
    with the registry's stored answer, while a resubmission is new (docs/architecture.md)."""
    return f"{application_id}:{attempt}"


def resubmit_delay(
    attempts: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds before resubmission number `attempts` (1, 2, …): doubling, capped, jittered.

    Jitter keeps many clients that lost the registry together from coming back together.
    """
    raw = min(cap, base * 2.0 ** max(0, attempts - 1))
    jitter: float = (rng or random).random()
    return float(raw * (0.5 + 0.5 * jitter))


def record_sending(session: Session, app: Application) -> None:
    """Count a send with the current key before it leaves: after a crash, ask first."""
    app.sync_attempts += 1
    session.add(app)


def record_delivered(
    session: Session, app: Application, *, number: str | None, sent_version: int
) -> bool:
    """The registry has it under review. False when the local status can't follow (e.g. the
    worker cancelled meanwhile: the cancellation is pushed next)."""
    if number:
        app.number = number
    app.remote_version = app.remote_version or 1
    if app.status in PENDING_DELIVERY:
        move(session, app, ApplicationStatus.UNDER_REVIEW, Actor.REGISTRY)
    app.submit_key = None
    app.sync_attempts = 0
    app.next_attempt_at = None
    app.synced_version = max(app.synced_version, sent_version)
    session.add(app)
    return app.status is ApplicationStatus.UNDER_REVIEW


def record_not_delivered(
    session: Session,
    app: Application,
    *,
    actor: Actor,
    reason: str | None,
    delay: float,
) -> datetime | None:
    """«Не доставлено»: schedule the next attempt under a new key; returns when it is due.

    Both a final transport failure (actor DAEMON) and the registry's own not-delivered answer
    (actor REGISTRY) land here; a registry that gave no reason gets ours.
    """
    if app.status not in PENDING_DELIVERY:
        return None
    if app.status is ApplicationStatus.QUEUED:
        move(session, app, ApplicationStatus.NOT_DELIVERED, actor, reason or NOT_DELIVERED_REASON)
    app.submit_attempts += 1
    app.submit_key = submit_key(app.id, app.submit_attempts + 1)
    app.sync_attempts = 0
    app.next_attempt_at = utcnow() + timedelta(seconds=delay)
    session.add(app)
    return app.next_attempt_at


def record_refused(session: Session, app: Application, message: str) -> None:
    """The registry refused the submission itself (4xx): no retry can help, so a queued or
    not-delivered application leaves the queue at once, back to «Сформировано» with the
    registry's reason, for the worker to fix and file again (or cancel)."""
    app.next_attempt_at = None
    if app.status in PENDING_DELIVERY:
        move(session, app, ApplicationStatus.FORMED, Actor.DAEMON, message)
        # The refused key is spent: filing again takes the next one (submit_application).
        app.submit_attempts += 1
        app.submit_key = None
        app.sync_attempts = 0
        app.sync_error = None
    else:
        app.sync_error = message
    session.add(app)


def apply_registry_status(
    session: Session,
    app: Application,
    status: ApplicationStatus,
    reason: str | None,
    actor: Actor,
) -> bool:
    """Follow a status the registry reports; False when the local state can't take it (already
    there, or further along)."""
    if app.status is status or not can_transition(app.status, status):
        return False
    try:
        check_transition(app.status, status, actor=actor)
    except Exception:
        return False
    move(session, app, status, actor, reason)
    if status is ApplicationStatus.UNDER_REVIEW:
        app.submit_key = None
        app.sync_attempts = 0
        app.next_attempt_at = None
        session.add(app)
    return True

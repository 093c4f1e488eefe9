"""The outbox of notifications in the store: queue an event, find what is due, record the
outcome, and the doctor's choice of which events go where.

Each event is queued once per channel (a unique key) in the transaction that finds it,
before anything is sent; it is marked sent after the channel took it, and a failure sets
the next attempt on a doubling, capped backoff kept in the row, so it survives restarts.
What the faces show of it is read by model.store.reads.notifications.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.dialects.sqlite import insert
from sqlmodel import Session, col, select

from frmr.model.notifications.events import Channel, Event, EventKind
from frmr.model.rules.clock import utcnow
from frmr.model.store.engine import Store, session_connection
from frmr.model.store.reads.notifications import read_choices
from frmr.model.store.tables import Notification, NotificationChoice, SyncState, new_id

# Events older than the first time the daemon looked are history, not news: a doctor who
# turns notifications on is not sent every decision of past years.
SINCE_KEY = "notify_since"


def since(session: Session) -> datetime:
    """When the daemon first looked for events in this store (recorded at the first call)."""
    row = session.get(SyncState, SINCE_KEY)
    if row is not None:
        return datetime.fromisoformat(row.value)
    now = utcnow()
    session.add(SyncState(key=SINCE_KEY, value=now.isoformat()))
    return now


def set_choice(store: Store, kind: EventKind, channel: Channel, on: bool) -> None:
    with store.write() as session:
        row = session.get(NotificationChoice, kind.value) or NotificationChoice(kind=kind.value)
        setattr(row, channel.value, on)
        session.add(row)


def enqueue(session: Session, events: Iterable[Event], channels: Sequence[Channel]) -> int:
    """Queue each event for each of `channels` the doctor left on for its kind; an event
    already queued (found again) is left as it is. Returns how many rows are new."""
    chosen = read_choices(session_connection(session))
    added = 0
    for event in events:
        for channel in channels:
            if event.kind is not EventKind.TEST and not chosen[event.kind][channel]:
                continue
            statement = (
                insert(Notification)
                .values(
                    id=new_id(),
                    event_key=event.key,
                    channel=channel.value,
                    kind=event.kind.value,
                    payload=event.to_json(),
                    created_at=utcnow(),
                    attempts=0,
                )
                .on_conflict_do_nothing(index_elements=["event_key", "channel"])
            )
            added += session.connection().execute(statement).rowcount
    return added


def due(session: Session, channel: Channel, now: datetime) -> list[Notification]:
    """Unsent rows of `channel` whose next attempt is due, oldest first."""
    return list(
        session.exec(
            select(Notification)
            .where(
                Notification.channel == channel.value,
                col(Notification.sent_at).is_(None),
                col(Notification.next_attempt_at).is_(None)
                | (col(Notification.next_attempt_at) <= now),
            )
            .order_by(col(Notification.created_at), col(Notification.id))
        ).all()
    )


def mark_sent(store: Store, ids: Sequence[str], when: datetime | None = None) -> None:
    when = when or utcnow()
    with store.write() as session:
        for row in session.exec(select(Notification).where(col(Notification.id).in_(ids))):
            row.sent_at = when
            row.next_attempt_at = None
            row.last_error = None
            row.attempts += 1
            session.add(row)


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before try number `attempts` + 1: doubling from `base`, at most `cap`."""
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


def mark_failed(
    store: Store, ids: Sequence[str], error: str, base: float, cap: float
) -> datetime | None:
    """Record a failed try of each row and when to try again; returns the earliest."""
    now = utcnow()
    earliest: datetime | None = None
    with store.write() as session:
        for row in session.exec(select(Notification).where(col(Notification.id).in_(ids))):
            row.attempts += 1
            row.last_error = error[:500]
            row.next_attempt_at = now + timedelta(seconds=backoff(row.attempts, base, cap))
            earliest = (
                row.next_attempt_at if earliest is None else min(earliest, row.next_attempt_at)
            )
            session.add(row)
    return earliest

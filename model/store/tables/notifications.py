"""The notification outbox: what the doctor is told, by which channel, and whether it went.

Local only, never synced. A row is written before its message is sent and marked sent after
(isync's habit: the intent is durable before any I/O), so a daemon killed or restarted
never loses an event; its unique key keeps an event from being queued twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from frmr.model.rules.clock import utcnow
from frmr.model.store.tables.base import StoreTable, new_id
from frmr.model.store.tables.types import UtcDateTime


class Notification(StoreTable, table=True):
    """One event for one channel ("email" or "hook")."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("event_key", "channel"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    # What happened, made from the facts themselves (a status change's id, a refused file's
    # id, a date): the same fact found again after a restart maps to the same key.
    event_key: str = Field(max_length=200)
    channel: str = Field(max_length=16)
    kind: str = Field(max_length=32)
    # The event as JSON: what the hook reads on stdin and what the message is written from.
    payload: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    # The next try after a failure; the backoff survives a restart because it is a row.
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # The last failure, in English, for `frmr notify status` and the log.
    last_error: str | None = None


class NotificationChoice(StoreTable, table=True):
    """Which channels an event kind goes to, as the doctor chose in the TUI or the CLI.
    No row means the default: every configured channel."""

    __tablename__ = "notification_choice"

    kind: str = Field(primary_key=True, max_length=32)
    email: bool = True
    hook: bool = True

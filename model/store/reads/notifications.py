"""The notification outbox and the doctor's choice of channels: what `frmr notify status`,
the TUI's notifications screen and the daemon's notifier read."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frmr.model.notifications.events import CHOOSABLE, Channel, EventKind
from frmr.model.store.reads import stored_utc

_CHOICES = "SELECT kind, email, hook FROM notification_choice"
_COUNTS = (
    "SELECT count(sent_at), count(*) - count(sent_at), "
    "coalesce(sum(sent_at IS NULL AND attempts > 0), 0), max(sent_at), "
    "min(CASE WHEN sent_at IS NULL THEN next_attempt_at END) FROM notification WHERE channel = ?"
)
# The failing row whose try is the latest (its next one, or its first if none is set).
_LAST_ERROR = (
    "SELECT last_error FROM notification WHERE channel = ? AND sent_at IS NULL AND attempts > 0 "
    "ORDER BY coalesce(next_attempt_at, created_at) DESC, rowid LIMIT 1"
)
_RECENT = (
    "SELECT created_at, channel, kind, sent_at, attempts FROM notification "
    "ORDER BY created_at DESC, rowid DESC LIMIT ?"
)
_NEXT_RETRY = "SELECT min(next_attempt_at) FROM notification WHERE sent_at IS NULL"


def _utc(value: Any) -> datetime | None:
    return stored_utc(value) if value is not None else None


def read_choices(conn: sqlite3.Connection) -> dict[EventKind, dict[Channel, bool]]:
    """Where each choosable event goes; a kind with no row goes to every channel."""
    stored = {kind: (bool(email), bool(hook)) for kind, email, hook in conn.execute(_CHOICES)}
    out: dict[EventKind, dict[Channel, bool]] = {}
    for kind in CHOOSABLE:
        email, hook = stored.get(kind.value, (True, True))
        out[kind] = {Channel.EMAIL: email, Channel.HOOK: hook}
    return out


@dataclass(frozen=True)
class ChannelStatus:
    channel: Channel
    sent: int
    waiting: int
    failing: int
    last_sent_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None


def outbox_status(conn: sqlite3.Connection) -> list[ChannelStatus]:
    """Per channel: how many sent, how many waiting (and failing), the latest failure."""
    out = []
    for channel in Channel:
        counts = conn.execute(_COUNTS, (channel.value,)).fetchone()
        sent, waiting, failing, last_sent, retry = counts
        error = conn.execute(_LAST_ERROR, (channel.value,)).fetchone()
        last_error = error[0] if error else None
        out.append(
            ChannelStatus(channel, sent, waiting, failing, _utc(last_sent), _utc(retry), last_error)
        )
    return out


@dataclass(frozen=True)
class RecentNotice:
    """A notification as `frmr notify status` lists it."""

    created_at: datetime
    channel: str
    kind: str
    sent_at: datetime | None
    attempts: int


def recent(conn: sqlite3.Connection, limit: int = 20) -> list[RecentNotice]:
    """The latest `limit` notifications, newest first."""
    return [
        RecentNotice(stored_utc(created), channel, kind, _utc(sent), attempts)
        for created, channel, kind, sent, attempts in conn.execute(_RECENT, (limit,))
    ]


def next_retry(conn: sqlite3.Connection) -> datetime | None:
    """The earliest retry waiting in the outbox."""
    return _utc(conn.execute(_NEXT_RETRY).fetchone()[0])

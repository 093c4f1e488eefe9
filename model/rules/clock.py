"""Time in one place: aware UTC everywhere inside, local dates only at the edges."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now().astimezone().date()

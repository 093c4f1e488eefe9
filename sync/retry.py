"""The short in-process retry budget for one request: what is retried, how long we wait.

Long waits (minutes, hours) are not made here: they are rows in the store
(`next_attempt_at`) so they survive a restart. Here a request gets a few seconds of
jittered exponential backoff, never shorter than the registry's `Retry-After`.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_before_delay,
    wait_random_exponential,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

# 408 and 429 say "later"; 5xx may have happened or not: both are worth another try.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_SINGLE_WAIT = 5.0


class RetryableAnswer(Exception):
    """An answer that asks to be retried; the last one is reported if the budget runs out."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(
            f"{response.request.method} {response.request.url.path} -> {response.status_code}"
        )
        self.response = response
        self.retry_after = retry_after_seconds(response)


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class wait_at_least_retry_after(wait_base):
    """Jittered exponential backoff, but never less than what the registry asked for."""

    def __init__(self, multiplier: float = 0.2, maximum: float = MAX_SINGLE_WAIT) -> None:
        self._backoff = wait_random_exponential(multiplier=multiplier, max=maximum)

    def __call__(self, retry_state: RetryCallState) -> float:
        wait = self._backoff(retry_state)
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, RetryableAnswer) and error.retry_after is not None:
            wait = max(wait, error.retry_after)
        return wait


class stop_when_set(stop_base):
    """Stop retrying once the daemon is shutting down."""

    def __init__(self, event: threading.Event) -> None:
        self._event = event

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self._event.is_set()


def retrying(budget_seconds: float, stopping: threading.Event | None = None) -> Retrying:
    """A Retrying for transport errors and retryable answers within `budget_seconds`.

    `stop_before_delay` gives up rather than start a wait that would end past the budget, so a
    long `Retry-After` surfaces at once and becomes a stored `next_attempt_at`.
    """
    stop: stop_base = stop_before_delay(budget_seconds)
    sleep: Callable[[float], None] = time.sleep
    if stopping is not None:
        stop = stop | stop_when_set(stopping)

        def sleep(seconds: float) -> None:
            stopping.wait(seconds)

    return Retrying(
        retry=retry_if_exception_type((httpx.TransportError, RetryableAnswer)),
        wait=wait_at_least_retry_after(),
        stop=stop,
        sleep=sleep,
        reraise=True,
    )

"""Fault injection for tests and demos, switchable at run time.

The faults in force live in the database, so every worker process applies the same ones;
each process re-reads them at most every ``CACHE_SECONDS``. ``FaultMiddleware`` sits
outermost and injects latency, 429, 500/503 and dropped connections; the delivery-failure
rate is consulted by submit itself.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from anyio import to_thread
from sqlalchemy import update
from sqlmodel import Session, col
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frmr.contract.protocol import API_PREFIX, ErrorCode, Faults, Paths
from frmr.model.rules.clock import utcnow
from frmr.registry.db import Database
from frmr.registry.errors import INTERNAL_TEXT, error_response
from frmr.registry.tables import FaultState

log = logging.getLogger(__name__)

CACHE_SECONDS = 0.25
_EXEMPT = (Paths.HEALTH, Paths.ADMIN_FAULTS)


class FaultStore:
    """The faults in force, read through a short per-process cache."""

    def __init__(self, db: Database, rng: random.Random | None = None) -> None:
        self._db = db
        self._rng = rng or random.SystemRandom()
        self._cached: Faults | None = None
        self._loaded_at = float("-inf")

    def load(self) -> tuple[Faults, int | None]:
        with self._db.read() as session:
            state = session.get(FaultState, 1)
        if state is None:
            return Faults(), None
        return Faults.model_validate(state.config), state.remaining

    def current(self) -> Faults:
        if time.monotonic() - self._loaded_at > CACHE_SECONDS:
            self._cached = self.load()[0]
            self._loaded_at = time.monotonic()
        assert self._cached is not None
        return self._cached

    def save(self, faults: Faults) -> None:
        with self._db.write() as session:
            state = session.get(FaultState, 1) or FaultState(id=1)
            state.config = faults.model_dump(mode="json")
            state.remaining = faults.budget
            state.updated_at = utcnow()
            session.add(state)
        self._loaded_at = float("-inf")
        log.warning("faults set: %s", faults.model_dump_json(exclude_defaults=True))

    def roll(self, rate: float) -> bool:
        """Whether a fault with this probability strikes now, within the budget."""
        if rate <= 0 or self._rng.random() >= rate:
            return False
        with self._db.write() as session:
            return _spend_budget(session)

    def delivery_fails(self, session: Session) -> bool:
        """Whether this submission's delivery fails; runs in the submission's transaction."""
        rate = self.current().delivery_failure_rate
        return rate > 0 and self._rng.random() < rate and _spend_budget(session)


def _spend_budget(session: Session) -> bool:
    result = session.execute(
        update(FaultState)
        .where(col(FaultState.id) == 1, col(FaultState.remaining) > 0)
        .values(remaining=col(FaultState.remaining) - 1)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return True
    state = session.get(FaultState, 1)
    return state is not None and state.remaining is None


class FaultMiddleware:
    """Pure ASGI, so it can drop a connection without uvicorn answering in its place."""

    def __init__(self, app: ASGIApp, store: FaultStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(API_PREFIX) or path in _EXEMPT:
            await self.app(scope, receive, send)
            return
        faults = await to_thread.run_sync(self.store.current)
        if not path.startswith(faults.path_prefix):
            await self.app(scope, receive, send)
            return
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        if await self._strikes(faults.drop_before_rate):
            log.warning("fault: dropping %s %s before the handler", scope["method"], path)
            await _drop(send)
            return
        if await self._strikes(faults.rate_limit_rate):
            retry_after = str(faults.retry_after_s)
            response = error_response(
                429,
                ErrorCode.RATE_LIMITED,
                "Слишком много запросов к ФРМР. Повторите попытку позже",
                {"retry_after": faults.retry_after_s},
                headers={"Retry-After": retry_after},
            )
            await response(scope, receive, send)
            return
        if await self._strikes(faults.error_rate):
            status = faults.error_status
            code, message = (
                (ErrorCode.UNAVAILABLE, "Сервис ФРМР временно недоступен. Повторите попытку позже")
                if status == 503
                else (ErrorCode.INTERNAL, INTERNAL_TEXT)
            )
            await error_response(status, code, message)(scope, receive, send)
            return
        if await self._strikes(faults.drop_after_commit_rate):
            log.warning("fault: dropping the answer to %s %s", scope["method"], path)
            await self.app(scope, receive, _discard)
            await _drop(send)
            return
        await self.app(scope, receive, send)

    async def _strikes(self, rate: float) -> bool:
        return rate > 0 and await to_thread.run_sync(self.store.roll, rate)


async def _discard(_message: Message) -> None:
    return None


async def _drop(send: Send) -> None:
    """Reset the connection without a byte of answer: the client sees a connection error.

    uvicorn's ``send`` is a bound method of its request cycle, which holds the transport.
    """
    transport: Any = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("fault injection: connection dropped")
    transport.abort()
    # Let uvicorn see the connection lost, so it does not try to answer in our place.
    await asyncio.sleep(0)

"""The registry's ASGI application: ``create_app(settings)``.

uvicorn worker processes build it with ``create_app_from_env`` (``--factory``), reading the
settings that ``frmr-registry serve`` put in their environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp

from frmr.contract.protocol import API_PREFIX, CONTRACT_VERSION, ErrorBody
from frmr.model.rules.clock import utcnow
from frmr.registry import auth, idempotency
from frmr.registry.bodies import BodyGuard, Pace
from frmr.registry.db import Database, prepare_database
from frmr.registry.deps import Services, UploadSlots
from frmr.registry.errors import install_error_handlers
from frmr.registry.faults import FaultMiddleware, FaultStore
from frmr.registry.review import auto_review
from frmr.registry.routes import admin, applications, changes, documents, health, me
from frmr.registry.routes import auth as auth_routes
from frmr.registry.settings import RegistrySettings

log = logging.getLogger(__name__)

MAINTENANCE_PERIOD = 3600.0

_ERRORS = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "bad request"),
        (401, "not logged in"),
        (403, "forbidden (the admin operations without their token)"),
        (404, "not found (also another person's resource)"),
        (408, "request body too slow (bodies.Pace)"),
        (409, "conflict"),
        (412, "stale version"),
        (413, "file or request body too large (bodies.body_cap)"),
        (422, "refused: validation, portfolio, idempotency key reuse"),
        (428, "If-Match required"),
        (429, "too many requests or login locked"),
        (500, "internal error"),
        (503, "unavailable"),
    )
}


class RegistryApp(FastAPI):
    """FastAPI with the fault injector outside everything else, Starlette's own error
    middleware included: dropping a connection needs uvicorn's ``send`` itself. The body
    guard is outside that, so no body is read, even by a fault, before it is bounded."""

    def build_middleware_stack(self) -> ASGIApp:
        services: Services = self.state.services
        settings = services.settings
        pace = Pace(settings.body_grace_seconds, settings.body_min_rate)
        return BodyGuard(FaultMiddleware(super().build_middleware_stack(), services.faults), pace)


def _maintain(db: Database) -> None:
    now = utcnow()
    with db.write() as session:
        idempotency.purge(session, now)
        auth.purge_expired(session, now)


async def _maintenance(db: Database) -> None:
    while True:
        try:
            await to_thread.run_sync(_maintain, db)
        except Exception:
            log.exception("maintenance pass failed")
        await asyncio.sleep(MAINTENANCE_PERIOD)


def create_app(settings: RegistrySettings) -> FastAPI:
    db = prepare_database(settings)
    services = Services(
        settings=settings,
        db=db,
        faults=FaultStore(db),
        uploads=UploadSlots(settings.upload_slots, settings.upload_slots_per_person),
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_maintenance(db))]
        if settings.auto_review_seconds is not None:
            wait = timedelta(seconds=settings.auto_review_seconds)
            tasks.append(asyncio.create_task(auto_review(db, wait)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            db.engine.dispose()

    app = RegistryApp(
        title="ФРМР — реестр (песочница frmr)" if settings.sandbox else "ФРМР — реестр",
        version=CONTRACT_VERSION,
        lifespan=lifespan,
        responses=_ERRORS,  # type: ignore[arg-type]
    )
    app.state.services = services
    install_error_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (health, auth_routes, me, documents, applications, changes, admin):
        api.include_router(module.router)
    app.include_router(api)
    return app


def create_app_from_env() -> FastAPI:
    return create_app(RegistrySettings.load())

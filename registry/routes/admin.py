"""Run-time switches for tests and demos, guarded by the admin token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from frmr.contract.protocol import ADMIN_TOKEN, ErrorCode, Faults
from frmr.registry.deps import ServicesDep
from frmr.registry.errors import ApiError

# A security scheme, so the schema says these operations need the admin token.
_admin_token = APIKeyHeader(name=ADMIN_TOKEN, auto_error=False)


def require_admin(
    services: ServicesDep,
    admin_token: Annotated[str | None, Security(_admin_token)],
) -> None:
    expected = services.settings.admin_token
    if not expected or not admin_token or not hmac.compare_digest(admin_token, expected):
        raise ApiError(403, ErrorCode.FORBIDDEN, "Доступ запрещён")


router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/faults", response_model=Faults)
async def show_faults(services: ServicesDep) -> Faults:
    faults, remaining = await run_in_threadpool(services.faults.load)
    return faults.model_copy(update={"budget": remaining})


@router.put("/faults", response_model=Faults)
async def set_faults(body: Faults, services: ServicesDep) -> Faults:
    await run_in_threadpool(services.faults.save, body)
    return body


@router.delete("/faults", response_model=Faults)
async def clear_faults(services: ServicesDep) -> Faults:
    cleared = Faults()
    await run_in_threadpool(services.faults.save, cleared)
    return cleared

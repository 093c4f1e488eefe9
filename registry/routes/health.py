from __future__ import annotations

from fastapi import APIRouter

from frmr.contract.protocol import CONTRACT_VERSION, HealthOut
from frmr.registry.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut)
def health(services: ServicesDep) -> HealthOut:
    return HealthOut(contract_version=CONTRACT_VERSION, sandbox=services.settings.sandbox)

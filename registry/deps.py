"""Request dependencies: the app's services and the person the bearer token names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from frmr.registry.auth import UNAUTHORIZED, person_for_token
from frmr.registry.db import Database
from frmr.registry.errors import ApiError
from frmr.registry.faults import FaultStore
from frmr.registry.settings import RegistrySettings
from frmr.sync.protocol import ErrorCode


class UploadSlots:
    """How many uploads a worker buffers at once; used from its one event loop only."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0

    def take(self) -> bool:
        if self.active >= self.limit:
            return False
        self.active += 1
        return True

    def give_back(self) -> None:
        self.active -= 1


@dataclass(frozen=True)
class Services:
    settings: RegistrySettings
    db: Database
    faults: FaultStore
    uploads: UploadSlots


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


_bearer = HTTPBearer(auto_error=False)


def current_person(
    services: Annotated[Services, Depends(get_services)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None:
        raise ApiError(
            401, ErrorCode.UNAUTHORIZED, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"}
        )
    with services.db.read() as session:
        return person_for_token(session, credentials.credentials)


ServicesDep = Annotated[Services, Depends(get_services)]
PersonDep = Annotated[str, Depends(current_person)]

"""Request dependencies: the app's services and the person the bearer token names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from frmr.registry.auth import person_for_token
from frmr.registry.db import Database
from frmr.registry.faults import FaultStore
from frmr.registry.settings import RegistrySettings


class UploadSlots:
    """How many uploads a worker buffers at once, and how many of them one person may hold,
    so that one employee's slow uploads never turn the others away. Used from the worker's
    one event loop only."""

    def __init__(self, limit: int, per_person: int) -> None:
        self.limit = limit
        self.per_person = per_person
        self.active = 0
        self.by_person: Counter[str] = Counter()

    def take(self, person: str) -> bool:
        if self.active >= self.limit or self.by_person[person] >= self.per_person:
            return False
        self.active += 1
        self.by_person[person] += 1
        return True

    def give_back(self, person: str) -> None:
        self.active -= 1
        self.by_person[person] -= 1
        if not self.by_person[person]:
            del self.by_person[person]


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
    with services.db.read() as session:
        return person_for_token(session, credentials.credentials if credentials else None)


ServicesDep = Annotated[Services, Depends(get_services)]
PersonDep = Annotated[str, Depends(current_person)]

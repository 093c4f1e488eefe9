"""The changes feed: a person's status changes after a cursor, in commit order."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from frmr.contract.protocol import CURSOR_PATTERN, ChangeOut, ChangesOut, ErrorCode
from frmr.registry.deps import PersonDep, ServicesDep
from frmr.registry.errors import ApiError
from frmr.registry.tables import Application, StatusChange

router = APIRouter(tags=["changes"])

PAGE = 500


def _parse_cursor(since: str | None) -> int:
    if since is None or since == "":
        return 0
    if not re.fullmatch(CURSOR_PATTERN, since):
        raise ApiError(
            422,
            ErrorCode.REQUEST_INVALID,
            "Неверная отметка синхронизации: начните синхронизацию заново",
            details={"since": since},
        )
    return int(since)


@router.get("/changes", response_model=ChangesOut)
def changes(
    person: PersonDep,
    services: ServicesDep,
    since: Annotated[str | None, Query(json_schema_extra={"pattern": CURSOR_PATTERN})] = None,
) -> ChangesOut:
    """Changes after ``since`` (from the beginning without it), at most 500; call again
    with the returned cursor until the list comes back empty."""
    after = _parse_cursor(since)
    with services.db.read() as session:
        rows = session.exec(
            select(StatusChange, Application.number)
            .join(Application, col(Application.id) == col(StatusChange.application_id))
            .where(StatusChange.person_id == person, StatusChange.seq > after)
            .order_by(col(StatusChange.seq))
            .limit(PAGE)
        ).all()
    items = [
        ChangeOut(
            seq=change.seq,
            kind="application_status",
            application_id=change.application_id,
            number=number,
            status=change.to_status,
            reason=change.reason,
            actor=change.actor,
            at=change.at,
        )
        for change, number in rows
    ]
    cursor = items[-1].seq if items else after
    return ChangesOut(changes=items, cursor=str(cursor))

"""What every step of a sync cycle shares: the store, the registry client, the resubmit
schedule, the event sink, the cycle's report, and how a row's refusal is recorded and told.

The steps themselves live one concern a module (sync/profile_push.py, sync/documents_push.py,
sync/delivering.py, sync/changes.py); sync/engine.py runs them in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import SQLModel

from frmr.model.applications import delivery
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store import sync_rows
from frmr.model.store.engine import Store
from frmr.model.store.tables import Application, SyncColumns
from frmr.sync.client import RegistryClient

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class Schedule:
    """How long «Не доставлено» waits before the next attempt (stored in the row)."""

    resubmit_base: float = 30.0
    resubmit_cap: float = 3600.0

    def resubmit_delay(self, app: Application) -> float:
        """The wait before `app`'s next attempt, on model's doubling, jittered schedule."""
        return delivery.resubmit_delay(
            app.submit_attempts + 1, self.resubmit_base, self.resubmit_cap
        )


@dataclass
class CycleReport:
    delivered: int = 0
    not_delivered: int = 0
    pulled: int = 0
    # Rows of the card, the portfolio, documents and cancellations the registry acknowledged.
    pushed: int = 0
    row_errors: int = 0
    errors: list[str] = field(default_factory=list)


def payload(row: SQLModel, model: type[BaseModel], **given: Any) -> BaseModel:
    """The row as the contract carries it, with the fields `given` that the row does not say
    as the contract wants them; a field the row lacks (a legacy one, like the report's
    `text`) takes its default."""
    columns = {
        name: _plain(getattr(row, name)) for name in model.model_fields if hasattr(row, name)
    }
    return model.model_validate({**columns, **given})


def _plain(value: Any) -> Any:
    # StrEnum members compare equal to their values, but pydantic's JSON wants the value.
    return getattr(value, "value", value)


def invalid_row(error: ValidationError) -> str:
    """What the worker reads on a row the contract would not carry."""
    fields = sorted({str(e["loc"][0]) for e in error.errors() if e.get("loc")})
    # The contract's own validators (model.rules.text's rule) say what is wrong, in Russian.
    reasons = [
        str(e["msg"]).removeprefix("Value error, ")
        for e in error.errors()
        if e.get("type") == "value_error"
    ]
    return (
        "Запись не отправлена в ФРМР: не заполнены или неверны поля "
        + ", ".join(f"«{f}»" for f in fields)
        + (f" ({'; '.join(reasons)})" if reasons else "")
        + ". Исправьте запись — она будет отправлена автоматически"
    )


@dataclass(frozen=True)
class Link:
    store: Store
    client: RegistryClient
    schedule: Schedule
    emit: Emit

    def synced(
        self,
        table: type[SyncColumns],
        row_id: str,
        sent_version: int,
        remote: int | None,
        report: CycleReport,
    ) -> None:
        """The registry acknowledged the row's `sent_version`: recorded, and counted."""
        sync_rows.mark_synced(self.store, table, row_id, sent_version, remote)
        report.pushed += 1

    def row_error(
        self,
        table: type[SyncColumns],
        row_id: str,
        sent_version: int,
        message: str,
        report: CycleReport,
    ) -> None:
        """The registry (or the contract) refused the row: recorded on it, logged, told."""
        report.row_errors += 1
        if not sync_rows.record_row_error(self.store, table, row_id, sent_version, message):
            return
        log.warning("%s %s refused: %s", table.__tablename__, row_id, mask_personal_data(message))
        self.emit("error", {"message": message, "table": table.__tablename__, "id": row_id})

    def status_changed(
        self,
        app_id: str,
        number: str | None,
        before: ApplicationStatus,
        after: ApplicationStatus,
        **extra: Any,
    ) -> None:
        self.emit(
            "status_changed",
            {
                "application_id": app_id,
                "number": number,
                "from": before.value,
                "to": after.value,
                "message": f"Заявление {number or app_id[:8]}: «{after.label}»",
                **extra,
            },
        )

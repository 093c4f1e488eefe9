"""Applications for accreditation, their attachments and their status history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from frmr.model.rules.clock import utcnow
from frmr.model.rules.statuses import Actor, ApplicationKind, ApplicationStatus
from frmr.model.store.tables.base import StoreTable, SyncColumns, new_id
from frmr.model.store.tables.types import EnumValue, UtcDateTime


class Application(SyncColumns, table=True):
    __tablename__ = "application"

    number: str | None = Field(default=None, description="assigned by the registry")
    kind: ApplicationKind = Field(
        default=ApplicationKind.PERIODIC, sa_type=EnumValue(ApplicationKind)
    )
    specialty_code: str
    specialty_name: str
    education_level: str | None = None
    phone: str
    email: str
    comment: str | None = None
    status: ApplicationStatus = Field(
        default=ApplicationStatus.DRAFT, sa_type=EnumValue(ApplicationStatus)
    )
    status_reason: str | None = None
    folder_name: str = Field(unique=True)
    # Idempotency key of the submission in flight, persisted before any I/O.
    submit_key: str | None = None
    submit_attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    status_changed_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Attachment(SyncColumns, table=True):
    """Application ↔ document; a detach is a tombstone so the registry hears about it."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("application_id", "document_id"),)

    application_id: str = Field(foreign_key="application.id", index=True)
    document_id: str = Field(foreign_key="document.id", index=True)
    attached_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class StatusChange(StoreTable, table=True):
    """Every transition: when, from, to, by whom and why."""

    __tablename__ = "status_change"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    application_id: str = Field(foreign_key="application.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    from_status: ApplicationStatus | None = Field(
        default=None, sa_type=EnumValue(ApplicationStatus)
    )
    to_status: ApplicationStatus = Field(sa_type=EnumValue(ApplicationStatus))
    actor: Actor = Field(sa_type=EnumValue(Actor, 16))
    reason: str | None = None


class SyncState(StoreTable, table=True):
    """Small named values of the sync: the changes cursor, last sync time, login state."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True, max_length=64)
    value: str

"""The registry's own tables (it is the registry, not the client's store).

They live in their own SQLAlchemy registry, so they never mix with the client's tables in
``SQLModel.metadata``. Uniqueness that matters under concurrency (idempotency keys, one
document per content, application numbers) is a database constraint.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, LargeBinary, UniqueConstraint
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _at(*, nullable: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable))


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class RegistryTable(SQLModel, registry=registry()):
    """Base of the registry's tables; their metadata is ``RegistryTable.metadata``.

    A table's pydantic validator is built when a row of it is first validated, not at
    import (as model.store.tables.base.StoreTable does for the client's)."""

    model_config = SQLModelConfig(defer_build=True)


class Employee(RegistryTable, table=True):
    """A worker an organisation entered; the only people who may log in."""

    __tablename__ = "employee"

    id: str = Field(primary_key=True)
    snils: str = Field(unique=True, index=True)
    phone: str | None = Field(default=None, unique=True)
    email: str | None = Field(default=None, unique=True)
    organization: str
    position: str | None = None
    password_hash: str
    card: dict[str, Any] = _json()
    card_version: int = 1
    # Bumped (under a row lock) for every change reported in the feed: gives one person's
    # changes a sequence in commit order.
    change_seq: int = 0
    created_at: datetime = _at()
    removed_at: datetime | None = _at(nullable=True)
    removed_reason: str | None = None


class AccessToken(RegistryTable, table=True):
    __tablename__ = "access_token"

    token_hash: str = Field(primary_key=True)
    person_id: str = Field(foreign_key="employee.id", index=True)
    expires_at: datetime = _at()


class LoginFailure(RegistryTable, table=True):
    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="employee.id", index=True)
    at: datetime = _at()


class UnknownLoginFailure(RegistryTable, table=True):
    """A failed login naming no employee, counted like a wrong password so the lockout
    answers alike for a registered СНИЛС and an unknown one. ``subject`` is a hash of the
    normalised login: the registry keeps no list of the numbers people tried."""

    __tablename__ = "unknown_login_failure"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(index=True)
    at: datetime = _at()


class QrLogin(RegistryTable, table=True):
    __tablename__ = "qr_login"

    code: str = Field(primary_key=True)
    expires_at: datetime = _at()
    approved_person_id: str | None = Field(default=None, foreign_key="employee.id")
    token_issued: bool = False


class PortfolioItem(RegistryTable, table=True):
    """One item of a person's sub-resource collection; ``data`` is its contract body."""

    __tablename__ = "portfolio_item"

    person_id: str = Field(foreign_key="employee.id", primary_key=True)
    collection: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    version: int = 1
    data: dict[str, Any] = _json()
    updated_at: datetime = _at()


class Document(RegistryTable, table=True):
    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("person_id", "sha256"),)

    person_id: str = Field(foreign_key="employee.id", primary_key=True)
    id: str = Field(primary_key=True)
    sha256: str
    size: int
    media_type: str
    file_name: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = _at()


class Application(RegistryTable, table=True):
    __tablename__ = "application"

    id: str = Field(primary_key=True)
    person_id: str = Field(foreign_key="employee.id", index=True)
    number: str = Field(unique=True)
    kind: str
    specialty_code: str
    specialty_name: str
    education_level: str
    phone: str
    email: str
    report_agreed: bool
    comment: str | None = None
    status: str = Field(index=True)
    status_reason: str | None = None
    created_at: datetime = _at()
    updated_at: datetime = _at()


class ApplicationDocument(RegistryTable, table=True):
    __tablename__ = "application_document"

    application_id: str = Field(foreign_key="application.id", primary_key=True)
    document_id: str = Field(primary_key=True)
    attached_at: datetime = _at()


class StatusChange(RegistryTable, table=True):
    """An application's history and, per person, the changes feed."""

    __tablename__ = "status_change"
    __table_args__ = (UniqueConstraint("person_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="employee.id", index=True)
    seq: int
    application_id: str = Field(foreign_key="application.id", index=True)
    at: datetime = _at()
    from_status: str | None = None
    to_status: str
    actor: str
    reason: str | None = None


class Counter(RegistryTable, table=True):
    """Named sequences (application numbers) incremented under a row lock."""

    __tablename__ = "counter"

    name: str = Field(primary_key=True)
    value: int = 0


class IdempotencyRecord(RegistryTable, table=True):
    """A committed effect's key and answer, written in the effect's own transaction."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("person_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="employee.id")
    key: str
    request_hash: str
    application_id: str | None = Field(default=None, index=True)
    status_code: int
    body: dict[str, Any] = _json()
    created_at: datetime = _at()


class FaultState(RegistryTable, table=True):
    """The faults in force (one row), shared by every worker process."""

    __tablename__ = "fault_state"

    id: int = Field(default=1, primary_key=True)
    config: dict[str, Any] = _json()
    remaining: int | None = None
    updated_at: datetime = _at()

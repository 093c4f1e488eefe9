"""The sync columns every syncable row carries, and the metadata naming convention."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import MetaData
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

from frmr.model.rules.clock import utcnow
from frmr.model.store.tables.types import UtcDateTime

# Named constraints let Alembic's batch mode alter SQLite tables deterministically.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def new_id() -> str:
    return str(uuid.uuid4())


class StoreTable(SQLModel):
    """Base of every table of the store. SQLAlchemy maps a table at import either way; its
    pydantic validator is built when a row of that table is first validated: a command
    validates a few kinds of rows, and building all of them cost about 0.03 s of CPU in
    each process that imports the tables."""

    model_config = SQLModelConfig(defer_build=True)


class SyncColumns(StoreTable):
    """Dirty means version > synced_version: several edits coalesce into one push."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    version: int = Field(default=1)
    synced_version: int = Field(default=0)
    # The registry's own version of the row (its ETag), sent back as If-Match.
    remote_version: int | None = Field(default=None)
    deleted: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    sync_error: str | None = Field(default=None)
    sync_attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

    def touch(self) -> None:
        """Record a local edit: one more version to push."""
        self.version += 1
        self.updated_at = utcnow()
        self.sync_error = None

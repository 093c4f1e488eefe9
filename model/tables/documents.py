"""The document library: files by sha256, and the files intake refused."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from frmr.model.clock import utcnow
from frmr.model.filetypes import FileKind
from frmr.model.tables.base import SyncColumns, new_id
from frmr.model.tables.types import EnumValue, UtcDateTime


class Document(SyncColumns, table=True):
    """A file in the library; its bytes live in the blob folder under its sha256."""

    __tablename__ = "document"

    sha256: str = Field(max_length=64, unique=True)
    size: int
    kind: FileKind = Field(sa_type=EnumValue(FileKind, 8))
    file_name: str
    title: str | None = None
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    source_path: str | None = None
    # The checklist item this file covers (model.readiness.checklist), set or guessed.
    checklist_item: str | None = Field(default=None, max_length=32)


class RejectedFile(SQLModel, table=True):
    """A dropped file intake refused; it sits in rejected/ beside its reason file."""

    __tablename__ = "rejected_file"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    file_name: str
    rejected_path: str
    reason: str
    application_id: str | None = Field(default=None, foreign_key="application.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

"""The document library: files by sha256, the files intake refused, and the attachments a
changed file replaced."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from frmr.model.rules.clock import utcnow
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.replacements import ReplacementOutcome as ReplacementOutcome
from frmr.model.store.tables.base import StoreTable, SyncColumns, new_id
from frmr.model.store.tables.types import EnumValue, UtcDateTime


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


class RejectedFile(StoreTable, table=True):
    """A dropped file intake refused; it sits in rejected/ beside its reason file."""

    __tablename__ = "rejected_file"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    file_name: str
    rejected_path: str
    reason: str
    application_id: str | None = Field(default=None, foreign_key="application.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AttachmentReplacement(StoreTable, table=True):
    """A file in an application's folder changed after it was attached (one path is one
    attachment): what it was, what it became, and whether the new version took its place.
    Local history for the doctor; the registry only hears of the attachments themselves."""

    __tablename__ = "attachment_replacement"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    application_id: str = Field(foreign_key="application.id", index=True)
    file_name: str
    source_path: str
    outcome: ReplacementOutcome = Field(sa_type=EnumValue(ReplacementOutcome, 16))
    old_document_id: str
    old_sha256: str = Field(max_length=64)
    old_size: int
    # The new version's; no hash when it was refused before it was read whole.
    new_document_id: str | None = None
    new_sha256: str | None = Field(default=None, max_length=64)
    new_size: int | None = None
    reason: str | None = None
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

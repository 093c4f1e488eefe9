"""The pack queue: files the limits kept off an application, waiting to be packed to fit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from frmr.model.rules.clock import utcnow
from frmr.model.store.tables.base import StoreTable, new_id
from frmr.model.store.tables.types import UtcDateTime


class PackJob(StoreTable, table=True):
    """One dropped file in the library, to be packed onto its application.

    Written in the transaction that takes the file into the library and deleted in the one
    that attaches (or refuses) what was packed, so a daemon killed in between finds it at
    its next start: the file is neither lost nor attached twice. Local only, never synced.
    """

    __tablename__ = "pack_job"
    __table_args__ = (UniqueConstraint("application_id", "document_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    application_id: str = Field(foreign_key="application.id", max_length=36)
    document_id: str = Field(foreign_key="document.id", max_length=36)
    # The dropped file, moved to rejected/ if what it holds can't be made to fit.
    source_path: str
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # Packings begun: one that kills the daemon every time (memory) must not loop forever.
    attempts: int = Field(default=0)

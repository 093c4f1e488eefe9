"""Courses proposed from the documents dropped into the folder, read on this machine."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from frmr.model.portfolio.proposal_view import ProposalStatus as ProposalStatus
from frmr.model.rules.clock import utcnow
from frmr.model.store.tables.base import StoreTable, new_id
from frmr.model.store.tables.types import EnumValue, UtcDateTime


class CourseProposal(StoreTable, table=True):
    """One library document read for a course. Local only, never synced: the registry
    hears of the course the doctor confirms, as of any course."""

    __tablename__ = "course_proposal"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    document_id: str = Field(foreign_key="document.id", max_length=36, unique=True)
    status: ProposalStatus = Field(
        default=ProposalStatus.QUEUED, sa_type=EnumValue(ProposalStatus, 16), index=True
    )
    # The rules' document kind ("pk", "nmo") and the course kind it suggests.
    doc_type: str | None = Field(default=None, max_length=16)
    course_kind: str | None = Field(default=None, max_length=32)
    # {field: {"value": str | None, "confidence": float, "raw": str, "corrected": bool}}
    fields_json: str = "{}"
    pages_read: int = 0
    page_count: int = 0
    # Why the reading stopped early: "pages" (the page cap) or "time" (the time cap).
    cut: str | None = Field(default=None, max_length=8)
    ocr: bool = False
    seconds: float = 0.0
    error: str | None = None
    attempts: int = 0
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    course_id: str | None = Field(default=None, foreign_key="course.id", max_length=36)

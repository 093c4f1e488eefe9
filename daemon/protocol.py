"""The control socket's protocol, typed: what the TUI and the CLI ask, and what the daemon
answers and streams.

JSON lines over AF_UNIX (daemon/control.py). Like the wire contract (contract/protocol.py)
it is one module of pydantic models both sides use, so a field renamed on one side fails a
test instead of reading as a silent None on the other. Answers are read with unknown
fields ignored: a TUI a version behind still understands a newer daemon's status. What the
daemon sends is built with `build`, which refuses a field the model lacks, so it can't drift.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field


class _Sent(BaseModel):
    # Validators built on first use, not at import: `frmr-daemon stop` or a usage error
    # validates none of these messages (contract/protocol.py's WireModel says more).
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True, defer_build=True)

    @classmethod
    def build(cls, **fields: Any) -> Self:
        known = {name for name in cls.model_fields} | {
            f.alias for f in cls.model_fields.values() if f.alias
        }
        unknown = set(fields) - known
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        return cls.model_validate(fields)

    def line(self) -> bytes:
        return self.model_dump_json(exclude_defaults=True, by_alias=True).encode() + b"\n"


class Request(_Sent):
    cmd: Literal["status", "sync-now", "subscribe"]


class Ack(_Sent):
    """The answer to `sync-now` and `subscribe` (then the events follow)."""

    ok: bool
    error: str | None = None


class PackingProgress(_Sent):
    """The packing under way: «Сжатие: скан.pdf, стр. 3 из 12»."""

    application_id: str
    file: str
    page: int
    pages: int
    attempt: int
    message: str


class ReadingProgress(_Sent):
    """The document being read: «Чтение: скан.jpg, стр. 1 из 2»."""

    document_id: str
    file: str
    page: int
    pages: int
    message: str


class DaemonStatus(_Sent):
    """The daemon's own state and the store's counts, as `status` answers."""

    pid: int
    version: str
    registry_url: str | None
    registry_reachable: bool | None
    logged_in: bool
    login_required: bool
    last_sync_at: datetime | None
    last_sync_ok: bool | None
    counts_by_status: dict[str, int]
    queued: int
    not_delivered: int
    next_retry_at: datetime | None
    # A full disk is the error that matters until it is gone: intake waits on it.
    last_error: str | None
    disk_problem: str | None
    watched_folder: str
    watching: Literal["inotify", "polling"]
    # Files seen in the folder and not yet taken (still being written, or settling).
    pending_files: int
    rejected_files: int
    # The newest refusal's reason (it names the file), to say why without opening the doctor.
    last_rejected: str | None = None
    packing: PackingProgress | None = None
    # Files queued to pack (the one being packed among them).
    pack_queued: int = 0
    reading: ReadingProgress | None = None
    # Documents queued to be read for courses (the one being read among them).
    read_queued: int = 0


class StatusAnswer(_Sent):
    ok: bool
    status: DaemonStatus | None = None
    error: str | None = None


class EventKind(StrEnum):
    SYNC_STARTED = "sync_started"
    SYNC_FINISHED = "sync_finished"
    NEXT_RETRY = "next_retry"
    LOGIN_REQUIRED = "login_required"
    STATUS_CHANGED = "status_changed"
    ERROR = "error"
    DISK_OK = "disk_ok"
    FILE_IMPORTED = "file_imported"
    FILE_PACKING = "file_packing"
    FILE_PACKED = "file_packed"
    PACK_PROGRESS = "pack_progress"
    FILE_IGNORED = "file_ignored"
    FILE_DETACHED = "file_detached"
    FILE_REJECTED = "file_rejected"
    READING_PROGRESS = "reading_progress"
    COURSE_PROPOSED = "course_proposed"
    CANCEL_SENT = "cancel_sent"
    # Seen by the TUI, never sent by the daemon: the daemon's pid changed or it stopped
    # answering (from the status answers), the sandbox registry was started again.
    DAEMON_STARTED = "daemon_started"
    DAEMON_STOPPED = "daemon_stopped"
    SANDBOX_RESTARTED = "sandbox_restarted"


class DaemonEvent(_Sent):
    """One thing that happened; `message` is the Russian line the TUI shows."""

    event: EventKind
    at: datetime
    message: str = ""
    path: str | None = None
    rejected_path: str | None = None
    reason: str | None = None
    document_id: str | None = None
    application_id: str | None = None
    # status_changed: the application's number and statuses (ApplicationStatus values).
    number: str | None = None
    from_status: str | None = Field(default=None, alias="from")
    to_status: str | None = Field(default=None, alias="to")
    next_attempt_at: datetime | None = None
    # error: what failed ("disk", "sync"; its recovery event clears the status's last
    # error), or the row the engine could not push.
    source: str | None = None
    table: str | None = None
    id: str | None = None
    created: bool | None = None
    # file_imported: the attachment this version of the file replaced.
    replaced_document_id: str | None = None
    # course_proposed: the proposal made from document_id.
    proposal_id: str | None = None
    # pack_progress and reading_progress: their progress's fields.
    file: str | None = None
    page: int | None = None
    pages: int | None = None
    attempt: int | None = None
    ok: bool | None = None
    error: str | None = None
    pushed: int | None = None
    delivered: int | None = None
    not_delivered: int | None = None
    pulled: int | None = None
    in_seconds: float | None = None
    # sync_started / sync_finished: a scheduled pull after a good cycle that moved nothing.
    routine: bool | None = None

    @property
    def changes_store(self) -> bool:
        """Whether the daemon committed something the screens show before sending this."""
        return self.event not in (
            EventKind.SYNC_STARTED,
            EventKind.NEXT_RETRY,
            EventKind.PACK_PROGRESS,
            EventKind.READING_PROGRESS,
            EventKind.DAEMON_STARTED,
            EventKind.DAEMON_STOPPED,
            EventKind.SANDBOX_RESTARTED,
        )

"""How many applications stand in each status, and how many dropped files were refused.

One count, read by the daemon's `status` answer and the TUI's header alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from frmr.model.profile.card import get_person
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application, RejectedFile


@dataclass(frozen=True)
class StatusCounts:
    by_status: Mapping[ApplicationStatus, int]
    rejected_files: int
    # The newest refusal's reason (it names the file): a status says why, not only how many.
    last_rejected: str | None = None

    @property
    def queued(self) -> int:
        """Waiting for the daemon to send them."""
        return self.by_status.get(ApplicationStatus.QUEUED, 0)

    @property
    def not_delivered(self) -> int:
        """«Не доставлено»: the daemon keeps resubmitting these."""
        return self.by_status.get(ApplicationStatus.NOT_DELIVERED, 0)


def count_in_session(session: Session) -> StatusCounts:
    rows = session.exec(
        select(Application.status, func.count())
        .where(col(Application.deleted).is_(False))
        .group_by(col(Application.status))
    ).all()
    rejected = session.exec(select(func.count()).select_from(RejectedFile)).one()
    newest = session.exec(
        select(RejectedFile.reason).order_by(col(RejectedFile.at).desc()).limit(1)
    ).first()
    return StatusCounts(
        by_status={ApplicationStatus(status): int(n) for status, n in rows},
        rejected_files=int(rejected),
        last_rejected=newest,
    )


def status_counts(account: Account) -> StatusCounts:
    with account.store.read() as session:
        return count_in_session(session)


def header_counts(account: Account) -> tuple[str, int, int]:
    """(the person's name, applications waiting to be sent, applications «Не доставлено»)."""
    counts = status_counts(account)
    return get_person(account).full_name, counts.queued, counts.not_delivered

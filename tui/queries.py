"""Read-only counts the header needs, cheaper than loading every application with its files."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from model.account import Account
from model.actions.profile import get_person
from model.statuses import ApplicationStatus
from model.tables import Application, RejectedFile


def header_counts(account: Account) -> tuple[str, int, int]:
    """(the person's name, applications waiting to be sent, applications «Не доставлено»)."""
    with account.store.read() as session:
        rows = session.exec(
            select(Application.status, func.count())
            .where(col(Application.deleted).is_(False))
            .group_by(Application.status)
        ).all()
    counts = {status: int(n) for status, n in rows}
    return (
        get_person(account).full_name,
        counts.get(ApplicationStatus.QUEUED, 0),
        counts.get(ApplicationStatus.NOT_DELIVERED, 0),
    )


def rejected_files(account: Account, limit: int = 200) -> list[RejectedFile]:
    """Files intake refused, newest first, each with its reason."""
    with account.store.read() as session:
        return list(
            session.exec(select(RejectedFile).order_by(col(RejectedFile.at).desc()).limit(limit))
        )

"""Files the intake refused, as the doctor reads them: all, or those of one application."""

from __future__ import annotations

from sqlmodel import col, select

from frmr.model.store.account import Account
from frmr.model.store.tables import RejectedFile


def rejected_files(
    account: Account, application_id: str | None = None, limit: int | None = None
) -> list[RejectedFile]:
    """Newest first; only those refused from `application_id`'s folder when given."""
    query = select(RejectedFile).order_by(col(RejectedFile.at).desc())
    if application_id is not None:
        query = query.where(RejectedFile.application_id == application_id)
    if limit is not None:
        query = query.limit(limit)
    with account.store.read() as session:
        return list(session.exec(query).all())

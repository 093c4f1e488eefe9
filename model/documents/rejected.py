"""Files the intake refused, as the doctor reads them: all, or those of one application."""

from __future__ import annotations

from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.intake import RefusedFile, refused_files


def rejected_files(
    account: Account, application_id: str | None = None, limit: int = -1
) -> list[RefusedFile]:
    """Newest first (model.store.reads.intake); only those refused from `application_id`'s
    folder when given, the first `limit` when it is not negative."""
    with account.store.read() as session:
        return refused_files(session_connection(session), limit, application_id)

"""What the store holds now, read as `frmr apps show` and `frmr apps history` read it (the
read model), for tests that check what an action or the daemon left behind."""

from __future__ import annotations

from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.applications import (
    ApplicationView,
    application_view,
    find_application_id,
)
from frmr.model.store.reads.transitions import HistoryEntry, read_history


def stored_application(account: Account, ref: str) -> ApplicationView:
    with account.store.read() as session:
        return application_view(session_connection(session), account.documents_dir, ref)


def stored_history(account: Account, ref: str) -> list[HistoryEntry]:
    with account.store.read() as session:
        conn = session_connection(session)
        return read_history(conn, find_application_id(conn, ref))

"""How many applications stand in each status, and how many dropped files were refused.

One count (model.store.reads.intake), read by the daemon's `status` answer and the TUI's
header alike.
"""

from __future__ import annotations

from sqlmodel import Session

from frmr.model.applications.screen import header_line
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.intake import StatusCounts
from frmr.model.store.reads.intake import status_counts as read_status_counts


def count_in_session(session: Session) -> StatusCounts:
    return read_status_counts(session_connection(session))


def status_counts(account: Account) -> StatusCounts:
    with account.store.read() as session:
        return count_in_session(session)


def header_counts(account: Account) -> tuple[str, int, int]:
    with account.store.read() as session:
        return header_line(session_connection(session))

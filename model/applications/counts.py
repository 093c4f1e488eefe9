"""The TUI header's counts: the person, applications waiting to be sent, «Не доставлено».

One count (model.store.reads.intake.status_counts), read by the daemon's `status` answer and
the TUI's header alike.
"""

from __future__ import annotations

from frmr.model.applications.screen import header_line
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection


def header_counts(account: Account) -> tuple[str, int, int]:
    with account.store.read() as session:
        return header_line(session_connection(session))

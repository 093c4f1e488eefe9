"""The read model's portfolio lists, summary and proposals over an open account, as tests
check them."""

from __future__ import annotations

from datetime import date

from frmr.model.portfolio.proposal_view import Proposal
from frmr.model.portfolio.summary import PortfolioSummary, portfolio_summary
from frmr.model.readiness.from_store import account_rules
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.portfolio import ListedRow, collection_rows
from frmr.model.store.reads.proposals import read_proposals


def listed(account: Account, name: str) -> list[ListedRow]:
    """The live rows of the list `name`, read by the read model."""
    with account.store.read() as session:
        return collection_rows(session_connection(session), name)


def summary_of(account: Account, today: date) -> PortfolioSummary:
    with account.store.read() as session:
        return portfolio_summary(session_connection(session), account_rules(account), today)


def proposals_of(account: Account, *, everything: bool = False) -> list[Proposal]:
    """The courses proposed from documents, read by the read model."""
    with account.store.read() as session:
        return read_proposals(session_connection(session), everything=everything)

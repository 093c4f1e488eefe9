"""`frmr portfolio list` and `frmr portfolio summary` read through model.store.reads: a
current store is read without SQLAlchemy, SQLModel, Alembic or pydantic-settings, an old one
is migrated first, and the proposals, loaded only when asked, are listed as before, without
the ORM the write actions beside them load when they run."""

from __future__ import annotations

import json
from pathlib import Path

import click

from frmr.cli.portfolio import portfolio
from frmr.model.portfolio.proposals import queue_reading
from frmr.model.rules.filetypes import FileKind
from frmr.model.store.account import Account
from frmr.model.store.engine import current_revision, open_store
from frmr.model.store.schema_version import SCHEMA_HEAD
from frmr.model.store.tables import Document
from tests.cli.test_cli import Frmr
from tests.support.cli_imports import heavy_modules_loaded
from tests.tui.support import fill_card, fill_portfolio


def test_portfolio_lists_and_summary_read_a_current_store_without_the_orm(
    account: Account,
) -> None:
    fill_card(account)
    fill_portfolio(account)
    account.close()
    commands = [
        ["portfolio", "list", "employment"],
        ["portfolio", "list", "courses", "--json"],
        ["portfolio", "list", "addresses"],
        ["portfolio", "summary", "--json"],
        ["portfolio", "--help"],
    ]
    assert heavy_modules_loaded(commands) == []


def test_the_proposals_listing_reads_without_the_orm_and_shows_what_the_daemon_queued(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    with account.store.write() as session:
        document = Document(sha256="2" * 64, size=1, kind=FileKind.PDF, file_name="удост.pdf")
        session.add(document)
        session.flush()
        queue_reading(session, document.id)
    account.close()
    commands = [
        ["portfolio", "proposals"],
        ["portfolio", "proposals", "--all", "--json"],
        ["portfolio", "proposals", "confirm", "--help"],
    ]
    assert heavy_modules_loaded(commands) == []
    frmr = Frmr(frmr_home, tmp_path / "config.toml")
    (shown,) = json.loads(frmr("portfolio", "proposals", "--all", "--json").stdout)
    assert (shown["file_name"], shown["status"]) == ("удост.pdf", "queued")
    assert "Предложений нет" in frmr("portfolio", "proposals").stdout


def test_an_old_store_is_migrated_and_then_listed(frmr_home: Path, tmp_path: Path) -> None:
    with open_store(frmr_home, migrate_to="0002"):
        pass
    frmr = Frmr(frmr_home, tmp_path / "config.toml")
    assert json.loads(frmr("portfolio", "list", "skills", "--json").stdout) == []
    assert current_revision(frmr_home / "frmr.sqlite3") == SCHEMA_HEAD


def test_the_proposals_one_liner_is_the_command_s_own() -> None:
    """`frmr portfolio --help` shows it from the table, before the command is loaded."""
    with click.Context(portfolio, info_name="portfolio") as ctx:
        command = portfolio.get_command(ctx, "proposals")
    assert command is not None and command.help is not None
    lazy = portfolio.lazy_commands["proposals"]  # type: ignore[attr-defined]
    assert lazy.summary == command.help.split("\n\n")[0].strip()

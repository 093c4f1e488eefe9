"""After a cycle the sync thread runs another only while rows wait to be pushed: the
portfolio's additional documents count, unless a row error holds them."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from frmr.daemon.events import EventHub
from frmr.daemon.syncer import Syncer
from frmr.model.documents.library import import_file
from frmr.model.portfolio.edits import add_row
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import SYNCED_TABLES, AdditionalDocument
from tests.samples import make_pdf


def _all_synced(account: Account) -> None:
    with account.store.write() as session:
        for table in SYNCED_TABLES:
            for row in session.exec(select(table)).all():
                row.synced_version = row.version
                session.add(row)


def test_a_dirty_additional_document_is_work_until_refused(
    account: Account, tmp_path: Path
) -> None:
    document = import_file(account, make_pdf(tmp_path / "книжка.pdf")).document
    _all_synced(account)
    syncer = Syncer(load_settings(registry_url="http://127.0.0.1:9"), account.store, EventHub())
    assert not syncer._has_work()
    row = add_row(
        account,
        "additional-documents",
        {"name": "Иванова М.П. трудовая книжка на 3 л.", "part": "professional",
         "document_id": document.id},
    )  # fmt: skip
    assert syncer._has_work()
    with account.store.write() as session:
        stored = session.get(AdditionalDocument, row.id)
        assert stored is not None
        stored.sync_error = "Файл не принят"
        session.add(stored)
    assert not syncer._has_work()

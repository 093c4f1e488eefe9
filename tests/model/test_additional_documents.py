"""The portfolio's additional documents: a named item of one part, linked to a library file,
under the text rule and its limit; edits and deletions as the other portfolio rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from frmr.model.applications.lifecycle import new_application
from frmr.model.documents.library import import_file
from frmr.model.portfolio.edits import add_row, delete_row, update_row
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.text import TextInvalid
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.portfolio import read_listing
from frmr.model.store.tables import AdditionalDocument, Document, PortfolioPart
from tests.samples import make_pdf
from tests.support.portfolio_reads import listed
from tests.support.reads import stored_application

SECTION = "additional-documents"
NAME = "Смирнов А.В. трудовая книжка на 3 л."


@pytest.fixture
def document(account: Account, tmp_path: Path) -> Document:
    return import_file(account, make_pdf(tmp_path / "книжка.pdf", salt="book")).document


def _add(account: Account, **values: str) -> AdditionalDocument:
    return add_row(account, SECTION, values)  # type: ignore[no-any-return]


def test_an_item_takes_its_file_by_an_id_prefix_and_keeps_the_full_id(
    account: Account, document: Document
) -> None:
    row = _add(account, name=NAME, part="Профессиональная", document_id=document.id[:8])
    assert row.document_id == document.id
    assert row.part is PortfolioPart.PROFESSIONAL
    (stored,) = listed(account, SECTION)
    assert (stored.name, stored.document_id) == (NAME, document.id)
    with account.store.read() as session:
        dirty = session.get(AdditionalDocument, stored.id)
    assert dirty is not None and dirty.version > dirty.synced_version


def test_a_file_not_in_the_library_is_refused_on_the_document_field(account: Account) -> None:
    with pytest.raises(FieldInvalid) as refused:
        _add(account, name=NAME, part="professional", document_id="0123abcd")
    assert refused.value.field == "document_id"
    assert "нет в библиотеке" in refused.value.user_message
    assert listed(account, SECTION) == []


@pytest.mark.parametrize("name", ["Смирнов\u202eА.В.", "книжка\x1b[2J", "\u200b \u200b", "я" * 121])
def test_the_name_follows_the_text_rule_and_its_limit(
    account: Account, document: Document, name: str
) -> None:
    with pytest.raises(TextInvalid):
        _add(account, name=name, part="professional", document_id=document.id)
    assert listed(account, SECTION) == []


def test_a_name_of_120_characters_is_taken(account: Account, document: Document) -> None:
    assert len(_add(account, name="я" * 120, part="professional", document_id=document.id).name)


def test_one_file_once_per_part_but_in_both_parts(account: Account, document: Document) -> None:
    _add(account, name=NAME, part="professional", document_id=document.id)
    with pytest.raises(FieldInvalid) as refused:
        _add(account, name="Другое имя", part="professional", document_id=document.id)
    assert (
        refused.value.user_message == "Этот документ уже есть в части «Профессиональная» портфолио"
    )
    _add(account, name=NAME, part="educational", document_id=document.id)
    assert len(listed(account, SECTION)) == 2


def test_an_edit_is_checked_and_a_synced_item_leaves_a_tombstone(
    account: Account, document: Document
) -> None:
    row = _add(account, name=NAME, part="professional", document_id=document.id)
    with pytest.raises(FieldInvalid):
        update_row(account, SECTION, row.id, {"document_id": "ffffffff"})
    edited = update_row(account, SECTION, row.id, {"name": "Смирнов А.В. трудовая на 4 л."})
    assert edited.version == 2 and edited.document_id == document.id
    with account.store.write() as session:
        stored = session.get(AdditionalDocument, row.id)
        assert stored is not None
        stored.synced_version = stored.version
        session.add(stored)
    delete_row(account, SECTION, row.id)
    assert listed(account, SECTION) == []
    with account.store.read() as session:
        tombstone = session.get(AdditionalDocument, row.id)
    assert tombstone is not None and tombstone.deleted and tombstone.version == 3


def test_the_picker_offers_the_library_newest_first(account: Account, tmp_path: Path) -> None:
    first = import_file(account, make_pdf(tmp_path / "a.pdf", salt="a")).document
    second = import_file(account, make_pdf(tmp_path / "b.pdf", salt="b")).document
    with account.store.read() as session:
        choices = read_listing(session_connection(session), SECTION).library
    assert [c.id for c in choices] == [second.id, first.id]
    assert choices[0].label.startswith("b.pdf (")


def test_every_application_carries_the_portfolio_s_additional_documents(
    account: Account, document: Document
) -> None:
    _add(account, name=NAME, part="educational", document_id=document.id)
    app = new_application(account, specialty="Терапия", phone="+79161234567", email="a@b.ru")
    carried = stored_application(account, app.app.id).as_json()["portfolio"]
    assert carried == {
        "additional_documents": [
            {
                "id": listed(account, SECTION)[0].id,
                "name": NAME,
                "part": "educational",
                "part_label": "Образовательная",
                "document": {
                    "id": document.id,
                    "file_name": "книжка.pdf",
                    "size": document.size,
                    "sha256": document.sha256,
                },
            }
        ]
    }

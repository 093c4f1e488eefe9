"""The read model's portfolio and profile lists (model.store.reads.portfolio): each record
holds what was written, typed as the fields load it, at the row's version; tombstones and
deleted rows are not listed; the library files a row links are named."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from sqlmodel import select

from frmr.model.documents.library import import_file
from frmr.model.portfolio.collections import COLLECTIONS, collection, parse_values
from frmr.model.portfolio.edits import TABLES, add_row, delete_row, update_row
from frmr.model.portfolio.parts import PortfolioPart
from frmr.model.portfolio.row_kinds import AddressKind, EducationKind, PositionType
from frmr.model.store.account import Account
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads import read_store
from frmr.model.store.reads.portfolio import ListedRow, collection_rows, read_listing
from frmr.model.store.tables import Document
from tests.samples import make_pdf

# Every field of every list, typed as a person would.
TYPED: dict[str, dict[str, str]] = {
    "identity-documents": {
        "doc_type": "Паспорт гражданина РФ",
        "serial": "45 06",
        "number": "123456",
        "issue_date": "12.05.2010",
        "issuer": "ОВД «Тверской» г. Москвы",
        "division_code": "770001",
    },
    "addresses": {
        "kind": "Фактический адрес",
        "region": "Москва",
        "area": "Тверской",
        "city": "Москва",
        "street": "Тверская",
        "house": "1",
        "building": "2",
        "flat": "3",
        "fias_guid": "0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
    },
    "education": {
        "institution": "Первый МГМУ им. И.М. Сеченова",
        "kind": "postgraduate",
        "specialty": "Терапия",
        "qualification": "Врач-терапевт",
        "doc_serial": "0177",
        "doc_number": "0012345",
        "doc_date": "30.06.2012",
        "graduation_year": "2012",
    },
    "courses": {
        "theme": "Актуальные вопросы терапии",
        "kind": "dpp_pk",
        "hours": "144",
        "specialty": "Терапия",
        "institution": "РМАНПО",
        "begin_date": "01.03.2024",
        "end_date": "30.03.2024",
        "doc_number": "772400012345",
        "doc_date": "30.03.2024",
    },
    "certificates": {
        "number": "7722 031234567",
        "kind": "accreditation",
        "specialty_name": "Терапия",
        "specialty_code": "31.08.49",
        "pass_date": "01.03.2022",
        "end_date": "01.03.2027",
    },
    "employment": {
        "organization": "ГБУЗ ГКБ № 1",
        "position": "Врач-терапевт",
        "department": "Терапевтическое отделение",
        "position_type": "Совмещение",
        "rate": "0,5",
        "begin_date": "01.09.2015",
        "end_date": "31.08.2020",
    },
    "skills": {"name": "Ведение пациентов с ХСН", "description": "ЭхоКГ, титрация"},
}


def _read(account: Account, name: str) -> list[ListedRow]:
    with read_store(HomeLayout(account.home)) as read:
        return list(collection_rows(read.conn, name))


def test_each_record_holds_what_was_written_typed_as_its_fields_load_it(
    account: Account, tmp_path: Path
) -> None:
    document = import_file(account, make_pdf(tmp_path / "книжка.pdf", salt="book")).document
    typed = {
        **TYPED,
        # The file by the first characters of its id, as `frmr documents list` shows it.
        "additional-documents": {
            "name": "Смирнов А.В. трудовая книжка на 3 л.",
            "part": "professional",
            "document_id": document.id[:8],
        },
    }
    assert typed.keys() == COLLECTIONS.keys()
    for name, values in typed.items():
        written = add_row(account, name, values)
        (record,) = _read(account, name)
        expected = parse_values(collection(name), values)
        if name == "additional-documents":
            expected["document_id"] = document.id
        assert record.id == written.id
        assert record.version == written.version == 1
        assert dict(record.values) == expected
        # And as the ORM row holds them, type for type: what forms and lists take.
        for field in expected:
            assert type(getattr(record, field)) is type(getattr(written, field)), field
    (job,) = _read(account, "employment")
    assert (job.position_type, job.rate, job.end_date) == (
        PositionType.COMBINATION,
        0.5,
        date(2020, 8, 31),
    )
    (address,) = _read(account, "addresses")
    assert address.kind is AddressKind.ACTUAL
    (education,) = _read(account, "education")
    assert education.kind is EducationKind.POSTGRADUATE
    assert education.graduation_year == 2012
    (item,) = _read(account, "additional-documents")
    assert item.part is PortfolioPart.PROFESSIONAL


def test_an_edit_shows_at_its_new_version_and_deleted_rows_and_tombstones_are_not_listed(
    account: Account,
) -> None:
    kept, synced, fresh = (
        add_row(account, "skills", {"name": name}) for name in ("Первый", "Второй", "Третий")
    )
    update_row(account, "skills", kept.id, {"description": "изменено"}, if_version=1)
    # The registry has seen the second: its deletion leaves a tombstone to push.
    with account.store.write() as session:
        row = session.get(TABLES["skill"], synced.id)
        assert row is not None
        row.synced_version = row.version
        session.add(row)
    delete_row(account, "skills", synced.id)
    delete_row(account, "skills", fresh.id)
    with account.store.read() as session:
        tombstone = session.exec(select(TABLES["skill"]).where(TABLES["skill"].id == synced.id))
        assert tombstone.one().deleted
    (record,) = _read(account, "skills")
    assert (record.id, record.version) == (kept.id, 2)
    assert (record.name, record.description) == ("Первый", "изменено")


def test_rows_come_in_the_order_they_were_added(account: Account) -> None:
    names = [f"Навык {i}" for i in (3, 1, 2, 10)]
    for name in names:
        add_row(account, "skills", {"name": name})
    assert [r.name for r in _read(account, "skills")] == names


def test_a_listing_names_linked_files_tombstoned_or_not_and_offers_the_live_library(
    account: Account, tmp_path: Path
) -> None:
    old = import_file(account, make_pdf(tmp_path / "old.pdf", salt="old")).document
    new = import_file(account, make_pdf(tmp_path / "new.pdf", salt="new")).document
    add_row(
        account,
        "additional-documents",
        {"name": "Смирнов А.В. диплом на 2 л.", "part": "educational", "document_id": old.id},
    )
    with account.store.write() as session:
        gone = session.get(Document, old.id)
        assert gone is not None
        gone.deleted = True
        session.add(gone)
    with read_store(HomeLayout(account.home)) as read:
        listing = read_listing(read.conn, "additional-documents")
        assert read_listing(read.conn, "skills").library == []
    assert listing.linked == {old.id: "old.pdf"}
    assert [d.id for d in listing.library] == [new.id]


def test_a_list_reads_the_store_as_written_by_another_connection(account: Account) -> None:
    """No cache between the writer and the list: what another process commits is read."""
    add_row(account, "skills", {"name": "Первый"})
    other = sqlite3.connect(HomeLayout(account.home).database)
    with other:
        other.execute("UPDATE skill SET name = 'Изменён другим', version = version + 1")
    other.close()
    (record,) = _read(account, "skills")
    assert (record.name, record.version) == ("Изменён другим", 2)

"""The scan beside the fields: each value read keeps the page, the line it stands in and its
box on the page; the box, cut out of the page again, holds the value (Tesseract reads it
there a second time); a correction keeps where the value was read."""

from __future__ import annotations

import io
import json
import random
import stat
from pathlib import Path

import pytest
from PIL import Image

from frmr.model.documents.ocr.evidence import pictures
from frmr.model.documents.ocr.fields import recognise
from frmr.model.documents.ocr.reader import Reader, ReadText, find_tessdata
from frmr.model.portfolio.proposal_scans import write_scan
from frmr.model.portfolio.proposals import correct, queue_reading, record_reading
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.filetypes import FileKind, sniff
from frmr.model.store.account import Account
from frmr.model.store.tables import CourseProposal, Document
from tests.support.certificates import Generated, pk_document, turned_scan_read
from tests.support.portfolio_reads import proposals_of

FORMS = {"скан.png": FileKind.PNG, "скан.jpg": FileKind.JPEG, "скан.pdf": FileKind.PDF}


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(find_tessdata())


@pytest.fixture
def turned() -> tuple[Generated, ReadText]:
    """A generated scan lying on its side and askew, and its reading (read once a process:
    each read is seconds of OCR): its boxes are on the page as turned upright, not on the
    file as scanned."""
    return turned_scan_read()


@pytest.fixture
def turned_scan(turned: tuple[Generated, ReadText]) -> Generated:
    return turned[0]


@pytest.fixture
def turned_read(turned: tuple[Generated, ReadText]) -> ReadText:
    return turned[1]


def test_each_value_keeps_its_line_and_a_box_that_holds_it(
    reader: Reader, turned_scan: Generated, turned_read: ReadText
) -> None:
    found = recognise(turned_read)
    assert found is not None
    kind = FORMS[turned_scan.scan_name]
    for name in ("hours", "city", "date_to"):
        reading = found.fields[name]
        source = reading.source
        assert source is not None and source.page == 1, name
        # The value read is marked in the line it was read from.
        assert source.line[source.start : source.end].strip() == reading.raw, name
        assert source.box is not None and all(0 <= v <= 1 for v in source.box), name
        _page, cut = pictures(turned_scan.scan, kind, [source], cut=True)
        assert cut is not None, name
        again = reader.ocr(cut).text
        # A date's year is printed the same in either form the documents use.
        expected = turned_scan.fields[name][:4] if name == "date_to" else turned_scan.fields[name]
        assert expected in again, (name, again)


def test_a_text_pdf_value_keeps_its_line_and_shows_the_whole_page(reader: Reader) -> None:
    doc = pk_document(random.Random(3))
    found = recognise(reader.read(doc.pdf, FileKind.PDF, max_pages=2, max_seconds=30))
    assert found is not None
    hours = found.fields["hours"]
    assert hours.source is not None and hours.source.box is None
    assert hours.source.line[hours.source.start : hours.source.end] == doc.fields["hours"]
    page, cut = pictures(doc.pdf, FileKind.PDF, [hours.source], cut=True)
    assert cut is None
    # The page as rendered for reading, whole: A4 upright.
    assert page.height > page.width > 2000


def _store(account: Account, doc: Generated, tmp_path: Path, read: ReadText) -> str:
    path = tmp_path / doc.scan_name
    path.write_bytes(doc.scan)
    blob = account.store.blobs.put_file(path)
    kind = sniff(doc.scan[:64])
    assert kind is FORMS[doc.scan_name]
    with account.store.write() as session:
        document = Document(sha256=blob.sha256, size=blob.size, kind=kind, file_name=path.name)
        session.add(document)
        session.flush()
        document_id = document.id
        queue_reading(session, document_id)
    proposal = record_reading(account, document_id, read, recognise(read))
    assert proposal is not None
    return proposal.id


def test_a_corrected_field_keeps_where_it_was_read_and_the_json_says_it(
    account: Account, turned_read: ReadText, turned_scan: Generated, tmp_path: Path
) -> None:
    proposal_id = _store(account, turned_scan, tmp_path, turned_read)
    hours = turned_scan.fields["hours"]
    correct(account, proposal_id, {"hours": str(int(hours) + 1)})
    (proposal,) = proposals_of(account)
    field = proposal.field("hours")
    assert field is not None and field.corrected and field.value == str(int(hours) + 1)
    assert field.source is not None
    assert field.source.line[field.source.start : field.source.end] == hours
    shown = proposal.as_dict()["fields"]["hours"]
    assert shown["read_as"] == hours
    source = shown["source"]
    assert source["page"] == 1 and hours in source["line"]
    start, end = source["value_at"]
    assert source["line"][start:end] == hours


def test_the_scan_is_written_as_private_pictures_page_and_field(
    account: Account, reader: Reader, turned_read: ReadText, turned_scan: Generated, tmp_path: Path
) -> None:
    proposal_id = _store(account, turned_scan, tmp_path, turned_read)
    page, hours = write_scan(account, proposal_id[:8], "hours", tmp_path / "out")
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    with Image.open(page) as whole, Image.open(hours) as cut:
        # The page stands upright (the scan lay on its side) and the cut is a strip of it.
        assert whole.height > whole.width
        assert cut.width < whole.width and cut.height < whole.height / 10
        assert turned_scan.fields["hours"] in reader.ocr(cut.copy()).text
    with pytest.raises(FieldInvalid):
        write_scan(account, proposal_id, "height", tmp_path / "out")


def test_a_proposal_read_before_places_were_kept_still_gives_its_page(
    account: Account, turned_read: ReadText, turned_scan: Generated, tmp_path: Path
) -> None:
    proposal_id = _store(account, turned_scan, tmp_path, turned_read)
    with account.store.write() as session:
        row = session.get(CourseProposal, proposal_id)
        assert row is not None
        stored = json.loads(row.fields_json or "{}")
        for value in stored.values():
            value.pop("source", None)
        row.fields_json = json.dumps(stored, ensure_ascii=False)
        session.add(row)
    (proposal,) = proposals_of(account)
    hours = proposal.field("hours")
    assert hours is not None and hours.value == turned_scan.fields["hours"]
    assert hours.source is None
    # No place to outline or cut: the page as scanned, whole.
    (page,) = write_scan(account, proposal_id, "hours", tmp_path / "out")
    with Image.open(page) as whole, Image.open(io.BytesIO(turned_scan.scan)) as scanned:
        assert whole.size == scanned.size

"""Reading training documents: fields from a text PDF and a scan, the page and time caps,
and a proposal that becomes a course only when confirmed."""

from __future__ import annotations

import io
import random
import subprocess
import sys

import img2pdf
import pytest

from frmr.model.documents.ocr.fields import recognise
from frmr.model.documents.ocr.reader import Reader, ReadStep, find_tessdata
from frmr.model.portfolio.proposals import (
    confirm,
    correct,
    dismiss,
    find_proposal,
    queue_reading,
    record_failure,
    record_reading,
)
from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.rules.filetypes import FileKind
from frmr.model.store.account import Account
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads import read_store
from frmr.model.store.reads.proposals import queued_readings
from frmr.model.store.tables import CourseProposal, Document
from tests.support.certificates import nmo_document, pk_document, turned_scan_read
from tests.support.portfolio_reads import listed, proposals_of


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(find_tessdata())


def test_text_pdf_is_read_from_its_text_layer_without_ocr(reader: Reader) -> None:
    doc = pk_document(random.Random(3))
    read = reader.read(doc.pdf, FileKind.PDF, max_pages=4, max_seconds=30)
    assert not read.ocr
    found = recognise(read)
    assert found is not None and found.kind == "pk" and found.course_kind == "dpp_pk"
    for name, value in doc.fields.items():
        assert found.value(name) == value, name
        assert found.fields[name].confidence == 1.0


def test_nmo_certificate_gives_zet_number_date_and_its_kind(reader: Reader) -> None:
    doc = nmo_document(random.Random(4))
    found = recognise(reader.read(doc.pdf, FileKind.PDF, max_pages=4, max_seconds=30))
    assert found is not None and found.kind == "nmo"
    assert found.course_kind == doc.fields["kind"]
    for name in ("zet", "activity_number", "date", "programme", "organisation"):
        assert found.value(name) == doc.fields[name], name


def test_a_scan_turned_on_its_side_and_askew_is_read() -> None:
    # A generated scan lying on its side, skewed by 2.5°, as Reader.read read it.
    doc, read = turned_scan_read()
    assert read.ocr and read.pages[0].turned in (90, 270)
    found = recognise(read)
    assert found is not None
    assert found.value("hours") == doc.fields["hours"]
    assert found.value("date_from") == doc.fields["date_from"]
    assert 0 < found.fields["hours"].confidence <= 1


def test_the_page_cap_stops_the_reading_and_says_so(reader: Reader) -> None:
    from PIL import Image

    blank = io.BytesIO()
    Image.new("L", (400, 560), 255).save(blank, "PNG")
    pdf = img2pdf.convert([blank.getvalue()] * 5)
    steps: list[ReadStep] = []
    read = reader.read(pdf, FileKind.PDF, max_pages=2, max_seconds=60, progress=steps.append)
    assert (len(read.pages), read.page_count, read.cut) == (2, 5, "pages")
    assert steps == [ReadStep(1, 2), ReadStep(2, 2)]
    # A blank page is read as no text, and left level: no skew is found where there is no
    # line to find it by.
    assert [(page.ocr, page.text.strip(), page.skew) for page in read.pages] == [(True, "", 0)] * 2


def test_the_time_cap_stops_the_reading_after_the_page_under_way(reader: Reader) -> None:
    scan, _read = turned_scan_read()
    page = img2pdf.convert(scan.scan)
    from pikepdf import Pdf

    merged = Pdf.new()
    for _ in range(3):
        merged.pages.extend(Pdf.open(io.BytesIO(page)).pages)
    out = io.BytesIO()
    merged.save(out)
    # A cap no page can be read within: the first page is cut by Tesseract's own deadline or
    # read, and no further page is begun.
    read = reader.read(out.getvalue(), FileKind.PDF, max_pages=10, max_seconds=0.01)
    assert read.cut == "time"
    assert len(read.pages) <= 1


def _proposal(account: Account, reader: Reader) -> tuple[str, dict[str, str]]:
    doc = pk_document(random.Random(12))
    read = reader.read(doc.pdf, FileKind.PDF, max_pages=4, max_seconds=30)
    with account.store.write() as session:
        document = Document(sha256="0" * 64, size=1, kind=FileKind.PDF, file_name="у.pdf")
        session.add(document)
        session.flush()
        document_id = document.id
        assert queue_reading(session, document_id)
        assert not queue_reading(session, document_id)
    proposal = record_reading(account, document_id, read, recognise(read))
    assert proposal is not None
    return proposal.id, doc.fields


_QUEUE_ELSEWHERE = """
from frmr.model.portfolio.proposals import queue_reading
from frmr.model.rules.filetypes import FileKind
from frmr.model.store.account import open_account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import CourseProposal, Document

with open_account(load_settings()) as account, account.store.write() as session:
    document = Document(sha256="3" * 64, size=1, kind=FileKind.PDF, file_name="в.pdf")
    session.add(document)
    session.flush()
    queue_reading(session, document.id)
    print(document.id)
"""


def test_the_queue_a_daemon_resumes_is_what_waits_oldest_first(account: Account) -> None:
    def queued() -> list[str]:
        with read_store(HomeLayout(account.home)) as read:
            return queued_readings(read.conn)

    ids = []
    for n in range(2):
        with account.store.write() as session:
            document = Document(sha256=str(n) * 64, size=1, kind=FileKind.PDF, file_name="у.pdf")
            session.add(document)
            session.flush()
            ids.append(document.id)
            queue_reading(session, document.id)
    assert queued() == ids
    record_failure(account, ids[0], "файл повреждён")
    # Queued by another process (the daemon's intake): waiting after the one before it.
    elsewhere = subprocess.run(
        [sys.executable, "-c", _QUEUE_ELSEWHERE],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    assert queued() == [ids[1], elsewhere]


def test_a_proposal_is_found_by_its_id_s_start_with_its_live_document(account: Account) -> None:
    for n in (1, 2):
        with account.store.write() as session:
            document = Document(
                sha256=str(n) * 64, size=n, kind=FileKind.JPEG, file_name=f"{n}.jpg"
            )
            session.add(document)
            session.flush()
            session.add(CourseProposal(id=f"abc-{n}", document_id=document.id))
    proposal, document = find_proposal(account, " abc-2 ")
    assert (proposal.id, proposal.file_name, proposal.status) == ("abc-2", "2.jpg", "queued")
    assert (document.sha256, document.kind, document.size) == ("2" * 64, FileKind.JPEG, 2)
    for ref, said in (("abc", "нескольким"), ("abd", "не найдено"), ("", "нескольким")):
        with pytest.raises(NotFound) as error:
            find_proposal(account, ref)
        assert said in error.value.user_message
    with account.store.write() as session:
        gone = session.get(Document, document.id)
        assert gone is not None
        gone.deleted = True
        session.add(gone)
    with pytest.raises(NotFound) as error:
        find_proposal(account, "abc-2")
    assert error.value.user_message == "Документ удалён"


def test_a_proposal_is_no_course_until_confirmed(account: Account, reader: Reader) -> None:
    proposal_id, fields = _proposal(account, reader)
    assert listed(account, "courses") == []
    with pytest.raises(FieldInvalid) as bad:
        correct(account, proposal_id[:8], {"hours": "сто"})
    assert bad.value.field == "hours"
    correct(account, proposal_id[:8], {"hours": "36", "date_to": "30.06.2024"})
    (shown,) = proposals_of(account)
    hours = shown.field("hours")
    assert hours is not None and hours.corrected and hours.value == "36"
    course_id = confirm(account, proposal_id, {"specialty": "Терапия"})
    (course,) = listed(account, "courses")
    assert course.id == course_id
    assert (course.hours, course.theme, course.specialty) == (36, fields["programme"], "Терапия")
    assert proposals_of(account) == []
    with pytest.raises(FieldInvalid):
        dismiss(account, proposal_id)

"""A scanned удостоверение dropped into a running daemon's folder becomes a proposed course;
readiness counts its hours only once the doctor confirms it through the CLI."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pikepdf import Pdf
from sqlmodel import col, select

from frmr.daemon.protocol import ReadingProgress
from frmr.model.documents.library import list_documents
from frmr.model.portfolio.edits import add_row
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import CourseProposal, Document
from tests.samples import make_pdf
from tests.support.certificates import pk_document, scan_of
from tests.support.daemon_process import DaemonProcess, wait_for

pytestmark = pytest.mark.real_process

SPECIALTY = "Терапия"


def frmr(*args: str, codes: tuple[int, ...] = (0,)) -> str:
    """The `frmr` command as the doctor runs it, in its own process."""
    frmr_bin = Path(sys.executable).with_name("frmr")
    done = subprocess.run(
        [str(frmr_bin), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
        check=False,
    )
    assert done.returncode in codes, done.stderr
    return done.stdout


def therapy_hours() -> dict[str, Any]:
    # Exit 1: not ready (the rest of the portfolio is empty), which is true here.
    readiness = json.loads(frmr("readiness", "--json", codes=(0, 1)))
    (therapy,) = [s for s in readiness["specialties"] if s["specialty"] == SPECIALTY]
    hours: dict[str, Any] = therapy["hours"]
    return hours


def _read(account: Account) -> list[CourseProposal]:
    """The proposals the daemon has read (its reading's own commit, polled in the store: the
    `frmr` the doctor runs then shows them, once, instead of a process every half second)."""
    with account.store.read() as session:
        return list(
            session.exec(select(CourseProposal).where(col(CourseProposal.status) != "queued")).all()
        )


def test_dropped_scan_is_proposed_and_counts_only_once_confirmed(
    account: Account, tmp_path: Path
) -> None:
    add_row(
        account,
        "certificates",
        {
            "number": "7724",
            "kind": "accreditation",
            "specialty_name": SPECIALTY,
            "pass_date": "01.03.2022",
        },
    )
    rng = random.Random(7)
    doc = pk_document(rng)
    # Hours the test can tell from anything else in the portfolio, and a period inside the
    # reporting period (from the accreditation on).
    doc = scan_of(doc, rng, dpi=200)
    expected = doc.fields
    assert expected["date_from"] > "2022-03-01"
    daemon = DaemonProcess(load_settings())
    try:
        daemon.start()
        (account.documents_dir / f"удостоверение {doc.scan_name}").write_bytes(doc.scan)

        wait_for(lambda: _read(account), timeout=120)
        (proposal,) = json.loads(frmr("portfolio", "proposals", "--json"))
        fields = proposal["fields"]
        assert proposal["document_type"] == "pk"
        assert proposal["course_kind"] == "dpp_pk"
        assert fields["hours"]["value"] == expected["hours"]
        assert fields["date_from"]["value"] == expected["date_from"]
        assert fields["date_to"]["value"] == expected["date_to"]
        assert fields["programme"]["value"] == expected["programme"]
        assert 0 < fields["hours"]["confidence"] <= 1
        # The one specialty of the portfolio is offered, as a guess to confirm.
        assert fields["specialty"] == {
            "label": "Специальность",
            "value": SPECIALTY,
            "confidence": 0.5,
            "corrected": False,
            "read_as": "из портфолио",
            "source": None,
        }
        # Each value read says where: the page, the scan's line with the value in it.
        for name in ("hours", "date_to", "programme"):
            source = fields[name]["source"]
            start, end = source["value_at"]
            assert source["page"] == 1
            assert source["line"][start:end].strip() == fields[name]["read_as"], name
        hours_at = fields["hours"]["source"]
        assert hours_at["line"][slice(*hours_at["value_at"])] == expected["hours"]
        listed = frmr("portfolio", "proposals")
        assert f"скан, стр. 1: {hours_at['line'][: hours_at['value_at'][0]]}" in listed
        assert f"[{expected['hours']}]" in listed
        # The pictures of the scan, where the doctor asks for them.
        pictures = frmr(
            "portfolio", "proposals", "scan", proposal["id"][:8], "hours", "--folder", str(tmp_path)
        ).split()
        assert [Path(p).parent for p in pictures] == [tmp_path, tmp_path]
        assert all(Path(p).read_bytes().startswith(b"\x89PNG") for p in pictures)

        # A proposal is not a course: readiness has not counted it.
        before = therapy_hours()
        assert before["pk"] == 0
        assert before["courses"] == []

        out = frmr("portfolio", "proposals", "confirm", proposal["id"][:8])
        assert out.startswith("Курс добавлен в портфолио")
        after = therapy_hours()
        assert after["pk"] == int(expected["hours"])
        (course,) = after["courses"]
        assert course["counts"] is True
        assert course["completed"] == expected["date_to"]
        assert json.loads(frmr("portfolio", "proposals", "--json")) == []
        (done,) = json.loads(frmr("portfolio", "proposals", "--all", "--json"))
        assert done["status"] == "confirmed"
        assert done["course_id"] == course["id"]
        assert daemon.terminate(timeout=5) == 0
    finally:
        daemon.kill()


def _scan_pages(count: int) -> bytes:
    """An image PDF of `count` scanned pages: an удостоверение and blank backs."""
    rng = random.Random(9)
    first = scan_of(pk_document(rng), rng, dpi=150)
    while not first.scan_name.endswith(".pdf"):
        first = scan_of(pk_document(rng), rng, dpi=150)
    merged = Pdf.open(io.BytesIO(first.scan))
    for _ in range(count - 1):
        merged.pages.extend(Pdf.open(io.BytesIO(first.scan)).pages)
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def _status_of(account: Account, file_name: str) -> str:
    with account.store.read() as session:
        (status,) = session.exec(
            select(CourseProposal.status)
            .join(Document, col(Document.id) == col(CourseProposal.document_id))
            .where(Document.file_name == file_name)
        ).all()
        return status.value


def test_reading_never_holds_intake_and_survives_a_stop(account: Account) -> None:
    settings = load_settings()
    daemon = DaemonProcess(settings, env={"FRMR_READ_MAX_PAGES": "3"})
    try:
        daemon.start()
        (account.documents_dir / "удостоверение.pdf").write_bytes(_scan_pages(4))

        def reading() -> ReadingProgress | None:
            status = daemon.status()
            return status.reading if status is not None else None

        progress = wait_for(reading, timeout=120, step=0.05)
        assert progress.pages == 3  # the page cap, not the document's 4
        assert progress.message.startswith("Чтение: удостоверение.pdf, стр. ")
        # A file dropped while the worker reads is taken at once, the reading still going.
        make_pdf(account.documents_dir / "диплом.pdf")
        wait_for(lambda: len(list_documents(account)) == 2, timeout=30)
        assert reading() is not None

        # SIGTERM mid-read: the daemon ends within its 5 s, the document stays queued.
        assert daemon.terminate(timeout=5) == 0
        assert _status_of(account, "удостоверение.pdf") == "queued"

        daemon.start()
        wait_for(lambda: _read(account), timeout=180)
        (proposal,) = json.loads(frmr("portfolio", "proposals", "--json"))
        assert (proposal["pages_read"], proposal["page_count"], proposal["cut"]) == (3, 4, "pages")
        out = frmr("portfolio", "proposals")
        assert "Внимание: прочитаны первые 3 стр. из 4" in out
        assert daemon.terminate(timeout=5) == 0
    finally:
        daemon.kill()


def test_a_library_document_never_queued_is_read_at_the_next_start(
    account: Account, tmp_path: Path
) -> None:
    """The import's commit and the reading's queueing are two commits: a daemon killed between
    them (or a library filled before documents were read) leaves a document no one reads.
    The next start finds it; a document of an application's folder stays unread."""
    from frmr.model.applications.lifecycle import new_application
    from frmr.model.documents.library import attach_files, import_file

    rng = random.Random(11)
    doc = scan_of(pk_document(rng), rng, dpi=200)
    path = tmp_path / f"удостоверение {doc.scan_name}"
    path.write_bytes(doc.scan)
    imported = import_file(account, path)
    other = make_pdf(tmp_path / "справка.pdf")
    app = new_application(
        account, specialty=SPECIALTY, phone="+7 912 345-67-89", email="doctor@example.ru"
    )
    attach_files(account, app.app.id, [other])
    with account.store.read() as session:
        assert session.exec(select(CourseProposal)).all() == []

    daemon = DaemonProcess(load_settings())
    try:
        daemon.start()
        (proposal,) = wait_for(lambda: _read(account), timeout=120)
        assert proposal.document_id == imported.document.id
        assert proposal.status.value == "proposed"
        assert daemon.terminate(timeout=5) == 0
    finally:
        daemon.kill()

"""The daemon packs what the limits would refuse: a big scan, one photo too many."""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path
from typing import Any

import pikepdf
from sqlmodel import select

from frmr.daemon.intake import Intake
from frmr.daemon.packing import MAX_ATTEMPTS, AutoPacker
from frmr.model.documents.library import list_documents
from frmr.model.documents.packing import PackProfile
from frmr.model.documents.packing.naming import DEFAULT_NAME_TEMPLATE
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.store.account import Account
from frmr.model.store.tables import PackJob
from tests.daemon.test_intake import Recorder, drain, new_app, reason_of
from tests.support.documents import jpeg_bytes, page_image, scan_page, scanned_pdf, text_pdf
from tests.support.reads import stored_application, stored_history


def _packer(account: Account, events: Recorder) -> AutoPacker:
    return AutoPacker(account, template=DEFAULT_NAME_TEMPLATE, profile=PackProfile(), emit=events)


def _blob(account: Account, sha256: str) -> bytes:
    return account.store.blobs.path_for(sha256).read_bytes()


def test_a_25_mb_scan_is_attached_packed_and_its_original_kept(account: Account) -> None:
    events = Recorder()
    packer = _packer(account, events)
    intake = Intake(account, settle_seconds=0.0, emit=events, packer=packer)
    app_id, folder = new_app(account)
    # 16 pages of 1.6 MB: the 25 MB book.
    pages = [scan_page(s) for s in range(2)]
    scan = scanned_pdf(pages * 8, 300)
    assert len(scan) > 2 * MAX_TOTAL_BYTES
    (folder / "трудовая книжка.pdf").write_bytes(scan)
    # Dropped with it: a small text PDF, which can't shrink and needs no packing.
    (folder / "заявление.pdf").write_bytes(text_pdf(["zayavlenie"]))
    drain(intake)
    packer.drain()
    packer.close()
    intake.close()

    documents = stored_application(account, app_id).documents
    (attached,) = [d for d in documents if d.file_name != "заявление.pdf"]
    assert sorted(d.file_name for d in documents) == ["заявление.pdf", attached.file_name]
    assert sum(d.size for d in documents) <= MAX_TOTAL_BYTES
    assert attached.file_name == "трудовая книжка на 16 л.pdf"
    with pikepdf.open(io.BytesIO(_blob(account, attached.sha256))) as pdf:
        assert len(pdf.pages) == 16
    # The original stays in the library, byte for byte, and in its folder.
    originals = [d for d in list_documents(account) if d.file_name == "трудовая книжка.pdf"]
    assert [d.size for d in originals] == [len(scan)]
    assert _blob(account, originals[0].sha256) == scan
    assert (folder / "трудовая книжка.pdf").read_bytes() == scan
    reasons = [e.reason for e in stored_history(account, app_id) if e.reason]
    assert any(r.endswith(", 150 dpi") and "сжато: " in r for r in reasons), reasons
    assert [e for e, _ in events.events if e.startswith("file_pack")] == [
        "file_packing",
        "file_packed",
    ]


def _photos(folder: Path) -> None:
    for page in range(1, 7):
        photo = page_image(60, seed=page, colour=True)
        (folder / f"паспорт {page}.jpg").write_bytes(jpeg_bytes(photo, quality=90))


def test_six_page_photos_become_one_attachment(account: Account) -> None:
    events = Recorder()
    packer = _packer(account, events)
    intake = Intake(account, settle_seconds=0.0, emit=events, packer=packer)
    app_id, folder = new_app(account)
    _photos(folder)
    drain(intake)
    packer.drain()
    packer.close()
    intake.close()

    (attached,) = stored_application(account, app_id).documents
    assert attached.file_name == "паспорт на 6 л.pdf"
    with pikepdf.open(io.BytesIO(_blob(account, attached.sha256))) as pdf:
        assert len(pdf.pages) == 6
    assert len(list_documents(account)) == 7
    assert not account.rejected_dir.exists() or not any(account.rejected_dir.iterdir())
    reasons = [e.reason or "" for e in stored_history(account, app_id)]
    assert any("объединено файлов: 6" in r for r in reasons), reasons


def test_without_auto_pack_the_sixth_photo_is_refused(account: Account) -> None:
    intake = Intake(account, settle_seconds=0.0, emit=Recorder())
    app_id, folder = new_app(account)
    _photos(folder)
    drain(intake)
    intake.close()
    assert len(stored_application(account, app_id).documents) == 5
    # Which photo is the sixth depends on the order they settled in.
    (note,) = account.rejected_dir.glob("*.причина.txt")
    assert "не более 5 файлов" in note.read_text(encoding="utf-8")


def _unshrinkable_pdf() -> bytes:
    """A text page carrying 11 MiB of data no image re-encoding can touch (a form's
    stream of random bytes): what the packer must refuse rather than damage."""
    pdf = pikepdf.open(io.BytesIO(text_pdf(["big"])))
    blob = pdf.make_stream(b"")
    # Deflate's stored blocks: what a compressor makes of random bytes, at no cost to make.
    noise = os.urandom(MAX_TOTAL_BYTES + MAX_TOTAL_BYTES // 10)
    blob.write(zlib.compress(noise, 0), filter=pikepdf.Name.FlateDecode)
    blob.Type = pikepdf.Name.XObject
    blob.Subtype = pikepdf.Name.Form
    blob.BBox = [0, 0, 1, 1]
    pdf.pages[0].obj.Resources.XObject = pikepdf.Dictionary(Big=blob)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_what_cannot_fit_at_the_floor_is_refused_with_the_size_reached(
    account: Account,
) -> None:
    events = Recorder()
    packer = _packer(account, events)
    intake = Intake(account, settle_seconds=0.0, emit=events, packer=packer)
    app_id, folder = new_app(account)
    (folder / "архив.pdf").write_bytes(_unshrinkable_pdf())
    drain(intake)
    packer.drain()
    packer.close()
    intake.close()
    assert stored_application(account, app_id).documents == []
    reason = reason_of(account, "архив.pdf")
    assert "«архив» не уместить в 10 МБ: даже при 150 dpi получается 11 МБ" in reason
    # The file stays in the library: it can still be split and attached by hand.
    assert len(list_documents(account)) == 1


def _scan(pages: int) -> bytes:
    """``pages`` scanned pages of 1.6 MB: eight are 12.8 MB, over the application's 10 MiB."""
    images = [scan_page(s) for s in range(2)]
    scan = scanned_pdf((images * pages)[:pages], 300)
    assert len(scan) > MAX_TOTAL_BYTES
    return scan


def _queued(account: Account) -> list[PackJob]:
    with account.store.read() as session:
        return list(session.exec(select(PackJob)).all())


def test_a_packing_queued_by_a_stopped_daemon_is_done_at_the_next_start(
    account: Account,
) -> None:
    events = Recorder()
    stopped = _packer(account, events)
    stopped.close()  # stopped before it packed anything: the intake still takes the file
    intake = Intake(account, settle_seconds=0.0, emit=events, packer=stopped)
    app_id, folder = new_app(account)
    (folder / "трудовая книжка.pdf").write_bytes(_scan(8))
    drain(intake)
    intake.close()
    assert stored_application(account, app_id).documents == []
    (job,) = _queued(account)
    assert job.application_id == app_id and job.attempts == 0

    later = _packer(account, events)
    assert later.resume() == 1
    later.drain()
    later.close()
    (attached,) = stored_application(account, app_id).documents
    assert attached.file_name == "трудовая книжка на 8 л.pdf"
    assert _queued(account) == []


def test_a_packing_stopped_mid_way_stays_queued_and_reports_its_pages(
    account: Account,
) -> None:
    events = Recorder()
    packer = _packer(account, events)

    def stop_after_a_page(event: str, fields: dict[str, Any]) -> None:
        events(event, fields)
        if event == "pack_progress" and fields["page"] >= 1:
            packer.stop()  # what SIGTERM does, seen from the packing thread

    packer.emit = stop_after_a_page
    intake = Intake(account, settle_seconds=0.0, emit=events, packer=packer)
    app_id, folder = new_app(account)
    (folder / "скан.pdf").write_bytes(_scan(8))
    drain(intake)
    packer.drain()
    packer.close()
    intake.close()

    progress = [f for e, f in events.events if e == "pack_progress"]
    assert progress and progress[0]["message"].startswith("Сжатие: скан.pdf, стр. ")
    assert progress[-1]["page"] < progress[-1]["pages"] == 8
    assert packer.status() is None
    assert stored_application(account, app_id).documents == []
    # Stopped on purpose: the begun packing does not count against the file.
    (job,) = _queued(account)
    assert job.attempts == 0


def test_a_file_whose_packing_never_ends_is_refused_after_the_attempts(
    account: Account,
) -> None:
    stopped = _packer(account, Recorder())
    stopped.close()
    intake = Intake(account, settle_seconds=0.0, emit=Recorder(), packer=stopped)
    app_id, folder = new_app(account)
    (folder / "скан.pdf").write_bytes(_scan(8))
    drain(intake)
    intake.close()
    with account.store.write() as session:
        (job,) = session.exec(select(PackJob)).all()
        job.attempts = MAX_ATTEMPTS  # begun that often, the daemon killed each time
        session.add(job)

    packer = _packer(account, Recorder())
    packer.resume()
    packer.drain()
    packer.close()
    assert stored_application(account, app_id).documents == []
    assert _queued(account) == []
    assert "обработка прерывалась 3 раза" in reason_of(account, "скан.pdf")
    assert len(list_documents(account)) == 1  # kept in the library

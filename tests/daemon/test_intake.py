"""Intake of the watched folder, driven directly with real files and a settle window of 0."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from frmr.daemon.intake import Intake
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import list_documents
from frmr.model.store.account import Account
from frmr.model.store.tables import RejectedFile
from tests.samples import ELF_HEAD, make_file, make_pdf, pdf_bytes, png_bytes
from tests.support.reads import stored_application


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, event: str, fields: dict[str, Any]) -> None:
        self.events.append((event, fields))


@pytest.fixture
def intake(account: Account) -> Intake:
    return Intake(account, settle_seconds=0.0, emit=Recorder())


def drain(intake: Intake) -> None:
    intake.rescan()
    intake.process_due()


def reason_of(account: Account, name: str) -> str:
    return (account.rejected_dir / f"{name}.причина.txt").read_text(encoding="utf-8")


def new_app(account: Account) -> tuple[str, Path]:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    return view.app.id, Path(view.folder)


def test_file_in_root_joins_the_library_once(account: Account, intake: Intake) -> None:
    make_pdf(account.documents_dir / "diploma.pdf")
    drain(intake)
    drain(intake)
    shutil.copy(account.documents_dir / "diploma.pdf", account.documents_dir / "copy.pdf")
    drain(intake)
    assert [d.file_name for d in list_documents(account)] == ["diploma.pdf"]
    assert (account.documents_dir / "diploma.pdf").exists()  # the user's file stays


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("virus.pdf", lambda p: make_file(p, ELF_HEAD, 100), "только PDF, JPEG и PNG"),
        ("empty.pdf", lambda p: p.write_bytes(b""), "пустой"),
        ("huge.pdf", lambda p: make_pdf(p, size=10 * 1024 * 1024 + 1), "Ошибка валидации"),
    ],
)
def test_bad_file_is_refused_with_reason_and_bytes_intact(
    account: Account, intake: Intake, name: str, make: Any, expected: str
) -> None:
    path = account.documents_dir / name
    make(path)
    original = path.read_bytes()
    drain(intake)
    assert not path.exists()
    assert (account.rejected_dir / name).read_bytes() == original
    reason = reason_of(account, name)
    assert expected in reason and "Что сделать:" in reason
    with account.store.read() as session:
        assert session.exec(select(RejectedFile.file_name)).all() == [name]


def test_symlink_is_refused(account: Account, intake: Intake, tmp_path: Path) -> None:
    target = make_pdf(tmp_path / "outside.pdf")
    (account.documents_dir / "link.pdf").symlink_to(target)
    drain(intake)
    assert (account.rejected_dir / "link.pdf").is_symlink()
    assert "ссылка" in reason_of(account, "link.pdf")
    assert target.exists()


def test_subfolder_inside_application_folder_is_refused(account: Account, intake: Intake) -> None:
    _, folder = new_app(account)
    (folder / "more").mkdir()
    make_pdf(folder / "more" / "a.pdf")
    drain(intake)
    assert (account.rejected_dir / "more" / "a.pdf").exists()
    assert "вложенных папок" in reason_of(account, "more")


def test_temp_names_are_ignored(account: Account, intake: Intake) -> None:
    # rsync's `.name.XXXXXX` is held, not ignored: test_intake_special, test_intake_transfers.
    for name in ("scan.pdf.part", "scan.crdownload", "x.tmp", "~$doc.pdf"):
        make_pdf(account.documents_dir / name)
    drain(intake)
    assert list_documents(account) == []
    assert not account.rejected_dir.exists() or not any(account.rejected_dir.iterdir())


def test_rsync_style_temp_then_rename_is_imported_once(account: Account, intake: Intake) -> None:
    temp = account.documents_dir / ".report.pdf.a1B2c3"
    make_pdf(temp, size=100_000)
    intake.hint(temp)
    intake.process_due()
    final = account.documents_dir / "report.pdf"
    os.rename(temp, final)
    intake.hint(temp, deleted=True)
    intake.hint(final)
    intake.process_due()
    drain(intake)
    assert [d.file_name for d in list_documents(account)] == ["report.pdf"]


def test_slow_chunked_copy_is_taken_only_when_complete(account: Account) -> None:
    clock = [0.0]
    intake = Intake(account, settle_seconds=1.0, emit=Recorder(), clock=lambda: clock[0])
    path = account.documents_dir / "slow.pdf"
    whole = pdf_bytes(250_000, "slow")
    with path.open("wb") as out:
        for i in range(5):
            out.write(whole[i * 50_000 : (i + 1) * 50_000])
            out.flush()
            os.utime(path, ns=(int(clock[0] * 1e9) + 1, int(clock[0] * 1e9) + 1))
            intake.hint(path)
            clock[0] += 0.5
            assert intake.process_due() == 0
    intake.hint(path)
    clock[0] += 1.0
    assert intake.process_due() == 1
    documents = list_documents(account)
    assert [d.size for d in documents] == [path.stat().st_size]


def test_two_hundred_files_at_once_are_all_accounted_for(account: Account, intake: Intake) -> None:
    for i in range(190):
        make_pdf(account.documents_dir / f"f{i:03}.pdf", salt=f"{i:03}x")
    for i in range(10):
        make_file(account.documents_dir / f"bad{i}.pdf", ELF_HEAD, 64)
    drain(intake)
    assert len(list_documents(account)) == 190
    assert len([p for p in account.rejected_dir.iterdir() if p.suffix == ".pdf"]) == 10


def test_sixth_file_is_rejected_with_reason(account: Account, intake: Intake) -> None:
    app_id, folder = new_app(account)
    for i in range(5):
        make_pdf(folder / f"{i}.pdf", salt=f"{i}x")
    drain(intake)
    (folder / "sixth.png").write_bytes(png_bytes("sixth"))
    drain(intake)
    assert len(stored_application(account, app_id).documents) == 5
    assert "не более 5 файлов" in reason_of(account, "sixth.png")


def test_deleting_a_file_detaches_it_but_a_vanished_folder_detaches_nothing(
    account: Account, intake: Intake
) -> None:
    app_id, folder = new_app(account)
    make_pdf(folder / "a.pdf")
    make_pdf(folder / "b.pdf")
    drain(intake)
    (folder / "a.pdf").unlink()
    intake.hint(folder / "a.pdf", deleted=True)
    intake.process_due()
    assert [d.file_name for d in stored_application(account, app_id).documents] == ["b.pdf"]
    assert {d.file_name for d in list_documents(account)} == {"a.pdf", "b.pdf"}

    shutil.rmtree(folder)
    intake.hint(folder / "b.pdf", deleted=True)
    intake.process_due()
    assert [d.file_name for d in stored_application(account, app_id).documents] == ["b.pdf"]


def test_file_dropped_into_a_filed_application_is_refused_with_reason(
    account: Account, intake: Intake
) -> None:
    app_id, folder = new_app(account)
    with account.store.write() as session:
        from frmr.model.rules.statuses import ApplicationStatus
        from frmr.model.store.tables import Application

        app = session.get(Application, app_id)
        assert app is not None
        app.status = ApplicationStatus.UNDER_REVIEW
        session.add(app)
    make_pdf(folder / "late.pdf")
    drain(intake)
    assert stored_application(account, app_id).documents == []
    assert not (folder / "late.pdf").exists()
    assert "создайте новое заявление" in reason_of(account, "late.pdf")


def test_sixth_file_in_the_same_batch_is_refused_with_reason(
    account: Account, intake: Intake
) -> None:
    app_id, folder = new_app(account)
    for i in range(6):
        make_pdf(folder / f"{i}.pdf", salt=f"{i}y")
    drain(intake)
    attached = stored_application(account, app_id).documents
    assert len(attached) == 5
    refused = [p.name for p in account.rejected_dir.iterdir() if p.suffix == ".pdf"]
    assert len(refused) == 1
    assert "не более 5 файлов" in reason_of(account, refused[0])
    with account.store.read() as session:
        rows = session.exec(select(RejectedFile)).all()
    assert [r.application_id for r in rows] == [app_id]


def test_total_size_is_counted_across_the_batch(account: Account, intake: Intake) -> None:
    app_id, folder = new_app(account)
    for i in range(3):
        make_pdf(folder / f"{i}.pdf", size=4 * 1024 * 1024, salt=f"{i}z")
    drain(intake)
    assert len(stored_application(account, app_id).documents) == 2
    refused = [p.name for p in account.rejected_dir.iterdir() if p.suffix == ".pdf"]
    assert len(refused) == 1
    assert "общий размер" in reason_of(account, refused[0])


def test_same_content_twice_in_a_batch_is_one_document_attached_once(
    account: Account, intake: Intake
) -> None:
    app_id, folder = new_app(account)
    make_pdf(folder / "a.pdf", salt="same")
    make_pdf(folder / "b.pdf", salt="same")
    make_pdf(account.documents_dir / "c.pdf", salt="same")
    drain(intake)
    assert len(list_documents(account)) == 1
    assert len(stored_application(account, app_id).documents) == 1
    assert not account.rejected_dir.exists()
    blobs = [p for p in account.store.blobs.root.rglob("*") if p.is_file()]
    assert len(blobs) == 1  # no temp copy left behind


def test_a_batch_takes_one_write_transaction(account: Account, intake: Intake) -> None:
    for i in range(20):
        make_pdf(account.documents_dir / f"f{i}.pdf", salt=f"{i}w")
    make_file(account.documents_dir / "bad.pdf", ELF_HEAD, 64)
    commits: list[object] = []
    event.listen(account.store.engine, "commit", commits.append)
    drain(intake)
    assert len(commits) == 1
    assert len(list_documents(account)) == 20
    with account.store.read() as session:
        assert session.exec(select(RejectedFile.file_name)).all() == ["bad.pdf"]


def test_rescan_at_start_detaches_files_deleted_while_down(account: Account) -> None:
    app_id, folder = new_app(account)
    make_pdf(folder / "a.pdf")
    make_pdf(folder / "b.pdf")
    drain(Intake(account, settle_seconds=0.0, emit=Recorder()))
    (folder / "a.pdf").unlink()  # the daemon is down
    restarted = Intake(account, settle_seconds=0.0, emit=Recorder())
    drain(restarted)
    assert [d.file_name for d in stored_application(account, app_id).documents] == ["b.pdf"]
    assert {d.file_name for d in list_documents(account)} == {"a.pdf", "b.pdf"}
    assert [e for e, _ in restarted.emit.events] == ["file_detached"]  # type: ignore[attr-defined]


def test_rescan_at_start_detaches_nothing_when_the_folder_is_gone(account: Account) -> None:
    app_id, folder = new_app(account)
    make_pdf(folder / "a.pdf")
    make_pdf(folder / "b.pdf")
    drain(Intake(account, settle_seconds=0.0, emit=Recorder()))
    shutil.rmtree(folder)  # an unmounted disk, while the daemon is down
    drain(Intake(account, settle_seconds=0.0, emit=Recorder()))
    assert len(stored_application(account, app_id).documents) == 2

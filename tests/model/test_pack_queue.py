"""The pack queue in the store: queued once, ended with the attachment in one transaction."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from frmr.model.applications import lifecycle as apps
from frmr.model.documents.pack_actions import PackedFile, PackedGroup, attach_pack_results
from frmr.model.documents.pack_queue import (
    begin_packing,
    put_back,
    queue_pack,
)
from frmr.model.documents.packing import PackInput, pack
from frmr.model.rules.errors import UploadLimitExceeded
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.rules.statuses import Actor
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.intake import queued_files as read_queued_files
from frmr.model.store.tables import Document, PackJob
from tests.support.documents import text_pdf
from tests.support.reads import stored_application


def queued_files(account: Account) -> dict[str, list[str]]:
    with account.store.read() as session:
        return read_queued_files(session_connection(session))


def _app(account: Account) -> str:
    return apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    ).app.id


def _queued_document(account: Account, app_id: str, size: int, name: str = "скан.pdf") -> str:
    with account.store.write() as session:
        document = Document(sha256=name.encode().hex()[:64].ljust(64, "0"), size=size,
                            kind=FileKind.PDF, file_name=name)  # fmt: skip
        session.add(document)
        session.flush()
        queue_pack(session, app_id, document.id, f"/drop/{name}")
        # The same file found again (a rescan, a restart) is not queued twice.
        queue_pack(session, app_id, document.id, f"/drop/{name}")
        return document.id


def _packed(title: str) -> PackedFile:
    result = pack([PackInput(f"{title}.pdf", text_pdf(["scan"]))], MAX_TOTAL_BYTES)
    return PackedFile(result, f"{title} на 1 л.pdf")


def test_a_file_is_queued_once_and_listed_by_application(account: Account) -> None:
    app_id = _app(account)
    _queued_document(account, app_id, 25_000_000)
    assert queued_files(account) == {app_id: ["скан.pdf"]}
    (job,) = begin_packing(account, app_id)
    assert job.attempts == 1
    put_back(account, [job])
    (again,) = begin_packing(account, app_id)
    assert again.attempts == 1


def test_attaching_ends_the_queue_entry_in_the_same_transaction(account: Account) -> None:
    app_id = _app(account)
    _queued_document(account, app_id, 25_000_000)
    jobs = begin_packing(account, app_id)
    documents = attach_pack_results(
        account, app_id, [PackedGroup(_packed("скан"), "скан")], finished=jobs, actor=Actor.DAEMON
    )
    assert documents is not None and [d.file_name for d in documents] == ["скан на 1 л.pdf"]
    assert [d.file_name for d in stored_application(account, app_id).documents] == [
        "скан на 1 л.pdf"
    ]
    assert queued_files(account) == {}


def test_an_attachment_the_limits_refuse_leaves_the_entry_queued(account: Account) -> None:
    app_id = _app(account)
    _queued_document(account, app_id, 25_000_000)
    # Files attached meanwhile: a sixth one can't go on.
    others = [_queued_document(account, app_id, 1000, f"д{n}.pdf") for n in range(5)]
    with account.store.write() as session:
        for job in session.exec(select(PackJob).where(col(PackJob.document_id).in_(others))):
            session.delete(job)
    attach_pack_results(account, app_id, [], as_they_are=others, actor=Actor.DAEMON)
    jobs = begin_packing(account, app_id)
    with pytest.raises(UploadLimitExceeded):
        attach_pack_results(
            account, app_id, [PackedGroup(_packed("скан"), "скан")], finished=jobs,
            actor=Actor.DAEMON,
        )  # fmt: skip
    assert len(stored_application(account, app_id).documents) == 5
    assert queued_files(account) == {app_id: ["скан.pdf"]}


def test_packing_the_bytes_of_a_removed_document_brings_it_back_as_a_new_version(
    account: Account,
) -> None:
    app_id = _app(account)
    packed = _packed("скан")
    (first,) = attach_pack_results(account, app_id, [PackedGroup(packed, "скан")],
                                   actor=Actor.DAEMON) or []  # fmt: skip
    with account.store.write() as session:
        removed = session.get_one(Document, first.id)
        removed.deleted = True
        removed.touch()
        session.add(removed)
        session.flush()
        version = removed.version
    (again,) = attach_pack_results(account, app_id, [PackedGroup(packed, "скан")],
                                   actor=Actor.DAEMON) or []  # fmt: skip
    assert again.id == first.id
    with account.store.read() as session:
        back = session.get_one(Document, first.id)
        # A new version: the registry, told of the removal, hears it is back.
        assert not back.deleted and back.version == version + 1

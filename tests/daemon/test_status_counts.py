"""The daemon's `status` counts what waits in the store (model.store.reads): files to pack,
documents to read, applications by status; what another process queued while it runs is
counted, a tombstoned application is not."""

from __future__ import annotations

from frmr.model.applications import lifecycle as apps
from frmr.model.documents.pack_queue import queue_pack
from frmr.model.portfolio.proposals import queue_reading
from frmr.model.rules.filetypes import FileKind
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import Application, Document
from tests.support.daemon_process import DaemonProcess, wait_for


def _document(account: Account, name: str) -> str:
    with account.store.write() as session:
        document = Document(sha256=name.encode().hex().ljust(64, "0")[:64], size=1,
                            kind=FileKind.PDF, file_name=name)  # fmt: skip
        session.add(document)
        session.flush()
        return document.id


def test_status_counts_the_files_and_readings_waiting(account: Account) -> None:
    app_id, gone_id = (
        apps.new_application(
            account, specialty="Терапия", phone="+79161234567", email="a@example.org"
        ).app.id
        for _ in range(2)
    )
    scans = [_document(account, f"скан{n}.pdf") for n in range(2)]
    certificate = _document(account, "удостоверение.pdf")
    with account.store.write() as session:
        for document_id in scans:
            queue_pack(session, app_id, document_id, f"/drop/{document_id}.pdf")
        queue_reading(session, certificate)
        gone = session.get(Application, gone_id)
        assert gone is not None
        gone.deleted = True
        session.add(gone)
    # Nothing packs or reads: what is queued stays queued, to be counted.
    daemon = DaemonProcess(load_settings(), env={"FRMR_AUTO_PACK": "0", "FRMR_READ_DOCUMENTS": "0"})
    try:
        daemon.start()
        status = wait_for(daemon.status, timeout=30)
        assert (status.pack_queued, status.read_queued) == (2, 1)
        assert status.counts_by_status == {"draft": 1}
        another = _document(account, "сертификат.pdf")
        with account.store.write() as session:
            queue_reading(session, another)
        status = wait_for(daemon.status, timeout=30)
        assert status.read_queued == 2
        assert daemon.terminate(timeout=5) == 0
    finally:
        daemon.kill()

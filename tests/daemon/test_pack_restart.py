"""A real daemon stopped and killed while it packs: the packing resumes at the next start,
the file is attached once, and the dropped original is neither lost nor refused."""

from __future__ import annotations

import pytest
from sqlmodel import select

from frmr.daemon.protocol import PackingProgress
from frmr.model.documents.library import list_documents
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import PackJob
from tests.daemon.test_intake import new_app
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.documents import jpeg_bytes, page_image, scanned_pdf
from tests.support.reads import stored_application, stored_history

pytestmark = pytest.mark.real_process

PAGES = 24


def _queued(account: Account) -> list[tuple[str, int]]:
    with account.store.read() as session:
        return [(j.application_id, j.attempts) for j in session.exec(select(PackJob)).all()]


def _mid_pack(daemon: DaemonProcess) -> PackingProgress:
    """The daemon's packing progress once a page is done and before the last one."""

    def packing() -> PackingProgress | None:
        status = daemon.status()
        progress = status.packing if status is not None else None
        if progress is not None and 1 <= progress.page < progress.pages:
            return progress
        return None

    return wait_for(packing, timeout=120, step=0.02)


def test_sigterm_and_sigkill_mid_pack_resume_and_attach_once(account: Account) -> None:
    settings = load_settings()
    app_id, folder = new_app(account)
    images = [jpeg_bytes(page_image(300, seed=s, noise=40), quality=95) for s in range(3)]
    scan = scanned_pdf((images * PAGES)[:PAGES], 300)
    daemon = DaemonProcess(settings)
    try:
        daemon.start()
        (folder / "трудовая книжка.pdf").write_bytes(scan)
        progress = _mid_pack(daemon)
        assert progress.application_id == app_id
        assert progress.message.startswith("Сжатие: трудовая книжка.pdf, стр. ")
        assert progress.pages == PAGES

        # SIGTERM: the daemon stops at the next page, within its 5 s, and keeps the queue.
        assert daemon.terminate(timeout=5) == 0
        assert _queued(account) == [(app_id, 0)]
        assert stored_application(account, app_id).documents == []

        # SIGKILL mid-pack: nothing attached, the queue entry counts the begun packing.
        daemon.start()
        _mid_pack(daemon)
        daemon.kill()
        assert _queued(account) == [(app_id, 1)]
        assert stored_application(account, app_id).documents == []

        daemon.start()
        wait_for(lambda: not _queued(account), timeout=120)
        assert daemon.terminate() == 0
    finally:
        daemon.kill()

    (attached,) = stored_application(account, app_id).documents
    assert attached.file_name == f"трудовая книжка на {PAGES} л.pdf"
    history = [e.reason or "" for e in stored_history(account, app_id)]
    assert len([r for r in history if "сжато: " in r]) == 1, history
    originals = [d for d in list_documents(account) if d.file_name == "трудовая книжка.pdf"]
    assert [d.size for d in originals] == [len(scan)]
    assert (folder / "трудовая книжка.pdf").read_bytes() == scan
    assert not account.rejected_dir.exists() or not any(account.rejected_dir.iterdir())

"""After the daemon packed a big scan, only the packed copy goes to the registry (issue 21):
the original stays in the library, is never uploaded (the registry would refuse it by size),
and leaves no error behind. A real registry on loopback."""

from __future__ import annotations

from pathlib import Path

from frmr.contract.protocol import Paths
from frmr.daemon.intake import Intake
from frmr.daemon.packing import AutoPacker
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import list_documents
from frmr.model.documents.packing import PackProfile
from frmr.model.documents.packing.naming import DEFAULT_NAME_TEMPLATE
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.store import sync_rows
from frmr.model.store.tables import Document
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient
from frmr.sync.engine import SyncEngine
from tests.support.documents import scan_page, scanned_pdf
from tests.support.reads import stored_application
from tests.support.world import World


def _quiet(_event: str, _fields: dict[str, object]) -> None:
    pass


def test_packed_original_is_not_uploaded_and_leaves_no_error(world: World) -> None:
    account = world.account
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    scan = scanned_pdf([scan_page(s) for s in range(2)] * 4, 300)
    assert len(scan) > MAX_TOTAL_BYTES
    (Path(view.folder) / "трудовая книжка.pdf").write_bytes(scan)
    packer = AutoPacker(account, template=DEFAULT_NAME_TEMPLATE, profile=PackProfile(), emit=_quiet)
    intake = Intake(account, settle_seconds=0.0, emit=_quiet, packer=packer)
    try:
        intake.rescan()
        intake.process_due()
        packer.drain()
    finally:
        packer.close()
        intake.close()
    (packed,) = stored_application(account, view.app.id).documents
    (original,) = [d for d in list_documents(account) if d.size == len(scan)]

    token = load_token(world.settings.token_path)
    assert token is not None
    with RegistryClient(world.registry.url, token=token.access_token) as client:
        report = SyncEngine(account.store, client).run_cycle()
        uploaded = {d["sha256"] for d in client.send("GET", Paths.DOCUMENTS).json()}
    assert (report.row_errors, report.errors) == (0, [])
    assert packed.sha256 in uploaded
    assert original.sha256 not in uploaded
    with account.store.read() as session:
        stored = session.get(Document, original.id)
    assert stored is not None and stored.sync_error is None
    assert not sync_rows.has_work(account.store, [Document])

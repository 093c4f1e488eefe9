"""The portfolio's additional documents over the wire, against the real registry on loopback:
pushed once their file is uploaded, edited and removed by version, named by the registry's
own id of the file, and refused by the registry when it does not hold the file."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from frmr.contract.protocol import CONTENT_SHA256, DOCUMENT_ID, IF_NONE_MATCH, Paths
from frmr.model.documents.library import import_file
from frmr.model.portfolio.edits import add_row, delete_row, update_row
from frmr.model.store.tables import AdditionalDocument, PortfolioPart
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient
from frmr.sync.documents_push import push_additional_documents
from frmr.sync.engine import SyncEngine
from frmr.sync.errors import RegistryRejected
from frmr.sync.link import CycleReport
from tests.samples import make_pdf
from tests.support.portfolio_reads import listed
from tests.support.world import World

COLLECTION = "additional-documents"


def _client(world: World) -> RegistryClient:
    token = load_token(world.settings.token_path)
    assert token is not None
    return RegistryClient(world.registry.url, token=token.access_token)


def _remote(client: RegistryClient, item_id: str) -> dict[str, object] | None:
    items = client.send("GET", Paths.COLLECTION.format(collection=COLLECTION)).json()
    return next((i for i in items if i["id"] == item_id), None)


def _stored(world: World, item_id: str) -> AdditionalDocument:
    with world.account.store.read() as session:
        row = session.get(AdditionalDocument, item_id)
    assert row is not None
    return row


def test_an_item_is_created_edited_and_removed_in_the_registry(world: World) -> None:
    pdf = make_pdf(world.settings.home.parent / "book.pdf", salt="additional-1")
    document = import_file(world.account, pdf).document
    row = add_row(
        world.account,
        COLLECTION,
        {
            "name": "Смирнов А.В. трудовая книжка на 3 л.",
            "part": "Профессиональная",
            "document_id": document.id[:8],
        },
    )
    with _client(world) as client:
        engine = SyncEngine(world.account.store, client)
        assert engine.run_cycle().row_errors == 0
        created = _remote(client, row.id)
        assert created is not None
        assert created["name"] == "Смирнов А.В. трудовая книжка на 3 л."
        assert created["part"] == "professional"
        assert (created["document_id"], created["sha256"]) == (document.id, document.sha256)
        assert _stored(world, row.id).synced_version == 1

        update_row(world.account, COLLECTION, row.id, {"part": "educational"})
        engine.run_cycle()
        edited = _remote(client, row.id)
        assert edited is not None
        assert (edited["part"], edited["version"]) == ("educational", 2)

        delete_row(world.account, COLLECTION, row.id)
        engine.run_cycle()
        assert _remote(client, row.id) is None
    assert listed(world.account, COLLECTION) == []


def test_an_item_names_the_file_by_the_id_the_registry_gave_the_same_bytes(
    world: World,
) -> None:
    pdf = make_pdf(world.settings.home.parent / "diploma.pdf", salt="additional-2")
    earlier_id = str(uuid.uuid4())
    with _client(world) as client:
        # The same content reached the registry before under another id (another device).
        client.send(
            "POST",
            Paths.DOCUMENTS,
            upload=pdf,
            headers={
                CONTENT_SHA256: hashlib.sha256(pdf.read_bytes()).hexdigest(),
                DOCUMENT_ID: earlier_id,
                "Content-Type": "application/pdf",
            },
        )
        document = import_file(world.account, pdf).document
        assert document.id != earlier_id
        row = add_row(
            world.account,
            COLLECTION,
            {
                "name": "Смирнов А.В. диплом на 2 л.",
                "part": "educational",
                "document_id": document.id,
            },
        )
        SyncEngine(world.account.store, client).run_cycle()
        remote = _remote(client, row.id)
    assert remote is not None
    assert remote["document_id"] == earlier_id


def test_an_item_waits_for_its_file_and_goes_in_the_same_cycle_as_the_upload(
    world: World,
) -> None:
    pdf = make_pdf(world.settings.home.parent / "order.pdf", salt="additional-3")
    document = import_file(world.account, pdf).document
    row = add_row(
        world.account,
        COLLECTION,
        {"name": "Смирнов А.В. приказ на 1 л.", "part": "professional", "document_id": document.id},
    )
    with _client(world) as client:
        engine = SyncEngine(world.account.store, client)
        # Items alone, before the file went: the item waits, nothing is refused.
        report = CycleReport()
        push_additional_documents(engine.link, report)
        assert report.row_errors == 0
        assert _stored(world, row.id).synced_version == 0
        assert _remote(client, row.id) is None
        engine.run_cycle()
        assert _remote(client, row.id) is not None
    assert _stored(world, row.id).sync_error is None


def test_the_registry_refuses_an_item_whose_file_it_does_not_hold(world: World) -> None:
    body = {
        "name": "Смирнов А.В. трудовая книжка на 3 л.",
        "part": "professional",
        "document_id": str(uuid.uuid4()),
        "sha256": "0" * 64,
    }
    item = Paths.COLLECTION_ITEM.format(collection=COLLECTION, id=str(uuid.uuid4()))
    with _client(world) as client, pytest.raises(RegistryRejected) as refused:
        client.send("PUT", item, json=body, headers={IF_NONE_MATCH: "*"})
    assert refused.value.status_code == 422
    assert "не загружен в ФРМР" in refused.value.user_message


def test_the_registry_applies_the_text_rule_to_the_name(world: World) -> None:
    pdf = make_pdf(world.settings.home.parent / "name.pdf", salt="additional-4")
    document = import_file(world.account, pdf).document
    with _client(world) as client:
        SyncEngine(world.account.store, client).run_cycle()
        body = {
            "name": "Смирнов\u202e книжка",
            "part": PortfolioPart.PROFESSIONAL.value,
            "document_id": document.id,
            "sha256": document.sha256,
        }
        item = Paths.COLLECTION_ITEM.format(collection=COLLECTION, id=str(uuid.uuid4()))
        with pytest.raises(RegistryRejected) as refused:
            client.send("PUT", item, json=body, headers={IF_NONE_MATCH: "*"})
    assert refused.value.status_code == 422
    assert "направления текста" in refused.value.user_message

"""The additional documents' collection: an item must name a file the person uploaded, with
the content it says; the name follows the text rule like every other free text."""

from __future__ import annotations

import uuid

from frmr.contract.protocol import Paths
from tests.samples import pdf_bytes

PATH = f"{Paths.ME}/additional-documents"
NAME = "Смирнов А.В. трудовая книжка на 3 л."


def _item(document: dict[str, object], **changes: object) -> dict[str, object]:
    body = {
        "name": NAME,
        "part": "professional",
        "document_id": document["id"],
        "sha256": document["sha256"],
    }
    return {**body, **changes}


def test_an_item_names_an_uploaded_file_of_the_same_person(make_person) -> None:  # type: ignore[no-untyped-def]
    owner, stranger = make_person(), make_person()
    document = owner.upload(pdf_bytes(3000, "registry-additional")).json()
    created = owner.client.put(
        f"{PATH}/{uuid.uuid4()}", json=_item(document), headers={"If-None-Match": "*"}
    )
    assert created.status_code == 201
    assert created.json()["document_id"] == document["id"]
    (listed,) = owner.client.get(PATH).json()
    assert (listed["name"], listed["part"]) == (NAME, "professional")

    foreign = stranger.client.put(
        f"{PATH}/{uuid.uuid4()}", json=_item(document), headers={"If-None-Match": "*"}
    )
    assert foreign.status_code == 422
    assert foreign.json()["message"].startswith("Файл дополнительного документа не загружен")
    other_content = owner.client.put(
        f"{PATH}/{uuid.uuid4()}",
        json=_item(document, sha256="f" * 64),
        headers={"If-None-Match": "*"},
    )
    assert other_content.status_code == 422
    assert stranger.client.get(PATH).json() == []


def test_an_edit_is_checked_as_a_create_is(make_person) -> None:  # type: ignore[no-untyped-def]
    person = make_person()
    document = person.upload(pdf_bytes(3000, "registry-additional-edit")).json()
    item = f"{PATH}/{uuid.uuid4()}"
    person.client.put(item, json=_item(document), headers={"If-None-Match": "*"})
    moved = person.client.put(
        item, json=_item(document, document_id=str(uuid.uuid4())), headers={"If-Match": '"1"'}
    )
    assert moved.status_code == 422
    renamed = person.client.put(
        item, json=_item(document, name="Смирнов А.В. трудовая книжка на 4 л."),
        headers={"If-Match": '"1"'},
    )  # fmt: skip
    assert renamed.json()["version"] == 2

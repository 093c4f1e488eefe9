"""The person card and the portfolio collections: versions, ETag / If-Match, 412."""

from __future__ import annotations

import uuid

from frmr.contract.protocol import Paths


def test_card_update_needs_the_current_version(make_person) -> None:
    person = make_person()
    got = person.client.get(Paths.ME)
    card = got.json()
    assert got.headers["ETag"] == f'"{card["version"]}"'
    missing = person.client.put(Paths.ME, json={**card, "citizenship": "РФ"})
    assert missing.status_code == 428
    changed = person.client.put(
        Paths.ME,
        json={**card, "phone": "8 (916) 000-11-22"},
        headers={"If-Match": got.headers["ETag"]},
    )
    assert changed.status_code == 200
    assert changed.json()["phone"] == "+79160001122"
    assert changed.json()["version"] == card["version"] + 1
    stale = person.client.put(Paths.ME, json=card, headers={"If-Match": got.headers["ETag"]})
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_conflict"
    assert stale.json()["details"]["current_version"] == card["version"] + 1


def test_the_snils_of_the_card_cannot_change(make_person) -> None:
    person = make_person()
    got = person.client.get(Paths.ME)
    other = {**got.json(), "snils": "11223344595"}
    answer = person.client.put(Paths.ME, json=other, headers={"If-Match": got.headers["ETag"]})
    assert answer.status_code == 422
    assert answer.json()["code"] == "snils_immutable"


def test_collection_items_are_created_updated_and_deleted_by_version(make_person) -> None:
    person = make_person()
    item_id = str(uuid.uuid4())
    path = f"{Paths.ME}/skills/{item_id}"
    created = person.client.put(
        path, json={"name": "УЗИ", "description": None}, headers={"If-None-Match": "*"}
    )
    assert created.status_code == 201
    assert created.headers["ETag"] == '"1"'
    twice = person.client.put(path, json={"name": "УЗИ"}, headers={"If-None-Match": "*"})
    assert twice.status_code == 412
    updated = person.client.put(path, json={"name": "ЭКГ"}, headers={"If-Match": '"1"'})
    assert updated.json() == {"id": item_id, "version": 2, "name": "ЭКГ", "description": None}
    assert (
        person.client.put(path, json={"name": "x"}, headers={"If-Match": '"1"'}).status_code == 412
    )
    assert person.client.delete(path, headers={"If-Match": '"1"'}).status_code == 412
    assert person.client.delete(path, headers={"If-Match": '"2"'}).status_code == 204
    names = [s["name"] for s in person.client.get(f"{Paths.ME}/skills").json()]
    assert "ЭКГ" not in names


def test_an_if_match_that_is_no_version_is_refused_not_a_server_error(make_person) -> None:
    """Found by the schema fuzzer: a 30-digit If-Match overflowed the SQL integer (500)."""
    person = make_person()
    path = f"{Paths.ME}/skills/{uuid.uuid4()}"
    # "²" passes str.isdigit(); sent as the latin-1 byte a client may put on the wire.
    for value in ("9" * 30, '"²"'.encode("latin-1"), str(2**63)):
        answer = person.client.put(path, json={"name": "x"}, headers={"If-Match": value})
        assert answer.status_code == 428, value
        assert answer.json()["code"] != "internal"
    card = person.client.get(Paths.ME).json()
    answer = person.client.put(Paths.ME, json=card, headers={"If-Match": "9" * 30})
    assert answer.status_code == 428

"""The card and the portfolio: adopted once from the registry's preload, then pushed when
edited, each item by compare-and-swap on its version (If-Match / If-None-Match)."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from sqlmodel import select

from frmr.contract.protocol import (
    COLLECTION_ITEMS,
    COLLECTIONS,
    ETAG,
    IF_MATCH,
    IF_NONE_MATCH,
    Paths,
    PersonCard,
    PersonCardIn,
    etag,
    parse_etag,
)
from frmr.model.rules.clock import utcnow
from frmr.model.store import sync_rows
from frmr.model.store.tables import (
    Address,
    Certificate,
    Course,
    Education,
    Employment,
    IdentityDocument,
    Person,
    ProfessionalReport,
    Skill,
    SyncColumns,
)
from frmr.sync.errors import RegistryRejected
from frmr.sync.link import CycleReport, Link, invalid_row, payload

log = logging.getLogger(__name__)

ADOPTED_KEY = "profile_adopted"

# Local table → the registry's collection of the same items. The additional documents are
# not among them: they wait for their files (sync/documents_push.py), and are not adopted,
# since the contract has no way to download a file the store does not hold.
COLLECTION_TABLES: tuple[tuple[type[SyncColumns], str], ...] = (
    (IdentityDocument, "identity-documents"),
    (Address, "addresses"),
    (Education, "education"),
    (Course, "courses"),
    (Certificate, "certificates"),
    (Employment, "employment"),
    (Skill, "skills"),
    (ProfessionalReport, "reports"),
)


def adopt_remote_profile(link: Link) -> None:
    """ФРМР preloads the card and portfolio; an empty store takes them once, so a new
    user sees their data and can file without retyping it."""
    if sync_rows.sync_state(link.store, ADOPTED_KEY) is not None:
        return
    card = PersonCard.model_validate_json(link.client.send("GET", Paths.ME).content)
    items: dict[str, list[dict[str, Any]]] = {}
    for _table, collection in COLLECTION_TABLES:
        response = link.client.send("GET", Paths.COLLECTION.format(collection=collection))
        items[collection] = response.json()
    with link.store.write() as session:
        if session.exec(select(Person)).first() is None:
            fields = card.model_dump(exclude={"version"})
            session.add(Person(**fields, synced_version=1, remote_version=card.version))
        for table, collection in COLLECTION_TABLES:
            if session.exec(select(table)).first() is not None:
                continue
            out_model = COLLECTION_ITEMS[collection]
            for raw in items[collection]:
                item = out_model.model_validate(raw).model_dump()
                remote = item.pop("version")
                session.add(table(**item, synced_version=1, remote_version=remote))
        sync_rows.set_sync_state(session, ADOPTED_KEY, utcnow().isoformat())
    log.info("adopted the registry's card and portfolio into the store")


def push_card(link: Link, report: CycleReport) -> None:
    for person in sync_rows.dirty_rows(link.store, Person):
        try:
            body = payload(person, PersonCardIn)
        except ValidationError as error:
            link.row_error(Person, person.id, person.version, invalid_row(error), report)
            continue
        remote = person.remote_version
        if remote is None:
            remote = parse_etag(link.client.send("GET", Paths.ME).headers.get(ETAG, ""))
        try:
            response = link.client.send(
                "PUT",
                Paths.ME,
                json=body.model_dump(mode="json"),
                headers={IF_MATCH: etag(remote or 0)},
            )
        except RegistryRejected as error:
            link.row_error(Person, person.id, person.version, error.user_text(), report)
            continue
        new_remote = parse_etag(response.headers.get(ETAG, ""))
        link.synced(Person, person.id, person.version, new_remote, report)


def push_collections(link: Link, report: CycleReport) -> None:
    for table, collection in COLLECTION_TABLES:
        for row in sync_rows.dirty_rows(link.store, table):
            try:
                push_item(link, report, table, collection, row)
            except RegistryRejected as error:
                link.row_error(table, row.id, row.version, error.user_text(), report)
            except ValidationError as error:
                link.row_error(table, row.id, row.version, invalid_row(error), report)


def push_item(
    link: Link,
    report: CycleReport,
    table: type[SyncColumns],
    collection: str,
    row: Any,
    body: dict[str, Any] | None = None,
) -> None:
    """Create, update or delete one item; `body` when the row alone does not make it."""
    path = Paths.COLLECTION_ITEM.format(collection=collection, id=row.id)
    if row.deleted:
        if row.remote_version is not None:
            link.client.send(
                "DELETE", path, headers={IF_MATCH: etag(row.remote_version)}, accept=(404,)
            )
        link.synced(table, row.id, row.version, None, report)
        return
    if body is None:
        body = payload(row, COLLECTIONS[collection]).model_dump(mode="json")
    remote = row.remote_version
    if remote is None:
        response = link.client.send(
            "PUT", path, json=body, headers={IF_NONE_MATCH: "*"}, accept=(412,)
        )
        if response.status_code != 412:
            remote = parse_etag(response.headers[ETAG])
            link.synced(table, row.id, row.version, remote, report)
            return
        # Created before but the answer was lost: update the one that is there.
        remote = response.json().get("details", {}).get("current_version")
    response = link.client.send("PUT", path, json=body, headers={IF_MATCH: etag(remote or 0)})
    link.synced(table, row.id, row.version, parse_etag(response.headers[ETAG]), report)

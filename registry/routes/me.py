"""The person card and the portfolio sub-resources, versioned with ETag / If-Match.

No ``from __future__ import annotations`` here: the collection routes are made in a loop
and FastAPI must see each one's body model, which only a real annotation can carry.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Response
from pydantic import BaseModel
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from frmr.contract.protocol import (
    COLLECTION_ITEMS,
    COLLECTIONS,
    ETAG_PATTERN,
    ErrorCode,
    PersonCard,
    PersonCardIn,
    etag,
    parse_etag,
)
from frmr.model.rules.clock import utcnow
from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.errors import SNILS_IMMUTABLE
from frmr.model.rules.inn import normalize_inn
from frmr.registry.deps import PersonDep, ServicesDep
from frmr.registry.errors import ApiError, not_found, precondition_required
from frmr.registry.linked_documents import check_linked_document
from frmr.registry.tables import Employee, PortfolioItem

router = APIRouter(prefix="/me", tags=["profile"])

ItemId = Annotated[str, Path(min_length=1, max_length=64)]


def _header_schema(**keywords: object) -> Callable[[dict[str, Any]], None]:
    """A header is a string or absent, never null (there is no null on the wire): the
    schema of an optional one is its string's, with the keywords the server checks."""

    def apply(schema: dict[str, Any]) -> None:
        schema.pop("anyOf", None)
        schema.update({"type": "string", **keywords})

    return apply


# The server checks these itself (428 with its own message, errors.py maps a missing
# required one to it); the schema carries the patterns it checks against.
RequiredIfMatch = Annotated[
    str, Header(alias="If-Match", json_schema_extra={"pattern": ETAG_PATTERN})
]
IfMatch = Annotated[
    str | None, Header(alias="If-Match", json_schema_extra=_header_schema(pattern=ETAG_PATTERN))
]
IfNoneMatch = Annotated[
    str | None, Header(alias="If-None-Match", json_schema_extra=_header_schema(enum=["*"]))
]


def _stale(current: int | None) -> ApiError:
    return ApiError(
        412,
        ErrorCode.VERSION_CONFLICT,
        "Данные изменились на сервере: обновите их и повторите изменение",
        details={"current_version": current},
    )


def _expected_version(if_match: str | None) -> int:
    version = parse_etag(if_match) if if_match else None
    if version is None:
        raise precondition_required("If-Match")
    return version


def _creates(if_none_match: str | None, if_match: str | None) -> bool:
    """Whether a PUT creates (If-None-Match: *) or updates (If-Match); a malformed
    precondition is refused even beside a good one."""
    if if_none_match is None:
        return False
    if if_none_match.strip() != "*":
        raise precondition_required("If-None-Match: *")
    if if_match is not None:
        _expected_version(if_match)
    return True


def _card(employee: Employee) -> PersonCard:
    return PersonCard.model_validate({**employee.card, "version": employee.card_version})


@router.get("", response_model=PersonCard)
def get_card(person: PersonDep, services: ServicesDep, response: Response) -> PersonCard:
    with services.db.read() as session:
        employee = session.get(Employee, person)
    if employee is None:
        raise not_found()
    response.headers["ETag"] = etag(employee.card_version)
    return _card(employee)


@router.put("", response_model=PersonCard, responses={412: {}, 428: {}})
def put_card(
    body: PersonCardIn,
    person: PersonDep,
    services: ServicesDep,
    response: Response,
    if_match: RequiredIfMatch,
) -> PersonCard:
    expected = _expected_version(if_match)
    card = body.model_dump(mode="json")
    if body.inn:
        card["inn"] = normalize_inn(body.inn)
    if body.phone:
        card["phone"] = normalize_phone(body.phone)
    if body.email:
        card["email"] = normalize_email(body.email)
    with services.db.write() as session:
        employee = session.get(Employee, person)
        if employee is None:
            raise not_found()
        if body.snils != employee.snils:
            raise ApiError(
                422,
                ErrorCode.SNILS_IMMUTABLE,
                SNILS_IMMUTABLE,
            )
        updated = session.execute(
            update(Employee)
            .where(col(Employee.id) == person, col(Employee.card_version) == expected)
            .values(card=card, card_version=expected + 1)
        )
        if updated.rowcount != 1:  # type: ignore[attr-defined]
            raise _stale(employee.card_version)
    response.headers["ETag"] = etag(expected + 1)
    return PersonCard.model_validate({**card, "version": expected + 1})


def _item_out(item: PortfolioItem, out_model: type[BaseModel]) -> BaseModel:
    return out_model.model_validate({**item.data, "id": item.id, "version": item.version})


def _find(session: Session, person: str, collection: str, item_id: str) -> PortfolioItem | None:
    return session.get(PortfolioItem, (person, collection, item_id))


def _missing_or_stale(session: Session, person: str, collection: str, item_id: str) -> ApiError:
    """Why a versioned write changed no row: the item is gone, or at another version."""
    existing = _find(session, person, collection, item_id)
    return not_found("Запись не найдена") if existing is None else _stale(existing.version)


def _list_route(collection: str, out_model: type[BaseModel]) -> Callable[..., Any]:
    def list_items(person: PersonDep, services: ServicesDep) -> list[BaseModel]:
        with services.db.read() as session:
            items = session.exec(
                select(PortfolioItem)
                .where(PortfolioItem.person_id == person, PortfolioItem.collection == collection)
                .order_by(col(PortfolioItem.updated_at))
            ).all()
        return [_item_out(item, out_model) for item in items]

    return list_items


def _put_route(
    collection: str, in_model: type[BaseModel], out_model: type[BaseModel]
) -> Callable[..., Any]:
    def put_item(
        item_id: ItemId,
        body: in_model,  # type: ignore[valid-type]
        person: PersonDep,
        services: ServicesDep,
        response: Response,
        if_match: IfMatch = None,
        if_none_match: IfNoneMatch = None,
    ) -> Any:
        data = body.model_dump(mode="json")  # type: ignore[attr-defined]
        now = utcnow()
        # Documents are never removed from the registry: a check before the write holds.
        with services.db.read() as session:
            check_linked_document(session, person, body)
        if _creates(if_none_match, if_match):
            item = PortfolioItem(
                person_id=person, collection=collection, id=item_id, data=data, updated_at=now
            )
            version = item.version
            try:
                with services.db.write() as session:
                    session.add(item)
            except IntegrityError:
                with services.db.read() as session:
                    existing = _find(session, person, collection, item_id)
                raise _stale(existing.version if existing else None) from None
            response.status_code = 201
        else:
            expected = _expected_version(if_match)
            with services.db.write() as session:
                updated = session.execute(
                    update(PortfolioItem)
                    .where(
                        col(PortfolioItem.person_id) == person,
                        col(PortfolioItem.collection) == collection,
                        col(PortfolioItem.id) == item_id,
                        col(PortfolioItem.version) == expected,
                    )
                    .values(data=data, version=expected + 1, updated_at=now)
                )
                if updated.rowcount != 1:  # type: ignore[attr-defined]
                    raise _missing_or_stale(session, person, collection, item_id)
            version = expected + 1
        response.headers["ETag"] = etag(version)
        return out_model.model_validate({**data, "id": item_id, "version": version})

    return put_item


def _delete_route(collection: str) -> Callable[..., Any]:
    def delete_item(
        item_id: ItemId, person: PersonDep, services: ServicesDep, if_match: RequiredIfMatch
    ) -> Response:
        expected = _expected_version(if_match)
        with services.db.write() as session:
            deleted = session.execute(
                delete(PortfolioItem).where(
                    col(PortfolioItem.person_id) == person,
                    col(PortfolioItem.collection) == collection,
                    col(PortfolioItem.id) == item_id,
                    col(PortfolioItem.version) == expected,
                )
            )
            if deleted.rowcount != 1:  # type: ignore[attr-defined]
                raise _missing_or_stale(session, person, collection, item_id)
        return Response(status_code=204)

    return delete_item


for _name, _in_model in COLLECTIONS.items():
    _out_model = COLLECTION_ITEMS[_name]
    _slug = _name.replace("-", "_")
    router.add_api_route(
        f"/{_name}",
        _list_route(_name, _out_model),
        methods=["GET"],
        response_model=list[_out_model],  # type: ignore[valid-type]
        name=f"list_{_slug}",
    )
    router.add_api_route(
        f"/{_name}/{{item_id}}",
        _put_route(_name, _in_model, _out_model),
        methods=["PUT"],
        response_model=_out_model,
        name=f"put_{_slug}",
        # OpenAPI can't say "one of If-None-Match: * and If-Match": with neither, 428.
        responses={201: {"model": _out_model}, 412: {}, 428: {}},
    )
    router.add_api_route(
        f"/{_name}/{{item_id}}",
        _delete_route(_name),
        methods=["DELETE"],
        status_code=204,
        name=f"delete_{_slug}",
        responses={412: {}, 428: {}},
    )

"""«Портфолио» and the rest of the profile's lists: one generic, validated editor per table,
writing through the ORM. The lists' fields are model.portfolio.collections'; their rows are
read by the read model (model.store.reads.portfolio).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from frmr.model.portfolio.collections import CollectionSpec, collection, parse_values, value_label
from frmr.model.portfolio.library_links import resolve_document
from frmr.model.rules.dates import check_period
from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.rules.record_version import RecordChanged, is_stale
from frmr.model.store.account import Account
from frmr.model.store.tables import SYNCED_TABLES, SyncColumns

# Each list's ORM class, by its table's name (CollectionSpec.table): every list is synced.
TABLES: Mapping[str, type[SyncColumns]] = {str(t.__tablename__): t for t in SYNCED_TABLES}


def _check_row(spec: CollectionSpec, row: Any) -> None:
    for field in spec.fields:
        if field.required and getattr(row, field.name) in (None, ""):
            raise FieldInvalid(
                f"Поле «{field.label}» обязательно", f"{field.name} required", field=field.name
            )
    for begin_name, end_name in spec.periods:
        begin, end = getattr(row, begin_name), getattr(row, end_name)
        if begin is not None:
            check_period(begin, end, field=end_name)
    if spec.row_check is not None:
        spec.row_check(row)


def _check_links(session: Session, spec: CollectionSpec, row: Any) -> None:
    """Linked documents exist (the reference typed becomes the document's id), and no
    other live row holds the same values of the `unique` fields."""
    # An edited row holds the reference as typed until it is resolved: not flushed before.
    with session.no_autoflush:
        for name in spec.documents:
            if (ref := getattr(row, name)) is not None:
                setattr(row, name, resolve_document(session, ref, field=name).id)
        if not spec.unique:
            return
        table: Any = TABLES[spec.table]
        query = select(table).where(table.deleted == False, col(table.id) != row.id)  # noqa: E712
        for name in spec.unique:
            query = query.where(getattr(table, name) == getattr(row, name))
        duplicate = session.exec(query).first()
    if duplicate is not None:
        raise FieldInvalid(
            spec.duplicate.format(**{n: value_label(getattr(row, n)) for n in spec.unique}),
            f"{spec.name}: duplicate {spec.unique}",
            field=spec.unique[-1],
        )


def add_row(account: Account, name: str, values: Mapping[str, str]) -> Any:
    spec = collection(name)
    row = TABLES[spec.table](**parse_values(spec, values))
    _check_row(spec, row)
    with account.store.write() as session:
        _check_links(session, spec, row)
        session.add(row)
    return row


def _shown(spec: CollectionSpec, row: Any) -> dict[str, str]:
    """The row's values as its editor shows them."""
    out: dict[str, str] = {}
    for field in spec.fields:
        value = getattr(row, field.name)
        out[field.name] = "" if value is None or value == "" else str(field.display(value))
    return out


def update_row(
    account: Account,
    name: str,
    row_id: str,
    values: Mapping[str, str],
    *,
    if_version: int | None = None,
) -> Any:
    """Change the given fields; with `if_version`, only if the row is still at that version
    (model.rules.record_version: refused with RecordChanged, never written over)."""
    spec = collection(name)
    parsed = parse_values(spec, values)
    with account.store.write() as session:
        row = session.get(TABLES[spec.table], row_id)
        if row is None or row.deleted:
            raise NotFound("Запись не найдена", f"{name} {row_id} not found")
        if is_stale(if_version, row.version):
            assert if_version is not None
            raise RecordChanged(if_version, row.version, _shown(spec, row))
        for key, value in parsed.items():
            setattr(row, key, value)
        _check_row(spec, row)
        _check_links(session, spec, row)
        row.touch()
        session.add(row)
    return row


def delete_row(account: Account, name: str, row_id: str) -> None:
    """A row the registry never saw just goes; a synced one becomes a tombstone to push."""
    spec = collection(name)
    with account.store.write() as session:
        row = session.get(TABLES[spec.table], row_id)
        if row is None or row.deleted:
            raise NotFound("Запись не найдена", f"{name} {row_id} not found")
        if row.synced_version == 0:
            session.delete(row)
        else:
            row.deleted = True
            row.touch()
            session.add(row)

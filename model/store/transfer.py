"""Export of the whole store to JSON (blobs by hash) and import into an empty store."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Date, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from frmr.model.rules.errors import FrmrError
from frmr.model.store.account import Account
from frmr.model.store.engine import make_private_dir
from frmr.model.store.private_files import write_private
from frmr.model.store.tables import (
    SYNCED_TABLES,
    AttachmentReplacement,
    Document,
    RejectedFile,
    StatusChange,
    SyncState,
)
from frmr.model.store.tables.types import EnumValue, UtcDateTime
from frmr.model.store.transfer_checks import import_problems, refuse_import

EXPORT_FORMAT = "frmr-export"
EXPORT_SCHEMA_VERSION = 1

# SYNCED_TABLES lists parents before children; the rest refer only to them.
EXPORTED: tuple[type[SQLModel], ...] = (
    *SYNCED_TABLES,
    StatusChange,
    RejectedFile,
    AttachmentReplacement,
    SyncState,
)


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row_to_json(row: SQLModel) -> dict[str, Any]:
    return {c.key: _encode(getattr(row, c.key)) for c in inspect(type(row)).columns}


def _decode(column_type: Any, raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(column_type, EnumValue):
        return column_type.enum_cls(raw)
    if isinstance(column_type, UtcDateTime):
        return datetime.fromisoformat(raw)
    if isinstance(column_type, Date):
        return date.fromisoformat(raw)
    return raw


def _row_from_json(table: type[SQLModel], data: dict[str, Any]) -> SQLModel:
    columns = inspect(table).columns
    return table(**{c.key: _decode(c.type, data[c.key]) for c in columns if c.key in data})


def export_store(account: Account, with_files: Path | None = None) -> dict[str, Any]:
    """Everything in the store; with `with_files`, the blobs are copied there by hash."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with account.store.read() as session:
        for table in EXPORTED:
            name = str(table.__tablename__)
            tables[name] = [_row_to_json(r) for r in session.exec(select(table)).all()]
        documents = session.exec(select(Document)).all()
    if with_files is not None:
        make_private_dir(with_files)
        for document in documents:
            target = with_files / document.sha256
            write_private(target, account.store.blobs.path_for(document.sha256).read_bytes())
    return {
        "format": EXPORT_FORMAT,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "store_revision": account.store.schema().current,
        "tables": tables,
        "blobs": sorted(d.sha256 for d in documents),
    }


def import_store(account: Account, data: dict[str, Any], files: Path | None = None) -> int:
    """Load an export into an empty store; returns the number of rows. Refuses a non-empty one."""
    if data.get("format") != EXPORT_FORMAT or data.get("schema_version") != EXPORT_SCHEMA_VERSION:
        raise FrmrError(
            "Файл не похож на выгрузку frmr этой версии",
            f"unsupported export: format={data.get('format')!r} "
            f"schema_version={data.get('schema_version')!r}",
            code="import_format",
        )
    # Every row is checked before anything (a blob, a row, a folder) is written.
    problems = import_problems(data, EXPORTED)
    if problems:
        raise refuse_import(problems)
    with account.store.read() as session:
        for table in EXPORTED:
            if session.exec(select(table)).first() is not None:
                raise FrmrError(
                    "Загрузить можно только в пустое хранилище: задайте другой FRMR_HOME",
                    "import refused: the store is not empty",
                    code="import_not_empty",
                )
    missing = []
    for sha in data.get("blobs", []):
        if account.store.blobs.has(sha):
            continue
        source = files / sha if files is not None else None
        if source is None or not source.exists():
            missing.append(sha)
            continue
        stored = account.store.blobs.put_file(source)
        if stored.sha256 != sha:
            raise FrmrError(
                f"Файл {sha[:12]}… повреждён: содержимое не совпадает с хешем",
                f"blob {sha} has a different hash {stored.sha256}",
                code="import_blob_mismatch",
            )
    if missing:
        raise FrmrError(
            f"Не хватает файлов документов ({len(missing)}): укажите папку --files",
            f"import is missing {len(missing)} blobs",
            code="import_blobs_missing",
            details={"missing": missing},
        )
    count = 0
    try:
        with account.store.write() as session:
            for table in EXPORTED:
                name = str(table.__tablename__)
                for item in data["tables"].get(name, []):
                    session.add(_row_from_json(table, item))
                    count += 1
                session.flush()
    except IntegrityError as error:
        # What the checks above did not foresee; the transaction is rolled back. The
        # error's own text carries the rows' values (diploma numbers, the СНИЛС): not shown.
        raise FrmrError(
            "Выгрузка не загружена, ничего не записано: её записи противоречат друг другу "
            "(повтор или ссылка на несуществующую запись)",
            f"import refused by the database: {type(error.orig).__name__}",
            code="import_invalid",
        ) from None
    for item in data["tables"].get("application", []):
        make_private_dir(account.application_folder(item["folder_name"]))
    return count


def write_export(account: Account, target: Path, with_files: Path | None = None) -> None:
    payload = export_store(account, with_files)
    # Private whole or not at all: an export holds the СНИЛС and the documents.
    write_private(target, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))

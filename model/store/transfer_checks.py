"""What `frmr import` checks before writing anything: every row through the editors' own
validators and the store's column types, so an export made by hand (or by an attacker) can
hold nothing the editors would refuse.

An export is a file a person may have edited, copied from elsewhere or been sent: it is
checked like typed input, and any problem refuses the whole import with the list of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, UniqueConstraint, inspect
from sqlmodel import SQLModel

from frmr.model.portfolio.collections import COLLECTIONS
from frmr.model.profile.card_fields import PROFILE_FIELDS, FieldSpec
from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.errors import FrmrError
from frmr.model.rules.text import check_field, check_optional
from frmr.model.store.tables import Application, Document, Person, StatusChange
from frmr.model.store.tables.types import EnumValue, UtcDateTime

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Made by new_application: the folder name is joined to the documents path, so nothing else.
FOLDER_NAME = re.compile(r"^application-[0-9a-f]{8}$")
MAX_LISTED = 30
# Columns that identify or version a row: an import without them can't be synced.
_REQUIRED_COLUMNS = frozenset({"id", "version", "synced_version"})

# Table name → (label, the editor's fields) for the tables a person edits.
_EDITED: Mapping[str, tuple[str, Iterable[FieldSpec]]] = {
    "person": ("Карточка", PROFILE_FIELDS.values()),
    **{spec.table: (spec.label, spec.fields) for spec in COLLECTIONS.values()},
}


def _as_typed(value: Any) -> str:
    """The value as a person would type it into the editor."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


def _type_problem(column: Any, raw: Any) -> str | None:
    """Why `raw` can't be a value of this column, or None."""
    kind = column.type
    if isinstance(kind, EnumValue):
        allowed = [m.value for m in kind.enum_cls]
        return None if raw in allowed else f"значение {raw!r:.40} не из списка {allowed}"
    if isinstance(kind, UtcDateTime):
        try:
            parsed = datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            return f"не дата и время с часовым поясом: {raw!r:.40}"
        return None
    if isinstance(kind, Date):
        if not isinstance(raw, str):
            return f"не дата: {raw!r:.40}"
        try:
            date.fromisoformat(raw)
        except ValueError:
            return f"такой даты нет: {raw!r:.40}"
        return None
    if isinstance(kind, Boolean):
        return None if isinstance(raw, bool) else f"не да/нет: {raw!r:.40}"
    if isinstance(kind, Integer):
        ok = isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 2**63
        return None if ok else f"не целое число: {raw!r:.40}"
    if isinstance(kind, Float):
        ok = isinstance(raw, int | float) and not isinstance(raw, bool)
        return None if ok else f"не число: {raw!r:.40}"
    if isinstance(kind, String):
        return None if isinstance(raw, str) else f"не текст: {raw!r:.40}"
    return None


def _editor_problems(
    fields: Iterable[FieldSpec], row: Mapping[str, Any], mistyped: set[str], complete: bool
) -> Iterable[str]:
    """`complete`: the editor makes rows whole (a portfolio row); the card is filled in one
    field at a time, so an empty required field of it is a card not finished, not an error."""
    for spec in fields:
        if spec.name in mistyped:
            continue  # already reported as the wrong type
        raw = row.get(spec.name)
        if raw is None or raw == "":
            if spec.required and complete:
                yield f"«{spec.label}»: поле обязательно"
            continue
        try:
            spec.parse(_as_typed(raw))
        except FrmrError as error:
            yield f"«{spec.label}»: {error.user_message}"


def _checked(label: str, check: Callable[[], object]) -> Iterable[str]:
    try:
        check()
    except FrmrError as error:
        yield f"«{label}»: {error.user_message}"


def _application_problems(row: Mapping[str, Any]) -> Iterable[str]:
    def text(field: str, label: str) -> Iterable[str]:
        value = row.get(field)
        return _checked(label, lambda: check_field("application", field, str(value or ""), label))

    yield from text("specialty_code", "Код специальности")
    yield from text("specialty_name", "Специальность")
    if row.get("education_level") is not None:
        yield from text("education_level", "Уровень образования")
    yield from _checked("Телефон", lambda: normalize_phone(str(row.get("phone") or "")))
    yield from _checked("Электронная почта", lambda: normalize_email(str(row.get("email") or "")))
    comment = row.get("comment")
    yield from _checked(
        "Комментарий",
        lambda: check_optional(
            "application", "comment", str(comment) if comment else None, "Комментарий"
        ),
    )
    if not FOLDER_NAME.match(str(row.get("folder_name", ""))):
        yield "«Папка заявления»: имя не похоже на созданное frmr"


def _reason_problems(row: Mapping[str, Any]) -> Iterable[str]:
    reason = row.get("reason")
    return _checked(
        "Причина",
        lambda: check_optional("reason", "reason", str(reason) if reason else None, "Причина"),
    )


def _document_problems(row: Mapping[str, Any]) -> Iterable[str]:
    if not SHA256.match(str(row.get("sha256", ""))):
        yield "«Хеш файла»: не SHA-256"


_ROW_RULES: Mapping[str, Callable[[Mapping[str, Any]], Iterable[str]]] = {
    str(Application.__tablename__): _application_problems,
    str(StatusChange.__tablename__): _reason_problems,
    str(Document.__tablename__): _document_problems,
}


def _row_problems(table: type[SQLModel], row: Any) -> Iterable[str]:
    if not isinstance(row, dict):
        yield "запись не является объектом JSON"
        return
    columns = {c.key: c for c in inspect(table).columns}
    mistyped: set[str] = set()
    for key, raw in row.items():
        column = columns.get(key)
        if column is None:
            yield f"неизвестное поле {key!r:.40}"
        elif raw is not None and (problem := _type_problem(column, raw)) is not None:
            mistyped.add(key)
            yield f"поле {key}: {problem}"
    for key in sorted((_REQUIRED_COLUMNS & set(columns)) - set(row)):
        yield f"нет поля {key}"
    name = str(table.__tablename__)
    if name in _EDITED:
        complete = table is not Person
        yield from _editor_problems(_EDITED[name][1], row, mistyped, complete)
    rule = _ROW_RULES.get(name)
    if rule is not None:
        yield from rule(row)


_LABELS: Mapping[str, str] = {
    **{name: label for name, (label, _) in _EDITED.items()},
    str(Application.__tablename__): "Заявление",
    str(StatusChange.__tablename__): "История статусов",
    str(Document.__tablename__): "Документ",
}


def _unique_keys(table: type[SQLModel]) -> list[tuple[str, ...]]:
    """The column sets the table holds unique: its primary key, unique columns and indexes."""
    sa_table: Any = table.__table__  # type: ignore[attr-defined]
    keys: list[tuple[str, ...]] = [tuple(c.key for c in sa_table.primary_key.columns)]
    keys += [(c.key,) for c in sa_table.columns if c.unique]
    for constraint in sa_table.constraints:
        if isinstance(constraint, UniqueConstraint):
            keys.append(tuple(c.key for c in constraint.columns))
    keys += [tuple(c.key for c in i.columns) for i in sa_table.indexes if i.unique]
    return list(dict.fromkeys(k for k in keys if k))


def _duplicates(table: type[SQLModel], rows: list[Any]) -> Iterable[str]:
    """Rows that would collide on a unique key: found here, not as an IntegrityError (whose
    text carries the rows' values: diploma numbers, the СНИЛС) halfway through the write.
    Only the column names and row numbers are named."""
    for key in _unique_keys(table):
        first_seen: dict[tuple[Any, ...], int] = {}
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                continue
            values = tuple(row.get(column) for column in key)
            if any(v is None for v in values):
                continue  # NULLs never collide in SQL
            values = tuple(str(v) for v in values)
            if values in first_seen:
                yield (
                    f"запись {index}: повторяет запись {first_seen[values]} "
                    f"(поле {', '.join(key)} должно быть уникальным)"
                )
            else:
                first_seen[values] = index


def import_problems(data: Mapping[str, Any], exported: Iterable[type[SQLModel]]) -> list[str]:
    """Every problem of an export's rows, in Russian, each naming the table and the row."""
    exported = list(exported)
    tables = data.get("tables")
    if not isinstance(tables, dict):
        return ["в выгрузке нет таблиц"]
    blobs = data.get("blobs", [])
    if not isinstance(blobs, list) or not all(SHA256.match(str(b)) for b in blobs):
        return ["список файлов документов (blobs) содержит не хеши SHA-256"]
    problems: list[str] = []
    for table in exported:
        name = str(table.__tablename__)
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            problems.append(f"{_LABELS.get(name, name)}: не список записей")
            continue
        if table is Person and len(rows) > 1:
            problems.append(f"{_LABELS[name]}: записей {len(rows)}, а карточка одна")
        for index, row in enumerate(rows, start=1):
            problems.extend(
                f"{_LABELS.get(name, name)}, запись {index}: {problem}"
                for problem in _row_problems(table, row)
            )
        problems.extend(f"{_LABELS.get(name, name)}, {d}" for d in _duplicates(table, rows))
    unknown = sorted(set(tables) - {str(t.__tablename__) for t in exported})
    problems.extend(f"неизвестная таблица {name!r:.40}" for name in unknown)
    return problems


def refuse_import(problems: list[str]) -> FrmrError:
    shown = problems[:MAX_LISTED]
    more = len(problems) - len(shown)
    lines = [f"  • {p}" for p in shown]
    if more:
        lines.append(f"  … и ещё {more}")
    return FrmrError(
        "Выгрузка не загружена, ничего не записано. Ошибки:\n" + "\n".join(lines),
        f"import refused: {len(problems)} problems",
        code="import_invalid",
        details={"import_problems": problems},
    )

"""Reference books (НСИ): specialties and positions, a bundled subset or the user's full file."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from frmr.model.rules.errors import FieldInvalid, NotFound

SPECIALTIES_OID = "1.2.643.5.1.13.13.11.1066"


@dataclass(frozen=True)
class RefItem:
    code: str
    name: str
    # Specialties only: "higher" or "secondary", the education the specialty requires.
    level: str | None = None
    # Whether the code is the NSI book's own; bundled codes are local numbers.
    nsi: bool = False
    # The ФФОМС classifier V021's IDSPEC and the NSI book 1066's codes where a published
    # copy shows them (specialties.json «note» says which copy); inferred: placed by order.
    v021: str | None = None
    v021_inferred: bool = False
    nsi_1066: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceBook:
    oid: str
    title: str
    items: tuple[RefItem, ...]

    def label(self, item: RefItem) -> str:
        """The name as a list shows it: with its level where the name exists at both
        («Лечебное дело (высшее)»), so choosing it never leaves the level to a guess."""
        if item.level is None or not self._at_both_levels(item.name):
            return item.name
        return f"{item.name} ({LEVEL_WORDS[item.level]})"

    def labels(self) -> list[str]:
        return [self.label(i) for i in self.items]

    def _at_both_levels(self, name: str) -> bool:
        return _fold(name) in self._names_at_both_levels

    @cached_property
    def _names_at_both_levels(self) -> frozenset[str]:
        """Worked out once a book: a label is asked for every item (a list, a `find`), and a
        scan of the book for each made both quadratic, 7 ms on the 139 bundled specialties."""
        levels: dict[str, set[str | None]] = {}
        for item in self.items:
            levels.setdefault(_fold(item.name), set()).add(item.level)
        return frozenset(name for name, seen in levels.items() if len(seen) > 1)

    def find(self, code_or_name: str, level: str | None = None) -> RefItem:
        """By code, by a list's label, or by name ignoring case and «ё»; «Терапия» and its
        code both work. A name at both levels needs `level` (or the label that carries it)."""
        typed = code_or_name.strip()
        wanted = _fold(typed)
        by_code = [i for i in self.items if i.code == typed]
        by_label = [i for i in self.items if _fold(self.label(i)) == wanted]
        by_name = [i for i in self.items if _fold(i.name) == wanted]
        found = by_code or by_label or by_name
        if level is not None:
            mine = [i for i in found if i.level in (None, level)]
            if found and not mine:
                other = ", ".join(
                    f"{LEVEL_WORDS.get(i.level or '', '?')}: код {i.code}" for i in found
                )
                raise FieldInvalid(
                    f"Специальность «{typed}» не относится к уровню «{LEVEL_WORDS[level]}» "
                    f"образования ({other})",
                    f"reference {self.oid}: {typed!r} has no item at level {level}",
                    field="education_level",
                )
            found = mine
        if len(found) > 1:
            raise FieldInvalid(
                f"Специальность «{typed}» есть и для высшего, и для среднего образования: "
                "укажите уровень (--education-level higher или secondary) или выберите "
                "название с уровнем: " + ", ".join(f"«{self.label(i)}»" for i in found),
                f"reference {self.oid}: {typed!r} is at both levels, none given",
                field="education_level",
            )
        if found:
            return found[0]
        raise NotFound(
            f"Специальность «{code_or_name}» не найдена в справочнике. Список: frmr specialties",
            f"reference {self.oid}: no item {code_or_name!r}",
            code="specialty_unknown",
        )


# How a level reads beside a specialty's name.
LEVEL_WORDS = {"higher": "высшее", "secondary": "среднее"}


def _fold(text: str) -> str:
    return text.strip().casefold().replace("ё", "е")


def _parse(raw: dict[str, object]) -> ReferenceBook:
    items_raw = raw.get("items", [])
    assert isinstance(items_raw, list)
    items = tuple(
        RefItem(
            str(i["code"]),
            str(i["name"]),
            str(i["level"]) if i.get("level") else None,
            bool(i.get("nsi", False)),
            str(i["v021"]) if i.get("v021") else None,
            bool(i.get("v021_inferred", False)),
            tuple(str(c) for c in i.get("nsi_1066", ())),
        )
        for i in items_raw
    )
    return ReferenceBook(str(raw.get("oid", "")), str(raw.get("title", "")), items)


def _bundled(name: str) -> ReferenceBook:
    text = resources.files("frmr.model.data").joinpath(name).read_text(encoding="utf-8")
    return _parse(json.loads(text))


def load_specialties(home: Path | None = None) -> ReferenceBook:
    """The user's full file ($FRMR_HOME/nsi/specialties.json) when present, else the subset."""
    if home is not None:
        user_file = home / "nsi" / "specialties.json"
        if user_file.exists():
            return _parse(json.loads(user_file.read_text(encoding="utf-8")))
    return _bundled("specialties.json")


def load_positions(home: Path | None = None) -> ReferenceBook:
    if home is not None:
        user_file = home / "nsi" / "positions.json"
        if user_file.exists():
            return _parse(json.loads(user_file.read_text(encoding="utf-8")))
    return _bundled("positions.json")


# Column names the NSI book's exports use for the code and the name, upper-cased.
_CODE_KEYS = ("ID", "CODE", "RECID", "КОД", "ИДЕНТИФИКАТОР")
_NAME_KEYS = ("NAME", "NAME_SPEC", "SPEC_NAME", "НАИМЕНОВАНИЕ", "НАЗВАНИЕ")


def _pick(row: Mapping[str, object], keys: Iterable[str]) -> str | None:
    upper = {str(k).strip().upper(): v for k, v in row.items()}
    for key in keys:
        value = upper.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _rows_from_json(raw: object) -> list[Mapping[str, object]]:
    if isinstance(raw, dict) and isinstance(raw.get("items"), list):
        return [i for i in raw["items"] if isinstance(i, dict)]
    if isinstance(raw, dict) and isinstance(raw.get("list"), list):
        # The NSI REST answer: each record a list of {"column", "value"}.
        rows: list[Mapping[str, object]] = []
        for record in raw["list"]:
            if isinstance(record, list):
                rows.append(
                    {str(c.get("column")): c.get("value") for c in record if isinstance(c, dict)}
                )
            elif isinstance(record, dict):
                rows.append(record)
        return rows
    if isinstance(raw, list):
        return [r for r in raw if isinstance(r, dict)]
    return []


def _rows_from_xml(text: str) -> list[Mapping[str, object]]:
    rows: list[Mapping[str, object]] = []
    for element in ET.fromstring(text).iter():
        children = {child.tag.rsplit("}", 1)[-1]: (child.text or "") for child in element}
        fields = {**children, **element.attrib}
        if _pick(fields, _CODE_KEYS) and _pick(fields, _NAME_KEYS):
            rows.append(fields)
    return rows


def _rows_from_csv(text: str) -> list[Mapping[str, object]]:
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def parse_nsi_export(data: bytes, bundled: ReferenceBook) -> ReferenceBook:
    """The specialties book from an NSI export: JSON (a list of records or the REST answer's
    {"list": …}), XML, or CSV (";" or ","; UTF-8 or Windows-1251). Levels are kept from the
    bundled list where the names match."""
    text = _decode(data).strip()
    try:
        if text.startswith(("{", "[")):
            rows = _rows_from_json(json.loads(text))
        elif text.startswith("<"):
            rows = _rows_from_xml(text)
        else:
            rows = _rows_from_csv(text)
    except (ValueError, ET.ParseError, csv.Error) as exc:
        raise FieldInvalid(
            "Файл не похож на выгрузку справочника НСИ (JSON, XML или CSV)",
            f"nsi export unreadable: {exc}",
            field="file",
        ) from None
    levels = {_fold(i.name): i.level for i in bundled.items}
    items = []
    for row in rows:
        code, name = _pick(row, _CODE_KEYS), _pick(row, _NAME_KEYS)
        if code and name:
            items.append(RefItem(code, name, levels.get(_fold(name)), nsi=True))
    if not items:
        raise FieldInvalid(
            "В файле не найдено ни одной записи с кодом и наименованием",
            "nsi export has no code/name records",
            field="file",
        )
    return ReferenceBook(SPECIALTIES_OID, "Номенклатура специальностей (НСИ)", tuple(items))


def install_specialties(home: Path, book: ReferenceBook) -> Path:
    """Replace the bundled list with `book` for this home; written whole, then renamed."""
    from frmr.model.store.engine import make_private_dir  # the store's engine is not needed to read
    from frmr.model.store.private_files import write_private

    folder = home / "nsi"
    make_private_dir(folder)
    target = folder / "specialties.json"
    payload = {
        "oid": book.oid,
        "title": book.title,
        "items": [
            {"code": i.code, "name": i.name, "level": i.level, "nsi": i.nsi} for i in book.items
        ],
    }
    write_private(target, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
    return target


def bundled_specialties() -> ReferenceBook:
    return _bundled("specialties.json")

"""Reference books (НСИ): specialties and positions, a bundled subset or the user's full file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from frmr.model.errors import NotFound

SPECIALTIES_OID = "1.2.643.5.1.13.13.11.1066"
POSITIONS_OID = "1.2.643.5.1.13.13.11.1102"


@dataclass(frozen=True)
class RefItem:
    code: str
    name: str
    # Specialties only: "higher" or "secondary", the education the specialty requires.
    level: str | None = None


@dataclass(frozen=True)
class ReferenceBook:
    oid: str
    title: str
    items: tuple[RefItem, ...]

    def find(self, code_or_name: str) -> RefItem:
        """By code, or by name ignoring case and «ё»; «Терапия» and its code both work."""
        wanted = _fold(code_or_name)
        for item in self.items:
            if item.code == code_or_name.strip() or _fold(item.name) == wanted:
                return item
        raise NotFound(
            f"Специальность «{code_or_name}» не найдена в справочнике. Список: frmr specialties",
            f"reference {self.oid}: no item {code_or_name!r}",
            code="specialty_unknown",
        )


def _fold(text: str) -> str:
    return text.strip().casefold().replace("ё", "е")


def _parse(raw: dict[str, object]) -> ReferenceBook:
    items_raw = raw.get("items", [])
    assert isinstance(items_raw, list)
    items = tuple(
        RefItem(str(i["code"]), str(i["name"]), str(i["level"]) if i.get("level") else None)
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

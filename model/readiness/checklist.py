"""The documents each route needs (rules.json «documents»), and which file covers each.

A file is tagged with the item it covers; without a tag the item is guessed from the file
name (portal guides name files like «Смирнов А.В. трудовая книжка на 3 л.»).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PERIODIC = "periodic"
PRIMARY = "primary"
BOTH = frozenset({PERIODIC, PRIMARY})


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    routes: frozenset[str]
    # Lower-case fragments of a file name that point to this item, most specific first.
    hints: tuple[str, ...]
    short: str = ""


PERIODIC_ONLY = frozenset({PERIODIC})
PRIMARY_ONLY = frozenset({PRIMARY})

# One row an item: id, short name, label, routes, file-name hints ("|" between them). In
# guessing order: «сертификат специалиста» must win over the plain «сертификат» of НМО.
_TABLE: tuple[tuple[str, str, str, frozenset[str], str], ...] = (
    ("identity", "паспорт", "Документ, удостоверяющий личность", BOTH, "паспорт|passport|снилс"),
    (
        "accreditation",
        "сертификат/аккредитация",
        "Сертификат специалиста или выписка об аккредитации",
        PERIODIC_ONLY,
        "сертификат специалиста|аккредитац|выписка",
    ),
    (
        "retraining",
        "переподготовка/ординатура",
        "Документ о переподготовке или ординатуре",
        PRIMARY_ONLY,
        "переподготов|ординатур",
    ),
    ("diploma", "диплом", "Диплом с приложением", BOTH, "диплом|diploma|приложение к диплому"),
    (
        "training",
        "удостоверения об обучении",
        "Удостоверения и сертификаты об обучении (ДПП ПК, НМО)",
        PERIODIC_ONLY,
        "удостоверени|повышени|нмо|сертификат|certificate",
    ),
    ("report", "отчёт", "Отчёт о профессиональной деятельности", PERIODIC_ONLY, "отчет|report"),
    (
        "employment",
        "трудовая",
        "Трудовая книжка или сведения о трудовой деятельности",
        PERIODIC_ONLY,
        "трудов|стд-р|договор|employment",
    ),
)
ITEMS: tuple[ChecklistItem, ...] = tuple(
    ChecklistItem(item_id, label, routes, tuple(hints.split("|")), short)
    for item_id, short, label, routes, hints in _TABLE
)
ITEM_IDS = frozenset(i.id for i in ITEMS)


def guess_item(file_name: str) -> str | None:
    name = file_name.casefold().replace("ё", "е")
    for item in ITEMS:
        if any(h in name for h in item.hints):
            return item.id
    return None


@dataclass(frozen=True)
class ChecklistLine:
    item: ChecklistItem
    files: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "label": self.item.label,
            "covered": self.covered,
            "files": list(self.files),
        }


def checklist(route: str, documents: Sequence[tuple[str, str | None]]) -> list[ChecklistLine]:
    """Each item the route needs with the files covering it; a file's tag beats the guess."""
    by_item: dict[str, list[str]] = {}
    for file_name, tag in documents:
        item = tag if tag in ITEM_IDS else guess_item(file_name)
        if item is not None:
            by_item.setdefault(item, []).append(file_name)
    return [
        ChecklistLine(item, tuple(by_item.get(item.id, ())))
        for item in ITEMS
        if route in item.routes
    ]

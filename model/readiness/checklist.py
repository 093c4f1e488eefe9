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


# In guessing order: «сертификат специалиста» must win over the plain «сертификат» of НМО.
ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "identity",
        "Документ, удостоверяющий личность",
        BOTH,
        ("паспорт", "passport", "снилс"),
        short="паспорт",
    ),
    ChecklistItem(
        "accreditation",
        "Сертификат специалиста или выписка об аккредитации",
        frozenset({PERIODIC}),
        ("сертификат специалиста", "аккредитац", "выписка"),
        short="сертификат/аккредитация",
    ),
    ChecklistItem(
        "retraining",
        "Документ о переподготовке или ординатуре",
        frozenset({PRIMARY}),
        ("переподготов", "ординатур"),
        short="переподготовка/ординатура",
    ),
    ChecklistItem(
        "diploma",
        "Диплом с приложением",
        BOTH,
        ("диплом", "diploma", "приложение к диплому"),
        short="диплом",
    ),
    ChecklistItem(
        "training",
        "Удостоверения и сертификаты об обучении (ДПП ПК, НМО)",
        frozenset({PERIODIC}),
        ("удостоверени", "повышени", "нмо", "сертификат", "certificate"),
        short="удостоверения об обучении",
    ),
    ChecklistItem(
        "report",
        "Отчёт о профессиональной деятельности",
        frozenset({PERIODIC}),
        ("отчет", "отчёт", "report"),
        short="отчёт",
    ),
    ChecklistItem(
        "employment",
        "Трудовая книжка или сведения о трудовой деятельности",
        frozenset({PERIODIC}),
        ("трудов", "стд-р", "договор", "employment"),
        short="трудовая",
    ),
)
ITEM_IDS = frozenset(i.id for i in ITEMS)


def guess_item(file_name: str) -> str | None:
    name = file_name.casefold().replace("ё", "е")
    for item in ITEMS:
        if any(h.replace("ё", "е") in name for h in item.hints):
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

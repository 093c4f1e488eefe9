"""The documents each route needs (rules.json «documents»), and which file covers each.

A file is tagged with the item it covers; without a tag the item is guessed from the file
name (portal guides name files like «Смирнов А.В. трудовая книжка на 3 л.»). An item the
published list of documents names for the route is required: without its file the
application is incomplete, and incompleteness is a reason the commission refuses. The
other items are worth attaching, but no source read makes them a condition.
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
    # The routes on which the list of documents (rules.json «documents») names this item.
    required: frozenset[str] = frozenset()
    # The list names a copy of this only «при наличии»: required when the worker's document
    # in force is of this kind (a paper сертификат специалиста), an оговорка otherwise.
    only_with: str | None = None

    def required_on(self, route: str, holds: str | None) -> bool:
        return route in self.required and (self.only_with is None or holds == self.only_with)


PERIODIC_ONLY = frozenset({PERIODIC})
PRIMARY_ONLY = frozenset({PRIMARY})

NONE: frozenset[str] = frozenset()
CERTIFICATE = "certificate"

# One row an item: id, short name, label, routes, file-name hints ("|" between them), the
# routes whose list of documents names it, and the document kind it depends on. In guessing
# order: «сертификат специалиста» must win over the plain «сертификат» of НМО.
_TABLE: tuple[tuple[str, str, str, frozenset[str], str, frozenset[str], str | None], ...] = (
    (
        "identity",
        "паспорт",
        "Документ, удостоверяющий личность",
        BOTH,
        "паспорт|passport",
        BOTH,
        None,
    ),
    (
        "accreditation",
        "сертификат/аккредитация",
        "Сертификат специалиста или выписка об аккредитации",
        PERIODIC_ONLY,
        "сертификат специалиста|аккредитац|выписка",
        PERIODIC_ONLY,
        CERTIFICATE,
    ),
    (
        "retraining",
        "переподготовка/ординатура",
        "Документ о переподготовке или ординатуре",
        PRIMARY_ONLY,
        "переподготов|ординатур",
        NONE,
        None,
    ),
    (
        "diploma",
        "диплом",
        "Диплом с приложением",
        BOTH,
        "диплом|diploma|приложение к диплому",
        BOTH,
        None,
    ),
    (
        "training",
        "удостоверения об обучении",
        "Удостоверения и сертификаты об обучении (ДПП ПК, НМО)",
        PERIODIC_ONLY,
        "удостоверени|повышени|нмо|сертификат|certificate",
        PERIODIC_ONLY,
        None,
    ),
    # The report itself is part of the portfolio, checked on its own («Нет отчёта»); a scan
    # of the signed copy is extra.
    (
        "report",
        "отчёт",
        "Отчёт о профессиональной деятельности",
        PERIODIC_ONLY,
        "отчет|report",
        NONE,
        None,
    ),
    (
        "employment",
        "трудовая",
        "Трудовая книжка или сведения о трудовой деятельности",
        PERIODIC_ONLY,
        "трудов|стд-р|договор|employment",
        NONE,
        None,
    ),
)
ITEMS: tuple[ChecklistItem, ...] = tuple(
    ChecklistItem(item_id, label, routes, tuple(hints.split("|")), short, required, only_with)
    for item_id, short, label, routes, hints, required, only_with in _TABLE
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
    # The list of documents names this item for the route: without a file it blocks.
    required: bool = False

    @property
    def covered(self) -> bool:
        return bool(self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "label": self.item.label,
            "covered": self.covered,
            "required": self.required,
            "files": list(self.files),
        }


def checklist(
    route: str, documents: Sequence[tuple[str, str | None]], holds: str | None = None
) -> list[ChecklistLine]:
    """Each item the route needs with the files covering it; a file's tag beats the guess.

    `holds` is the kind of the worker's document in force («certificate» or «accreditation»),
    which decides whether its copy is required."""
    by_item: dict[str, list[str]] = {}
    for file_name, tag in documents:
        item = tag if tag in ITEM_IDS else guess_item(file_name)
        if item is not None:
            by_item.setdefault(item, []).append(file_name)
    return [
        ChecklistLine(item, tuple(by_item.get(item.id, ())), item.required_on(route, holds))
        for item in ITEMS
        if route in item.routes
    ]

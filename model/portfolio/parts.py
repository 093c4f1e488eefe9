"""The two parts of the accreditation portfolio, without the ORM (model.store.reads uses them)."""

from __future__ import annotations

from enum import StrEnum


class PortfolioPart(StrEnum):
    """Профессиональная and образовательная: each carries additional documents (fgis-tp.ru)."""

    PROFESSIONAL = "professional"
    EDUCATIONAL = "educational"

    @property
    def label(self) -> str:
        return {"professional": "Профессиональная", "educational": "Образовательная"}[self.value]

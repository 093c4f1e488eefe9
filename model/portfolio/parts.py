"""The two parts of the accreditation portfolio, without the ORM (model.store.reads uses them)."""

from __future__ import annotations

from frmr.model.rules.labelled import LabelledEnum


class PortfolioPart(LabelledEnum):
    """Профессиональная and образовательная: each carries additional documents (fgis-tp.ru)."""

    PROFESSIONAL = "professional", "Профессиональная"
    EDUCATIONAL = "educational", "Образовательная"

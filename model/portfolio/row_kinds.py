"""Kinds of portfolio rows that rules read without the ORM (the report's pre-filled facts,
model.store.reads); model.store.tables stores them."""

from __future__ import annotations

from enum import StrEnum


class CertificateKind(StrEnum):
    CERTIFICATE = "certificate"
    ACCREDITATION = "accreditation"

    @property
    def label(self) -> str:
        return {"certificate": "Сертификат специалиста", "accreditation": "Аккредитация"}[
            self.value
        ]


class PositionType(StrEnum):
    MAIN = "main"
    INTERNAL_PART_TIME = "internal_part_time"
    COMBINATION = "combination"
    EXTERNAL_PART_TIME = "external_part_time"

    @property
    def label(self) -> str:
        return {
            "main": "Основное",
            "internal_part_time": "Внутреннее совместительство",
            "combination": "Совмещение",
            "external_part_time": "Внешнее совместительство",
        }[self.value]

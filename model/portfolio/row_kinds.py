"""Kinds of portfolio and profile rows, read without the ORM (the report's pre-filled facts,
model.store.reads, the lists' records); model.store.tables stores them."""

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


class EducationKind(StrEnum):
    PROF = "prof"
    POSTGRADUATE = "postgraduate"

    @property
    def label(self) -> str:
        return {"prof": "Профессиональное", "postgraduate": "Послевузовское"}[self.value]


class AddressKind(StrEnum):
    REGISTRATION = "registration"
    ACTUAL = "actual"

    @property
    def label(self) -> str:
        return "Адрес регистрации" if self is AddressKind.REGISTRATION else "Фактический адрес"

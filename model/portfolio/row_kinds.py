"""Kinds of portfolio and profile rows, read without the ORM (the report's pre-filled facts,
model.store.reads, the lists' records); model.store.tables stores them."""

from __future__ import annotations

from frmr.model.rules.labelled import LabelledEnum


class CertificateKind(LabelledEnum):
    CERTIFICATE = "certificate", "Сертификат специалиста"
    ACCREDITATION = "accreditation", "Аккредитация"


class PositionType(LabelledEnum):
    MAIN = "main", "Основное"
    INTERNAL_PART_TIME = "internal_part_time", "Внутреннее совместительство"
    COMBINATION = "combination", "Совмещение"
    EXTERNAL_PART_TIME = "external_part_time", "Внешнее совместительство"


class EducationKind(LabelledEnum):
    PROF = "prof", "Профессиональное"
    POSTGRADUATE = "postgraduate", "Послевузовское"


class AddressKind(LabelledEnum):
    REGISTRATION = "registration", "Адрес регистрации"
    ACTUAL = "actual", "Фактический адрес"

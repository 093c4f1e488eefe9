"""The person card and what hangs off it in «Профиль»: identity documents and addresses."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from frmr.model.portfolio.row_kinds import AddressKind as AddressKind
from frmr.model.rules.gender import Gender
from frmr.model.rules.text import full_name
from frmr.model.store.tables.base import SyncColumns
from frmr.model.store.tables.types import EnumValue


class Person(SyncColumns, table=True):
    """«Карточка»: one row, the account holder."""

    __tablename__ = "person"

    last_name: str = ""
    first_name: str = ""
    patronymic: str | None = None
    gender: Gender | None = Field(default=None, sa_type=EnumValue(Gender, 1))
    birth_date: date | None = None
    birth_place: str | None = None
    snils: str | None = Field(default=None, max_length=11)
    inn: str | None = Field(default=None, max_length=12)
    citizenship: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.patronymic)


class IdentityDocument(SyncColumns, table=True):
    __tablename__ = "identity_document"

    doc_type: str = "Паспорт гражданина РФ"
    serial: str | None = None
    number: str = ""
    issue_date: date | None = None
    issuer: str | None = None
    division_code: str | None = None


class Address(SyncColumns, table=True):
    __tablename__ = "address"

    kind: AddressKind = Field(default=AddressKind.REGISTRATION, sa_type=EnumValue(AddressKind))
    region: str = ""
    area: str | None = None
    city: str | None = None
    street: str | None = None
    house: str | None = None
    building: str | None = None
    flat: str | None = None
    fias_guid: str | None = None

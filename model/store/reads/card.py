"""The person card."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from frmr.model.rules.gender import Gender
from frmr.model.rules.text import full_name
from frmr.model.store.reads import stored_day

_CARD_COLUMNS = (
    "id",
    "version",
    "synced_version",
    "last_name",
    "first_name",
    "patronymic",
    "gender",
    "birth_date",
    "birth_place",
    "snils",
    "inn",
    "citizenship",
    "phone",
    "email",
)
# The card is the first person row, tombstoned or not: a store holds one.
_CARD = f"SELECT {', '.join(_CARD_COLUMNS)} FROM person LIMIT 1"


@dataclass(frozen=True)
class Card:
    """The person card's columns, as model.profile.card_fields shows them."""

    id: str
    version: int
    synced_version: int
    last_name: str
    first_name: str
    patronymic: str | None
    gender: Gender | None
    birth_date: date | None
    birth_place: str | None
    snils: str | None
    inn: str | None
    citizenship: str | None
    phone: str | None
    email: str | None

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.patronymic)


def read_card(conn: sqlite3.Connection) -> Card | None:
    """The stored card, or None when there is none yet (model.profile.card makes it)."""
    row = conn.execute(_CARD).fetchone()
    if row is None:
        return None
    values = dict(zip(_CARD_COLUMNS, row, strict=True))
    gender, born = values.pop("gender"), values.pop("birth_date")
    return Card(
        gender=Gender(gender) if gender is not None else None,
        birth_date=stored_day(born),
        **values,
    )

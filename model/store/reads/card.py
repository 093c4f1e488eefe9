"""The person card."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from datetime import date

from frmr.model.rules.gender import Gender
from frmr.model.rules.record_version import ABSENT
from frmr.model.rules.text import full_name
from frmr.model.store.reads import stored_day


@dataclass(frozen=True)
class Card:
    """The person card's columns, as model.profile.card_fields shows them."""

    id: str
    version: int
    synced_version: int
    last_name: str
    first_name: str
    patronymic: str | None = None
    gender: Gender | None = None
    birth_date: date | None = None
    birth_place: str | None = None
    snils: str | None = None
    inn: str | None = None
    citizenship: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.patronymic)


# A store with no card yet shows a blank one; its first edit saves it (model.profile.card),
# and an edit checked against this version finds the card still absent.
BLANK_CARD = Card(id="", version=ABSENT, synced_version=0, last_name="", first_name="")

# The card is the first person row, tombstoned or not: a store holds one. Each field is the
# column of its name.
_CARD_COLUMNS = tuple(f.name for f in fields(Card))
_CARD = f"SELECT {', '.join(_CARD_COLUMNS)} FROM person LIMIT 1"


def read_card(conn: sqlite3.Connection) -> Card:
    """The stored card, or BLANK_CARD when there is none yet."""
    row = conn.execute(_CARD).fetchone()
    if row is None:
        return BLANK_CARD
    values = dict(zip(_CARD_COLUMNS, row, strict=True))
    gender, born = values.pop("gender"), values.pop("birth_date")
    return Card(
        gender=Gender(gender) if gender is not None else None,
        birth_date=stored_day(born),
        **values,
    )

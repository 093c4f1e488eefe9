"""«Карточка»: reading the person card and changing it one validated field at a time."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from frmr.model.account import Account

# The card's fields and their JSON shape live where the ORM is not imported (the CLI's
# quick read uses them); these names stay importable from here for the TUI.
from frmr.model.profile_fields import PROFILE_FIELDS as PROFILE_FIELDS
from frmr.model.profile_fields import FieldSpec as FieldSpec
from frmr.model.profile_fields import display_value as display_value
from frmr.model.profile_fields import parse_profile_field as parse_profile_field
from frmr.model.profile_fields import profile_as_dict as profile_as_dict
from frmr.model.tables import Person


def _person(session: Session) -> Person:
    person = session.exec(select(Person).where(Person.deleted == False)).first()  # noqa: E712
    if person is None:
        person = Person()
        session.add(person)
    return person


def get_person(account: Account) -> Person:
    with account.store.read() as session:
        person = session.exec(select(Person)).first()
    return person if person is not None else Person()


def update_profile(account: Account, values: Mapping[str, str]) -> Person:
    """Validate every value first; save all of them or, on any error, none."""
    parsed = {name: parse_profile_field(name, text) for name, text in values.items()}
    with account.store.write() as session:
        person = _person(session)
        changed = False
        for name, value in parsed.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed = True
        if changed:
            person.touch()
        session.add(person)
    return person


def set_profile_field(account: Account, name: str, text: str) -> Person:
    return update_profile(account, {name: text})

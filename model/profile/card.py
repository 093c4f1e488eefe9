"""«Карточка»: reading the person card and changing it one validated field at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

from sqlmodel import select

from frmr.model.profile.card_fields import PROFILE_FIELDS, display_value, parse_profile_field
from frmr.model.rules.errors import SNILS_IMMUTABLE, FieldInvalid
from frmr.model.rules.record_version import ABSENT, RecordChanged, is_stale
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.card import Card, read_card
from frmr.model.store.tables import Person


def _check_snils_kept(person: Person, snils: str | None) -> None:
    """Once the registry has the card, its СНИЛС is the account's and can't change there;
    changing it here would leave a card that every sync is refused."""
    known_remotely = person.synced_version > 0 or person.remote_version is not None
    if known_remotely and person.snils and snils != person.snils:
        raise FieldInvalid(
            SNILS_IMMUTABLE,
            "the card's snils can't change once the registry has it",
            field="snils",
            code="snils_immutable",
        )


def get_person(account: Account) -> Card:
    """The card (model.store.reads.card); a blank one at version ABSENT when there is none yet."""
    with account.store.read() as session:
        return read_card(session_connection(session))


def update_profile(
    account: Account, values: Mapping[str, str], *, if_version: int | None = None
) -> Card:
    """Validate every value first; save all of them or, on any error, none.

    With `if_version`, the save is refused (RecordChanged) when the card is no longer at the
    version the values were typed against: checked and written in one write transaction.
    """
    parsed = {name: parse_profile_field(name, text) for name, text in values.items()}
    with account.store.write() as session:
        existing = session.exec(select(Person).where(Person.deleted == False)).first()  # noqa: E712
        current = existing.version if existing is not None else ABSENT
        if is_stale(if_version, current):
            assert if_version is not None
            shown = {n: display_value(n, getattr(existing, n, None)) for n in PROFILE_FIELDS}
            raise RecordChanged(if_version, current, shown)
        person = existing or Person()
        _check_snils_kept(person, parsed.get("snils", person.snils))
        changed = False
        for name, value in parsed.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed = True
        if changed:
            person.touch()
        session.add(person)
        # A plain record, as get_person answers: no caller holds the stored row.
        return Card(**{f.name: getattr(person, f.name) for f in fields(Card)})


def set_profile_field(
    account: Account, name: str, text: str, *, if_version: int | None = None
) -> Card:
    return update_profile(account, {name: text}, if_version=if_version)

"""The person card's fields: how each is parsed, shown, and written as `--json`.

Free of SQLModel, so `frmr profile show` answers from model.store.reads's sqlite3 read;
model.profile.card writes the card with the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from frmr.model.rules.contacts import format_phone, normalize_email, normalize_phone
from frmr.model.rules.dates import check_birth_date, format_date, parse_date
from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.rules.gender import Gender
from frmr.model.rules.inn import normalize_inn
from frmr.model.rules.snils import format_snils, normalize_snils
from frmr.model.rules.text import check_field
from frmr.model.store.reads.card import Card


def _text(name: str, label: str) -> Callable[[str], str]:
    """A free-text field of the card under model.rules.text's rule and the contract's limit."""
    return lambda value: check_field("person", name, value, label)


def _gender(value: str) -> Gender:
    folded = value.strip().casefold()
    if folded in {"1", "м", "муж", "мужской", "male", "m"}:
        return Gender.MALE
    if folded in {"2", "ж", "жен", "женский", "female", "f"}:
        return Gender.FEMALE
    raise FieldInvalid(
        "Пол: укажите «мужской» или «женский»", f"bad gender {value!r}", field="gender"
    )


def _birth_date(value: str) -> date:
    return check_birth_date(parse_date(value, "birth_date"))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    parse: Callable[[str], Any]
    required: bool = False
    display: Callable[[Any], str] = str
    # A stored column's value as the read model's record holds it (an enum member, a date),
    # where sqlite3 gives it otherwise; an enum class here is also what a form offers.
    load: Callable[[Any], Any] | None = None

    def read(self, text: str) -> Any:
        """The stored value for what a person typed: None for nothing (refused when the
        field is required), else parsed; a refusal names this field."""
        if not text.strip():
            if self.required:
                raise FieldInvalid(
                    f"Поле «{self.label}» обязательно", f"{self.name} required", field=self.name
                )
            return None
        try:
            return self.parse(text)
        except FieldInvalid as exc:
            exc.field = self.name
            raise


PROFILE_FIELDS: Mapping[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("last_name", "Фамилия", _text("last_name", "Фамилия"), required=True),
        FieldSpec("first_name", "Имя", _text("first_name", "Имя"), required=True),
        FieldSpec("patronymic", "Отчество", _text("patronymic", "Отчество")),
        FieldSpec("gender", "Пол", _gender, display=lambda g: Gender(g).label),
        FieldSpec("birth_date", "Дата рождения", _birth_date, display=format_date),
        FieldSpec("birth_place", "Место рождения", _text("birth_place", "Место рождения")),
        FieldSpec("snils", "СНИЛС", normalize_snils, display=format_snils),
        FieldSpec("inn", "ИНН", normalize_inn),
        FieldSpec("citizenship", "Гражданство", _text("citizenship", "Гражданство")),
        FieldSpec("phone", "Телефон", normalize_phone, display=format_phone),
        FieldSpec("email", "Электронная почта", normalize_email),
    )
}


def parse_profile_field(name: str, text: str) -> Any:
    """The stored value for what a person typed, or FieldInvalid with the Russian reason."""
    spec = PROFILE_FIELDS.get(name)
    if spec is None:
        raise NotFound(
            f"Нет поля «{name}». Поля: " + ", ".join(PROFILE_FIELDS),
            f"unknown profile field {name!r}",
            code="field_unknown",
        )
    return spec.read(text)


def display_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    return PROFILE_FIELDS[name].display(value)


def record_json(row: Any, names: Iterable[str]) -> dict[str, Any]:
    """A record's id, its fields `names` (dates ISO, identifiers bare) and the version that
    `--if-version` compares against: the `--json` of the card and of a list's row."""
    out: dict[str, Any] = {"id": row.id}
    for name in names:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    out["version"] = row.version
    return out


def profile_as_dict(person: Card) -> dict[str, Any]:
    """The card as JSON-ready data (documented in README)."""
    return {**record_json(person, PROFILE_FIELDS), "synced_version": person.synced_version}

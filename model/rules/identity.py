"""Identity documents and addresses as the portal checks them before it saves a card.

- A passport of a citizen of the Russian Federation has a series of 4 digits and a number of
  6 digits, printed on every page (the blank described in Постановление Правительства РФ от
  08.07.1997 № 828); people type the series as «45 06» or «4506», the same series. Other
  documents (a foreign passport, a residence permit) have formats of their own, so only a
  Russian passport is checked.
- The code of the division that issued it is printed «NNN-NNN» (practice: the passport's
  page 2 and the portal's form, which takes nothing else); «770001» is taken as «770-001».
- An address's ФИАС code is the object's GUID in ФИАС/ГАР (Приказ Минфина России от
  05.11.2015 № 171н): 32 hex digits, written 8-4-4-4-12.

One definition, used by the client's forms (model.portfolio.edits) and by the registry
(contract.protocol), so the registry refuses exactly what the forms refuse.
"""

from __future__ import annotations

import re
import uuid

from frmr.model.rules.errors import FieldInvalid

_DIVISION = re.compile(r"(\d{3})-?(\d{3})")
_PASSPORT_SERIES = re.compile(r"\d{2} ?\d{2}")
_PASSPORT_NUMBER = re.compile(r"\d{6}")


def normalize_division_code(value: str) -> str:
    """«770-001» from «770-001» or «770001»; FieldInvalid otherwise."""
    match = _DIVISION.fullmatch(value.strip())
    if match is None:
        raise FieldInvalid(
            "Код подразделения: шесть цифр в виде 000-000, например 770-001",
            f"bad division code {value!r}",
            field="division_code",
        )
    return f"{match[1]}-{match[2]}"


def normalize_fias_guid(value: str) -> str:
    """The GUID in its canonical lower-case 8-4-4-4-12 form; FieldInvalid otherwise."""
    text = value.strip()
    try:
        guid = uuid.UUID(text)
    except ValueError:
        guid = None
    # uuid.UUID also takes «{…}» and «urn:uuid:…»; ФИАС writes neither.
    if guid is None or len(text.replace("-", "")) != 32:
        raise FieldInvalid(
            "ГУИД ФИАС: 32 шестнадцатеричные цифры в виде "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (из ФИАС или ГАР)",
            f"bad FIAS GUID {value!r}",
            field="fias_guid",
        )
    return str(guid)


def is_russian_passport(doc_type: str | None) -> bool:
    folded = " ".join((doc_type or "").casefold().replace("ё", "е").split())
    return folded.startswith("паспорт гражданина") and (
        "рф" in folded.split() or "российской федерации" in folded
    )


def check_passport(doc_type: str | None, serial: str | None, number: str | None) -> None:
    """A Russian passport's series and number, by the blank's format; others pass as typed."""
    if not is_russian_passport(doc_type):
        return
    if not serial or _PASSPORT_SERIES.fullmatch(serial.strip()) is None:
        raise FieldInvalid(
            "Серия паспорта гражданина РФ: четыре цифры, например 45 06",
            "bad passport series",
            field="serial",
        )
    if not number or _PASSPORT_NUMBER.fullmatch(number.strip()) is None:
        raise FieldInvalid(
            "Номер паспорта гражданина РФ: шесть цифр, например 123456",
            "bad passport number",
            field="number",
        )

"""Contact phone and e-mail: the registry announces its decisions through them."""

from __future__ import annotations

import re

from frmr.model.rules.errors import InvalidEmail, InvalidPhone
from frmr.model.rules.text import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    ZERO_WIDTH,
    all_but,
    only,
    whitespace,
)

# What a person writes between the digits of a phone number: spaces (plain, no-break, thin),
# brackets, dots, hyphens and dashes. Escapes, so the contract's schema can carry it as is.
_NOISE = r"[ ()\-.\u00a0\u2000-\u200a\u202f\u205f\u3000\u2010-\u2015\u2212]"
# Russian geographic codes start with 3, 4 or 8, mobile ones with 9; +7 6xx/7xx is Kazakhstan.
_RUSSIAN_FIRST_DIGIT = "[3489]"

# The one definition of an acceptable phone: +7, 8, 7 or nothing, then ten digits whose
# first is Russian, noise anywhere. The registry's schema publishes this pattern.
PHONE_PATTERN = (
    f"^{_NOISE}*(?:\\+{_NOISE}*7|[78])?"
    f"{_NOISE}*{_RUSSIAN_FIRST_DIGIT}(?:{_NOISE}*[0-9]){{9}}{_NOISE}*$"
)
_PHONE = re.compile(PHONE_PATTERN)
_PHONE_NOISE = re.compile(_NOISE + "+")

# The one definition of an acceptable e-mail address: something@labels.tld, where neither
# part holds whitespace, control, bidi or zero-width characters, and the top-level label is
# at least two characters and no digit; whitespace around it is trimmed.
_EMAIL_MAX_LENGTH = 254
_INVISIBLE = whitespace() | CONTROL_CHARACTERS | BIDI_CONTROLS | ZERO_WIDTH
_LOCAL = all_but(_INVISIBLE | {"@"})
_LABEL = all_but(_INVISIBLE | {"@", "."})
_TOP_LABEL = all_but(_INVISIBLE | {"@", "."} | set("0123456789"))
_AROUND = only(whitespace())  # what str.strip() trims
EMAIL_PATTERN = f"^{_AROUND}*{_LOCAL}+@(?:{_LABEL}+\\.)+{_TOP_LABEL}{{2,}}{_AROUND}*$"
_EMAIL = re.compile(EMAIL_PATTERN)


def normalize_phone(text: str) -> str:
    """``+79123456789`` from the usual ways Russians write a phone number."""
    if _PHONE.fullmatch(text):
        return "+7" + re.sub("[^0-9]", "", text)[-10:]
    raise _phone_refusal(_PHONE_NOISE.sub("", text))


def _phone_refusal(compact: str) -> InvalidPhone:
    """Why PHONE_PATTERN refused a number, said for the person who typed it."""
    if not compact:
        return InvalidPhone("Укажите номер телефона", "phone is empty")
    if compact.startswith("+7"):
        national = compact[2:]
    elif compact.startswith("+"):
        return InvalidPhone(
            "Укажите российский номер телефона: он начинается с +7 или 8",
            "phone has a non-Russian country code",
        )
    elif len(compact) == 11 and compact[0] in "78":
        national = compact[1:]
    else:
        national = compact
    if not (national.isascii() and national.isdigit()):
        return InvalidPhone(
            "Номер телефона может содержать только цифры, пробелы, скобки и дефисы",
            "phone contains unexpected characters",
            fix="Введите номер в виде +7 912 345-67-89",
        )
    if len(national) != 10:
        return InvalidPhone(
            "В номере телефона должно быть 10 цифр после +7 или 8",
            f"phone has {len(national)} national digits, expected 10",
            fix="Введите номер в виде +7 912 345-67-89",
        )
    return InvalidPhone(
        "Такого российского номера не бывает: код после +7 начинается с 3, 4, 8 или 9",
        "phone's national number has an impossible first digit",
    )


def format_phone(phone: str) -> str:
    """``+7 912 345-67-89``."""
    n = normalize_phone(phone)[2:]
    return f"+7 {n[0:3]} {n[3:6]}-{n[6:8]}-{n[8:10]}"


def normalize_email(text: str) -> str:
    """The address trimmed, with its domain lower-cased (the local part may be case-sensitive)."""
    address = text.strip()
    if not address:
        raise InvalidEmail("Укажите адрес электронной почты", "e-mail is empty")
    if len(address) > _EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(text):
        raise InvalidEmail(
            "Адрес электронной почты указан неверно",
            "e-mail does not look like an address",
            fix="Введите адрес в виде name@example.ru",
        )
    local, domain = address.split("@")
    return f"{local}@{domain.lower()}"

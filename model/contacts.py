"""Contact phone and e-mail: the registry announces its decisions through them."""

from __future__ import annotations

import re

from frmr.model.errors import InvalidEmail, InvalidPhone

_PHONE_NOISE = re.compile(r"[\s()\-.\u00a0\u2010-\u2015\u2212]+")
# Russian geographic codes start with 3, 4 or 8, mobile ones with 9; +7 6xx/7xx is Kazakhstan.
_RUSSIAN_FIRST_DIGITS = frozenset("3489")

_EMAIL = re.compile(r"^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.\d]{2,}$")
_EMAIL_MAX_LENGTH = 254


def normalize_phone(text: str) -> str:
    """``+79123456789`` from the usual ways Russians write a phone number."""
    compact = _PHONE_NOISE.sub("", text)
    if not compact:
        raise InvalidPhone("Укажите номер телефона", "phone is empty", field="phone")
    if compact.startswith("+7"):
        national = compact[2:]
    elif compact.startswith("+"):
        raise InvalidPhone(
            "Укажите российский номер телефона: он начинается с +7 или 8",
            "phone has a non-Russian country code",
            field="phone",
        )
    elif len(compact) == 11 and compact[0] in "78":
        national = compact[1:]
    else:
        national = compact
    if not (national.isascii() and national.isdigit()):
        raise InvalidPhone(
            "Номер телефона может содержать только цифры, пробелы, скобки и дефисы",
            "phone contains unexpected characters",
            field="phone",
            fix="Введите номер в виде +7 912 345-67-89",
        )
    if len(national) != 10:
        raise InvalidPhone(
            "В номере телефона должно быть 10 цифр после +7 или 8",
            f"phone has {len(national)} national digits, expected 10",
            field="phone",
            fix="Введите номер в виде +7 912 345-67-89",
        )
    if national[0] not in _RUSSIAN_FIRST_DIGITS:
        raise InvalidPhone(
            "Такого российского номера не бывает: код после +7 начинается с 3, 4, 8 или 9",
            "phone's national number has an impossible first digit",
            field="phone",
        )
    return "+7" + national


def format_phone(phone: str) -> str:
    """``+7 912 345-67-89``."""
    n = normalize_phone(phone)[2:]
    return f"+7 {n[0:3]} {n[3:6]}-{n[6:8]}-{n[8:10]}"


def normalize_email(text: str) -> str:
    """The address trimmed, with its domain lower-cased (the local part may be case-sensitive)."""
    address = text.strip()
    if not address:
        raise InvalidEmail("Укажите адрес электронной почты", "e-mail is empty", field="email")
    if len(address) > _EMAIL_MAX_LENGTH or not _EMAIL.match(address):
        raise InvalidEmail(
            "Адрес электронной почты указан неверно",
            "e-mail does not look like an address",
            field="email",
            fix="Введите адрес в виде name@example.ru",
        )
    local, domain = address.split("@")
    return f"{local}@{domain.lower()}"

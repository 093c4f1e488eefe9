"""ИНН of a person: 12 digits with two check digits (ФНС rule)."""

from __future__ import annotations

import re

from frmr.model.rules.errors import InvalidInn

_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def _check_digit(digits: str, weights: tuple[int, ...]) -> str:
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return str(total % 11 % 10)


def normalize_inn(text: str) -> str:
    """12 bare digits of a person's ИНН, or InvalidInn saying what is wrong."""
    compact = _SEPARATORS.sub("", text)
    if not compact:
        raise InvalidInn("Укажите ИНН", "INN is empty")
    if not (compact.isascii() and compact.isdigit()):
        raise InvalidInn(
            "ИНН может содержать только цифры",
            "INN contains characters other than digits",
        )
    if len(compact) == 10:
        # A common mix-up: the worker types the employer's ИНН from a payslip.
        raise InvalidInn(
            "Это ИНН организации (10 цифр); укажите свой личный ИНН из 12 цифр",
            "INN has 10 digits (an organisation's), expected a person's 12",
        )
    if len(compact) != 12:
        raise InvalidInn(
            f"В ИНН физического лица должно быть 12 цифр, а введено {len(compact)}",
            f"INN has {len(compact)} digits, expected 12",
        )
    c11 = _check_digit(compact[:10], _WEIGHTS_11)
    c12 = _check_digit(compact[:10] + c11, _WEIGHTS_12)
    if compact[10:] != c11 + c12:
        raise InvalidInn(
            "Неверные контрольные цифры ИНН: похоже, в номере опечатка",
            "INN check digits do not match",
            fix="Сверьте ИНН со свидетельством или с личным кабинетом налогоплательщика",
        )
    return compact

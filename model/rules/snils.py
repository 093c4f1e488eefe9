"""СНИЛС: the insurance number that identifies a worker in ФРМР.

Stored and sent as 11 bare digits, shown as ``XXX-XXX-XXX YY``, and never logged unmasked.
"""

from __future__ import annotations

import re

from frmr.model.rules.errors import InvalidSnils

# The Pension Fund did not compute check numbers for the earliest numbers it issued.
_CHECKSUM_FROM = 1001998

# People paste numbers from PDFs and Word, which bring typographic dashes and no-break spaces.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
# In free text (logs) any one separator a person, a form or a file name may use: space, tab,
# dash, dot, underscore, slash, or none.
_SEP = r"[ \t\-._/\u00a0\u2010-\u2015\u2212]?"
SNILS_IN_TEXT = re.compile(rf"(?<!\d)\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?!\d)")


def snils_check_number(first9: str) -> str:
    """The two check digits for the first nine digits of a СНИЛС (ПФР rule)."""
    if len(first9) != 9 or not first9.isascii() or not first9.isdigit():
        raise ValueError(f"expected 9 digits, got {len(first9)} characters")
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(9, 0, -1), strict=True))
    if total < 100:
        return f"{total:02d}"
    if total in (100, 101):
        return "00"
    remainder = total % 101
    return "00" if remainder == 100 else f"{remainder:02d}"


def normalize_snils(text: str) -> str:
    """11 bare digits from any usual spelling of a СНИЛС, or InvalidSnils saying what is wrong."""
    compact = _SEPARATORS.sub("", text)
    if not compact:
        raise InvalidSnils("Укажите СНИЛС", "SNILS is empty")
    if not (compact.isascii() and compact.isdigit()):
        raise InvalidSnils(
            "СНИЛС может содержать только цифры, пробелы и дефисы",
            "SNILS contains characters other than digits and separators",
            fix="Введите СНИЛС в виде 112-233-445 95",
        )
    if len(compact) != 11:
        raise InvalidSnils(
            f"В СНИЛС должно быть 11 цифр, а введено {len(compact)}",
            f"SNILS has {len(compact)} digits, expected 11",
            fix="Сверьте номер с карточкой СНИЛС или с Госуслугами",
        )
    if int(compact[:9]) > _CHECKSUM_FROM and snils_check_number(compact[:9]) != compact[9:]:
        raise InvalidSnils(
            "Неверное контрольное число СНИЛС: похоже, в номере опечатка",
            f"SNILS {mask_snils(compact)} has a wrong check number",
            fix="Сверьте все 11 цифр с карточкой СНИЛС или с Госуслугами",
        )
    return compact


def format_snils(digits: str) -> str:
    """``XXX-XXX-XXX YY``, the way the card and the portal print it."""
    d = normalize_snils(digits)
    return f"{d[0:3]}-{d[3:6]}-{d[6:9]} {d[9:11]}"


def mask_snils(text: str) -> str:
    """``***-***-445 95``: enough to tell numbers apart in a log, not enough to identify anyone.

    Never raises, so it is safe inside error handlers and log formatters.
    """
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if len(digits) != 11:
        return "***"
    return f"***-***-{digits[6:9]} {digits[9:11]}"

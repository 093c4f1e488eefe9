"""Dates as the forms take them: ДД.ММ.ГГГГ on screen, checked for sense."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from frmr.model.rules.errors import InvalidDate

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# Employment in Russia is possible from 14 (ТК РФ ст. 63), so a younger worker is a typo.
MIN_WORKER_AGE = 14
# Nothing in a working life comes before the earliest birth date plus the youngest working
# age: a job, a course, a document dated earlier is a typo (01.01.1800 was accepted once).
EARLIEST_EVENT_DATE = date(EARLIEST_BIRTH_DATE.year + MIN_WORKER_AGE, 1, 1)
# An end that may lie ahead (a certificate valid until, a course or contract due to end): a
# certificate or an accreditation is valid five years (ФЗ-323 ст. 69); ten leaves room for a
# fixed-term contract, and a later year is a typo (2099).
LATEST_END_YEARS = 10

# Which range a date field is held to: a birth date, something that has happened (a job
# begun, a course attended, a document issued), or an end that may still be ahead.
DateKind = Literal["birth", "past", "end"]

_RUSSIAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def add_years(d: date, years: int) -> date:
    """`d` moved by whole years; 29 February lands on 28 February in a common year.

    ГК РФ ст. 192 п. 3: a term in years that ends in a month without that day ends on the
    month's last day.
    """
    # Imported here: the TUI's first rows format their dates with this module, and calendar
    # would be 0.5 ms of their worker (bench/README.md, issue 26).
    import calendar

    year = d.year + years
    day = min(d.day, calendar.monthrange(year, d.month)[1])
    return d.replace(year=year, day=day)


def format_date(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def parse_date(text: str, field: str) -> date:
    """A date from ``ДД.ММ.ГГГГ`` or ISO ``YYYY-MM-DD``."""
    stripped = text.strip()
    if not stripped:
        raise InvalidDate("Укажите дату", f"{field}: date is empty", field=field)
    if match := _RUSSIAN.match(stripped):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(stripped):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise InvalidDate(
            "Дата должна быть в виде ДД.ММ.ГГГГ, например 05.03.1985",
            f"{field}: unrecognised date format",
            field=field,
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidDate(
            f"Такой даты нет в календаре: {day:02d}.{month:02d}.{year:04d}",
            f"{field}: no such calendar date",
            field=field,
        ) from None


def check_birth_date(d: date, today: date | None = None) -> date:
    today = today or date.today()
    if d > today:
        raise InvalidDate(
            "Дата рождения не может быть в будущем",
            "birth date is in the future",
            field="birth_date",
        )
    if d < EARLIEST_BIRTH_DATE:
        raise InvalidDate(
            f"Дата рождения не может быть раньше {format_date(EARLIEST_BIRTH_DATE)}",
            "birth date is before 1900",
            field="birth_date",
        )
    if add_years(d, MIN_WORKER_AGE) > today:
        raise InvalidDate(
            f"Медицинскому работнику не может быть меньше {MIN_WORKER_AGE} лет: "
            "проверьте год рождения",
            "birth date gives an age under 14",
            field="birth_date",
        )
    return d


def check_period(begin: date, end: date | None, *, field: str = "end_date") -> None:
    """An open period (no end) is fine; an end before the beginning is not. Both ends count."""
    if end is not None and end < begin:
        raise InvalidDate(
            f"Дата окончания ({format_date(end)}) не может быть раньше даты начала "
            f"({format_date(begin)})",
            f"{field}: period ends before it begins",
            field=field,
        )


def check_not_future(d: date, *, field: str, today: date | None = None) -> date:
    """A date of something that has happened (a job begun, a course attended, a document
    issued): the registry refuses a portfolio with one in the future, so the editor does too."""
    today = today or date.today()
    if d > today:
        raise InvalidDate(
            f"Дата {format_date(d)} ещё не наступила: укажите прошедшую дату",
            f"{field}: date is in the future",
            field=field,
        )
    return d


def check_plausible(d: date, kind: DateKind, *, field: str, today: date | None = None) -> date:
    """The one range rule for a date field, used by the client's editors, its import and the
    registry's contract alike."""
    today = today or date.today()
    if kind == "birth":
        return check_birth_date(d, today)
    if d < EARLIEST_EVENT_DATE:
        raise InvalidDate(
            f"Дата {format_date(d)} слишком ранняя: не раньше {format_date(EARLIEST_EVENT_DATE)}",
            f"{field}: date before {EARLIEST_EVENT_DATE.isoformat()}",
            field=field,
        )
    if kind == "past":
        return check_not_future(d, field=field, today=today)
    latest = add_years(today, LATEST_END_YEARS)
    if d > latest:
        raise InvalidDate(
            f"Дата {format_date(d)} слишком далека: не позже {format_date(latest)}",
            f"{field}: date more than {LATEST_END_YEARS} years ahead",
            field=field,
        )
    return d

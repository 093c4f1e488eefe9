"""Стаж: length of work experience from employment periods.

Convention (the Pension Fund's, Правила подсчёта стажа, ПП РФ № 1015 от 02.10.2014, п. 48):
periods count in calendar order, both ends inclusive; each merged period is turned into
years, months and days by the personnel officers' subtraction method (the day after the end
minus the beginning, borrowing 12 months for a year and 30 days for a month); the parts of
all periods are added, then every 30 days make a month and every 12 months a year.
Overlapping and adjacent periods are merged first so a second job never doubles стаж.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from frmr.model.rules.dates import check_period
from frmr.model.rules.russian import plural_ru

DAYS_IN_MONTH = 30
MONTHS_IN_YEAR = 12


@dataclass(frozen=True)
class Seniority:
    years: int
    months: int
    days: int
    total_days: int

    def __str__(self) -> str:
        parts = [
            f"{value} {plural_ru(value, *forms)}"
            for value, forms in (
                (self.years, ("год", "года", "лет")),
                (self.months, ("месяц", "месяца", "месяцев")),
                (self.days, ("день", "дня", "дней")),
            )
            if value
        ]
        return " ".join(parts) if parts else "0 дней"


def merge_periods(
    periods: Iterable[tuple[date, date | None]], today: date
) -> list[tuple[date, date]]:
    """Closed periods, sorted, with overlaps and adjacent ones joined; nothing after today."""
    closed: list[tuple[date, date]] = []
    for begin, end in periods:
        check_period(begin, end)
        # Стаж is what has been worked: an open period, or a planned end, stops at today.
        last = today if end is None else min(end, today)
        if begin <= last:
            closed.append((begin, last))
    closed.sort()
    merged: list[tuple[date, date]] = []
    for begin, end in closed:
        if merged and begin <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _calendar_parts(begin: date, end: date) -> tuple[int, int, int]:
    after = end + timedelta(days=1)
    years = after.year - begin.year
    months = after.month - begin.month
    days = after.day - begin.day
    if days < 0:
        days += DAYS_IN_MONTH
        months -= 1
    if months < 0:
        months += MONTHS_IN_YEAR
        years -= 1
    return years, months, days


def seniority(periods: Iterable[tuple[date, date | None]], today: date) -> Seniority:
    years = months = days = total_days = 0
    for begin, end in merge_periods(periods, today):
        y, m, d = _calendar_parts(begin, end)
        years, months, days = years + y, months + m, days + d
        total_days += (end - begin).days + 1
    months += days // DAYS_IN_MONTH
    days %= DAYS_IN_MONTH
    years += months // MONTHS_IN_YEAR
    months %= MONTHS_IN_YEAR
    return Seniority(years=years, months=months, days=days, total_days=total_days)

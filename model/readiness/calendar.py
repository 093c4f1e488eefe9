"""Russian working days, for the review terms counted in them (rules.json «working_days»).

The days off come from the `holidays` package, whose Russia calendar carries the official
transfers of days off (each year's Government resolution, cited in its source) — the
production calendar. Years after the last resolution it knows are counted with the fixed
holidays of ТК РФ ст. 112 and weekends only, and the dates computed in them are marked as
preliminary. Importing `holidays` loads every country (about a quarter of a second), so the
computed calendar is cached per installed calendar file and `frmr readiness` starts
without it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from frmr.model.rules.private import make_private_dir
from frmr.model.store.private_files import write_private

FIRST_YEAR = 2020
YEARS_AHEAD = 4


@dataclass(frozen=True)
class WorkingCalendar:
    days_off: frozenset[date]  # holidays and transferred days off (weekdays among them)
    working_weekends: frozenset[date]  # Saturdays and Sundays made working by a transfer
    official_through: int  # the last year whose transfers are official
    first_year: int
    last_year: int

    def is_working(self, d: date) -> bool:
        if d in self.working_weekends:
            return True
        return d.weekday() < 5 and d not in self.days_off

    def is_official(self, d: date) -> bool:
        """Whether `d` falls in a year the production calendar is published for."""
        return self.first_year <= d.year <= self.official_through

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (a term starts the day after its event)."""
        d = start
        left = days
        while left > 0:
            d += timedelta(days=1)
            if self.is_working(d):
                left -= 1
        return d

    def as_json(self) -> dict[str, Any]:
        return {
            "days_off": sorted(d.isoformat() for d in self.days_off),
            "working_weekends": sorted(d.isoformat() for d in self.working_weekends),
            "official_through": self.official_through,
            "first_year": self.first_year,
            "last_year": self.last_year,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> WorkingCalendar:
        return cls(
            frozenset(date.fromisoformat(d) for d in raw["days_off"]),
            frozenset(date.fromisoformat(d) for d in raw["working_weekends"]),
            int(raw["official_through"]),
            int(raw["first_year"]),
            int(raw["last_year"]),
        )


def from_holidays(first_year: int, last_year: int) -> WorkingCalendar:
    from holidays.countries.russia import Russia, RussiaStaticHolidays

    ru = Russia(years=range(first_year, last_year + 1))  # type: ignore[no-untyped-call]
    official = max(y for y in RussiaStaticHolidays.special_public_holidays if y <= last_year)
    return WorkingCalendar(
        days_off=frozenset(ru.keys()),
        working_weekends=frozenset(
            d for d in getattr(ru, "weekend_workdays", ()) if first_year <= d.year <= last_year
        ),
        official_through=official,
        first_year=first_year,
        last_year=last_year,
    )


def _holidays_version() -> str:
    """What the cache is kept for: the installed Russia calendar file's size and mtime,
    which change with every release of `holidays` that changes it. Found without importing
    the package (that is what the cache saves) or importlib.metadata (30 ms of `frmr
    readiness`'s 250 ms budget)."""
    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return "unknown"
    try:
        st = (Path(spec.origin).parent / "countries" / "russia.py").stat()
    except OSError:
        # Laid out otherwise (a later release, a zip): the release's version, at its price.
        from importlib import metadata

        return metadata.version("holidays")
    return f"{st.st_size}-{st.st_mtime_ns}"


def load_calendar(today: date, cache_dir: Path | None = None) -> WorkingCalendar:
    """The calendar from FIRST_YEAR to a few years ahead, from the cache when it is fresh."""
    last_year = today.year + YEARS_AHEAD
    if cache_dir is None:
        return from_holidays(FIRST_YEAR, last_year)
    cache = cache_dir / f"calendar-ru-{_holidays_version()}-{FIRST_YEAR}-{last_year}.json"
    try:
        return WorkingCalendar.from_json(json.loads(cache.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        pass
    calendar = from_holidays(FIRST_YEAR, last_year)
    try:
        make_private_dir(cache_dir)
        write_private(cache, json.dumps(calendar.as_json()).encode())
    except OSError:
        pass  # a read-only home still gets the right dates, only slower
    return calendar

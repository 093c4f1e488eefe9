"""Russian working days from the `holidays` package: New Year, May and the transfers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from frmr.model.readiness.calendar import WorkingCalendar, from_holidays, load_calendar


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return from_holidays(2023, 2028)


# (day, working?) — from each year's production calendar (the Government's transfer resolution).
DAYS = [
    (date(2023, 1, 9), True),
    (date(2023, 2, 24), False),  # 1 January 2023 (Sunday) moved to Friday 24.02
    (date(2023, 5, 8), False),  # 8 January moved to Monday 08.05
    (date(2024, 1, 8), False),
    (date(2024, 1, 9), True),
    (date(2024, 4, 27), True),  # a working Saturday
    (date(2024, 4, 29), False),
    (date(2024, 4, 30), False),
    (date(2024, 5, 10), False),
    (date(2024, 11, 2), True),  # a working Saturday
    (date(2024, 12, 28), True),  # a working Saturday
    (date(2024, 12, 30), False),
    (date(2024, 12, 31), False),
    (date(2025, 1, 8), False),
    (date(2025, 1, 9), True),
    (date(2025, 5, 2), False),
    (date(2025, 5, 8), False),
    (date(2025, 5, 5), True),
    (date(2025, 6, 13), False),
    (date(2025, 11, 1), True),  # a working Saturday
    (date(2025, 11, 3), False),
    (date(2025, 12, 31), False),
    (date(2026, 1, 9), False),  # 3 January moved to Friday 09.01
    (date(2026, 1, 12), True),
    (date(2026, 5, 11), False),  # 9 May falls on Saturday: Monday off
    (date(2026, 12, 31), False),  # 4 January moved to 31.12
    (date(2027, 2, 22), False),
    (date(2027, 2, 20), True),  # a working Saturday
    (date(2027, 5, 3), False),
    (date(2027, 5, 10), False),
    (date(2027, 5, 4), True),
]


@pytest.mark.parametrize(("day", "working"), DAYS, ids=[d.isoformat() for d, _ in DAYS])
def test_production_calendar_day(cal: WorkingCalendar, day: date, working: bool) -> None:
    assert cal.is_working(day) is working


def test_the_published_years_are_known_and_later_ones_are_preliminary(
    cal: WorkingCalendar,
) -> None:
    assert cal.official_through >= 2027
    assert cal.is_official(date(2027, 6, 1))
    assert not cal.is_official(date(cal.official_through + 1, 1, 15))


def test_a_term_starts_the_day_after_its_event(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday → Monday
    assert cal.add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 11)


def test_the_cached_calendar_equals_the_computed_one(tmp_path: Path) -> None:
    first = load_calendar(date(2026, 12, 1), tmp_path / "cache")
    cached = list((tmp_path / "cache").glob("calendar-ru-*.json"))
    assert len(cached) == 1
    again = load_calendar(date(2026, 12, 1), tmp_path / "cache")
    assert again == first
    cached[0].write_text("{broken", encoding="utf-8")
    assert load_calendar(date(2026, 12, 1), tmp_path / "cache") == first


def test_the_cache_is_kept_per_installed_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's key changes when a new `holidays` brings a new Russia calendar, and is
    found without importing the package or importlib.metadata where the file is in place."""
    from importlib import metadata
    from types import SimpleNamespace

    from frmr.model.readiness import calendar as module

    package = tmp_path / "holidays"
    (package / "countries").mkdir(parents=True)
    russia = package / "countries" / "russia.py"
    russia.write_text("# 2026", encoding="utf-8")
    found = SimpleNamespace(origin=str(package / "__init__.py"))
    monkeypatch.setattr(module, "find_spec", lambda _name: found)
    before = module._holidays_version()
    russia.write_text("# 2026, 2027", encoding="utf-8")
    assert module._holidays_version() != before
    russia.unlink()
    assert module._holidays_version() == metadata.version("holidays")

from datetime import date

import pytest

from frmr.model.portfolio.reporting_period import (
    ReportingPeriod,
    reporting_period,
    training_hours_in_period,
)
from frmr.model.rules.errors import InvalidDate

TODAY = date(2025, 6, 15)


def test_without_an_accreditation_the_period_is_the_last_five_years() -> None:
    assert reporting_period(None, TODAY) == ReportingPeriod(date(2020, 6, 15), TODAY)


def test_the_period_runs_from_the_last_accreditation_to_today() -> None:
    assert reporting_period(date(2022, 3, 1), TODAY) == ReportingPeriod(date(2022, 3, 1), TODAY)


def test_when_overdue_the_period_still_starts_at_the_last_document() -> None:
    # The rule counts from the last certificate or accreditation (rules.json «period_start»);
    # an overdue worker's older courses are not dropped from view.
    assert reporting_period(date(2018, 3, 1), TODAY) == ReportingPeriod(date(2018, 3, 1), TODAY)


def test_exactly_five_years_after_accreditation_starts_on_its_date() -> None:
    assert reporting_period(date(2020, 6, 15), TODAY).start == date(2020, 6, 15)


def test_29_february_today_goes_back_to_28_february() -> None:
    assert reporting_period(None, date(2024, 2, 29)).start == date(2019, 2, 28)


def test_accreditation_on_29_february_keeps_its_date() -> None:
    period = reporting_period(date(2020, 2, 29), date(2025, 2, 28))
    assert period == ReportingPeriod(date(2020, 2, 29), date(2025, 2, 28))


def test_a_future_accreditation_date_is_refused() -> None:
    with pytest.raises(InvalidDate) as caught:
        reporting_period(date(2026, 1, 1), TODAY)
    assert caught.value.field == "last_accreditation"


def test_contains_includes_both_ends() -> None:
    period = ReportingPeriod(date(2021, 1, 1), date(2025, 1, 1))
    assert period.contains(date(2021, 1, 1))
    assert period.contains(date(2025, 1, 1))
    assert not period.contains(date(2020, 12, 31))
    assert not period.contains(date(2025, 1, 2))


def test_overlaps_counts_shared_days_and_open_ends() -> None:
    period = ReportingPeriod(date(2021, 1, 1), date(2025, 1, 1))
    assert period.overlaps(date(2019, 1, 1), date(2021, 1, 1))
    assert period.overlaps(date(2025, 1, 1), None)
    assert period.overlaps(date(2010, 1, 1), None)
    assert not period.overlaps(date(2019, 1, 1), date(2020, 12, 31))
    assert not period.overlaps(date(2025, 1, 2), None)


def test_period_reads_as_russian() -> None:
    assert str(ReportingPeriod(date(2021, 1, 1), date(2025, 1, 1))) == "с 01.01.2021 по 01.01.2025"


def test_courses_count_by_their_end_date_or_their_start_when_unfinished() -> None:
    period = ReportingPeriod(date(2021, 1, 1), date(2025, 1, 1))
    courses: list[tuple[date, date | None, int]] = [
        (date(2020, 12, 1), date(2021, 1, 10), 36),  # ends inside: counts
        (date(2020, 11, 1), date(2020, 12, 31), 72),  # ends before: no
        (date(2024, 12, 20), date(2025, 1, 2), 18),  # ends after: no
        (date(2023, 5, 1), None, 144),  # no end, starts inside: counts
        (date(2025, 1, 1), date(2025, 1, 1), 6),  # one day on the last day: counts
    ]
    assert training_hours_in_period(courses, period) == 36 + 144 + 6


def test_no_courses_is_zero_hours() -> None:
    assert training_hours_in_period([], reporting_period(None, TODAY)) == 0

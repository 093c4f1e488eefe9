from datetime import date

import pytest

from frmr.model.portfolio.seniority import Seniority, merge_periods, seniority
from frmr.model.rules.errors import InvalidDate

TODAY = date(2025, 6, 15)


def test_one_calendar_year_inclusive_is_exactly_one_year() -> None:
    result = seniority([(date(2020, 1, 1), date(2020, 12, 31))], TODAY)
    assert (result.years, result.months, result.days) == (1, 0, 0)
    assert result.total_days == 366


def test_a_single_day_counts_as_one_day() -> None:
    result = seniority([(date(2024, 3, 1), date(2024, 3, 1))], TODAY)
    assert result == Seniority(years=0, months=0, days=1, total_days=1)


def test_a_full_february_is_one_month() -> None:
    result = seniority([(date(2023, 2, 1), date(2023, 2, 28))], TODAY)
    assert (result.years, result.months, result.days) == (0, 1, 0)


def test_an_open_period_runs_to_today() -> None:
    result = seniority([(date(2020, 6, 15), None)], TODAY)
    # 15.06.2020 … 15.06.2025 inclusive is five years and one day.
    assert (result.years, result.months, result.days) == (5, 0, 1)


def test_overlapping_jobs_do_not_double_the_experience() -> None:
    main_job = (date(2020, 1, 1), date(2021, 12, 31))
    part_time = (date(2021, 1, 1), date(2021, 6, 30))
    assert seniority([main_job, part_time], TODAY) == seniority([main_job], TODAY)


def test_a_period_inside_another_adds_nothing() -> None:
    outer = (date(2018, 1, 1), None)
    inner = (date(2019, 5, 1), date(2019, 9, 1))
    assert seniority([inner, outer], TODAY) == seniority([outer], TODAY)


def test_adjacent_periods_join_into_one() -> None:
    periods: list[tuple[date, date | None]] = [
        (date(2020, 1, 1), date(2020, 6, 30)),
        (date(2020, 7, 1), date(2020, 12, 31)),
    ]
    assert merge_periods(periods, TODAY) == [(date(2020, 1, 1), date(2020, 12, 31))]
    assert seniority(periods, TODAY).years == 1


def test_separate_periods_add_their_parts_and_carry_30_days_into_a_month() -> None:
    # 20 days + 20 days = 40 days → 1 month 10 days under the 30-day-month convention.
    periods: list[tuple[date, date | None]] = [
        (date(2021, 3, 1), date(2021, 3, 20)),
        (date(2022, 3, 1), date(2022, 3, 20)),
    ]
    result = seniority(periods, TODAY)
    assert (result.years, result.months, result.days) == (0, 1, 10)
    assert result.total_days == 40


def test_months_carry_into_years() -> None:
    periods: list[tuple[date, date | None]] = [
        (date(2019, 1, 1), date(2019, 7, 31)),
        (date(2020, 1, 1), date(2020, 7, 31)),
    ]
    result = seniority(periods, TODAY)
    assert (result.years, result.months, result.days) == (1, 2, 0)


def test_nothing_after_today_counts() -> None:
    periods: list[tuple[date, date | None]] = [
        (date(2025, 6, 1), date(2026, 1, 1)),
        (date(2025, 7, 1), None),
    ]
    result = seniority(periods, TODAY)
    assert result.total_days == 15


def test_no_periods_is_zero() -> None:
    assert seniority([], TODAY) == Seniority(0, 0, 0, 0)
    assert str(seniority([], TODAY)) == "0 дней"


def test_a_period_ending_before_it_begins_is_an_error() -> None:
    with pytest.raises(InvalidDate):
        seniority([(date(2020, 2, 1), date(2020, 1, 1))], TODAY)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Seniority(5, 2, 3, 0), "5 лет 2 месяца 3 дня"),
        (Seniority(1, 1, 1, 0), "1 год 1 месяц 1 день"),
        (Seniority(21, 11, 25, 0), "21 год 11 месяцев 25 дней"),
        (Seniority(2, 0, 0, 0), "2 года"),
        (Seniority(0, 0, 12, 0), "12 дней"),
    ],
)
def test_seniority_reads_as_russian(value: Seniority, text: str) -> None:
    assert str(value) == text

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frmr.model.rules.dates import (
    add_years,
    check_birth_date,
    check_period,
    format_date,
    parse_date,
)
from frmr.model.rules.errors import InvalidDate

TODAY = date(2025, 6, 15)


@pytest.mark.parametrize("text", ["05.03.1985", "5.3.1985", "1985-03-05", " 05.03.1985 "])
def test_russian_and_iso_dates_are_parsed(text: str) -> None:
    assert parse_date(text, "birth_date") == date(1985, 3, 5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Укажите"),
        ("1985/03/05", "ДД.ММ.ГГГГ"),
        ("05.03.85", "ДД.ММ.ГГГГ"),
        ("31.02.2020", "нет в календаре"),
        ("2021-02-29", "нет в календаре"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(text: str, fragment: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(text, "issue_date")
    assert fragment in caught.value.user_message
    assert caught.value.field == "issue_date"


def test_29_february_of_a_leap_year_is_a_date() -> None:
    assert parse_date("29.02.2024", "d") == date(2024, 2, 29)


def test_dates_are_printed_day_first() -> None:
    assert format_date(date(2024, 1, 5)) == "05.01.2024"


@given(st.dates(min_value=date(1000, 1, 1)))
def test_formatted_date_parses_back(d: date) -> None:
    assert parse_date(format_date(d), "d") == d


def test_adding_years_to_29_february_lands_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), -5) == date(2019, 2, 28)


def test_a_plausible_birth_date_is_returned() -> None:
    assert check_birth_date(date(1985, 3, 5), TODAY) == date(1985, 3, 5)


def test_a_worker_turning_14_today_is_old_enough() -> None:
    assert check_birth_date(date(2011, 6, 15), TODAY) == date(2011, 6, 15)


@pytest.mark.parametrize(
    ("birth", "fragment"),
    [
        (date(2025, 6, 16), "в будущем"),
        (date(1899, 12, 31), "1900"),
        (date(2011, 6, 16), "14"),
    ],
)
def test_implausible_birth_dates_are_refused(birth: date, fragment: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        check_birth_date(birth, TODAY)
    assert fragment in caught.value.user_message
    assert caught.value.field == "birth_date"


def test_birth_date_check_defaults_to_the_real_today() -> None:
    assert check_birth_date(date(1970, 1, 1)) == date(1970, 1, 1)


def test_periods_may_be_open_or_one_day_long() -> None:
    check_period(date(2020, 1, 1), None)
    check_period(date(2020, 1, 1), date(2020, 1, 1))


def test_a_period_ending_before_it_begins_is_refused() -> None:
    with pytest.raises(InvalidDate) as caught:
        check_period(date(2020, 1, 2), date(2020, 1, 1), field="dismissal_date")
    assert caught.value.field == "dismissal_date"
    assert "01.01.2020" in caught.value.user_message

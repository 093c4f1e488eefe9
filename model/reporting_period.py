"""The reporting period a periodic-accreditation portfolio covers.

Decision: the portfolio shows what happened in the five years before filing, but never
before the last accreditation. So the period ends today and starts at the later of the last
accreditation and five years ago. While the accreditation is not yet due this is
"since the last accreditation" (domain.md); once it is overdue, the window slides so the
worker's recent courses still count. With no accreditation on record it is the last five
years. 29 February moves to 28 February in a common year (ГК РФ ст. 192 п. 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from frmr.model.dates import add_years, format_date
from frmr.model.errors import InvalidDate

PERIOD_YEARS = 5


@dataclass(frozen=True)
class ReportingPeriod:
    start: date
    end: date

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def overlaps(self, begin: date, end: date | None) -> bool:
        """Whether [begin, end] shares a day with the period; no end means still going on."""
        return begin <= self.end and (end is None or end >= self.start)

    def __str__(self) -> str:
        return f"с {format_date(self.start)} по {format_date(self.end)}"


def reporting_period(last_accreditation: date | None, today: date) -> ReportingPeriod:
    five_years_ago = add_years(today, -PERIOD_YEARS)
    if last_accreditation is None:
        return ReportingPeriod(five_years_ago, today)
    if last_accreditation > today:
        raise InvalidDate(
            "Дата последней аккредитации не может быть в будущем",
            "last accreditation date is in the future",
            field="last_accreditation",
        )
    return ReportingPeriod(max(last_accreditation, five_years_ago), today)


def training_hours_in_period(
    courses: Iterable[tuple[date, date | None, int]], period: ReportingPeriod
) -> int:
    """Hours of the courses completed inside the period.

    A course counts by the date its certificate is issued, i.e. its end; a course recorded
    without an end counts by its beginning.
    """
    return sum(
        hours for begin, end, hours in courses if period.contains(end if end is not None else begin)
    )

"""The reporting period a periodic-accreditation portfolio covers, per specialty.

The period runs from the last document giving the right to work in the specialty — the
сертификат специалиста or the accreditation, whichever is later — to the day of filing
(rules.json, rule «period_start»: «за последние пять лет со дня получения последнего
сертификата специалиста или свидетельства об аккредитации … по соответствующей
специальности»). Without any document on record it is the last five years. Both ends
count. 29 February moves to 28 February in a common year (ГК РФ ст. 192 п. 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from frmr.model.readiness.facts import CredentialRecord
from frmr.model.readiness.kinds import fold_specialty
from frmr.model.rules.dates import add_years, format_date
from frmr.model.rules.errors import InvalidDate

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


def reporting_period(last_document: date | None, today: date) -> ReportingPeriod:
    """From the last certificate or accreditation to today; the last five years without one."""
    if last_document is None:
        return ReportingPeriod(add_years(today, -PERIOD_YEARS), today)
    if last_document > today:
        raise InvalidDate(
            "Дата последней аккредитации не может быть в будущем",
            "last accreditation date is in the future",
            field="last_accreditation",
        )
    return ReportingPeriod(last_document, today)


def last_document(
    credentials: Sequence[CredentialRecord], specialty: str, today: date
) -> CredentialRecord | None:
    """The latest certificate or accreditation in `specialty` already passed by `today`."""
    wanted = fold_specialty(specialty)
    mine = [
        c
        for c in credentials
        if c.pass_date is not None
        and c.pass_date <= today
        and fold_specialty(c.specialty) == wanted
    ]
    return max(mine, key=lambda c: c.pass_date or date.min, default=None)


def specialty_period(
    credentials: Sequence[CredentialRecord], specialty: str, today: date
) -> ReportingPeriod:
    """The reporting period of one specialty, as the readiness check and the report use it."""
    doc = last_document(credentials, specialty, today)
    return reporting_period(doc.pass_date if doc else None, today)


@dataclass(frozen=True)
class SpecialtyPeriod:
    """A reporting period with the specialty it belongs to: each specialty has its own."""

    specialty: str | None
    period: ReportingPeriod

    def __str__(self) -> str:
        if self.specialty:
            return f"по специальности «{self.specialty}» {self.period}"
        # No document names a specialty: the rule's fallback, said as such.
        return f"{self.period} (последние 5 лет)"


def portfolio_specialty(
    credentials: Sequence[CredentialRecord], wanted: Sequence[str], today: date
) -> str | None:
    """The specialty the portfolio and its report are gathered for.

    An open application says what the worker is preparing for; without one it is the
    specialty of the latest document passed, whose period is the one running out.
    """
    for name in wanted:
        if name and name.strip():
            return name.strip()
    passed = [
        c
        for c in credentials
        if c.pass_date is not None and c.pass_date <= today and (c.specialty or "").strip()
    ]
    latest = max(passed, key=lambda c: c.pass_date or date.min, default=None)
    return (latest.specialty or "").strip() or None if latest is not None else None


def portfolio_period(
    credentials: Sequence[CredentialRecord], wanted: Sequence[str], today: date
) -> SpecialtyPeriod:
    """The period the portfolio summary and the report show: the readiness check's period
    (specialty_period) of the specialty they are gathered for."""
    specialty = portfolio_specialty(credentials, wanted, today)
    if specialty is None:
        return SpecialtyPeriod(None, reporting_period(None, today))
    return SpecialtyPeriod(specialty, specialty_period(credentials, specialty, today))


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

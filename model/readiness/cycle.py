"""One specialty's cycle: its last document, expiry, submission window and decision date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from frmr.model.readiness.calendar import WorkingCalendar
from frmr.model.readiness.facts import CredentialRecord
from frmr.model.readiness.rules import RuleSet
from frmr.model.rules.dates import add_years
from frmr.model.rules.labelled import LabelledEnum


class WindowState(LabelledEnum):
    NOT_YET = "not_yet", "ещё не открыто"
    OPEN = "open", "открыто"
    CLOSED = "closed", "закрыто"


def add_months(d: date, months: int) -> date:
    """`d` moved by whole months; a missing day lands on the month's last (ГК РФ ст. 192 п. 3)."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    for day in range(d.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(d.day, 28))


def expiry(doc: CredentialRecord, rules: RuleSet) -> date | None:
    if doc.end_date is not None:
        return doc.end_date
    if doc.pass_date is None:
        return None
    return add_years(doc.pass_date, rules.validity_years)


@dataclass(frozen=True)
class Cycle:
    expires: date
    opens: date
    closes: date
    state: WindowState
    days_left: int  # calendar days until the window closes (negative once it has)
    submit_on: date  # the earliest day an application can be filed: today or the opening
    review_by: date  # ФАЦ's check done
    decision_by: date  # ЦАК's decision
    preliminary: bool  # a date falls in a year without a published production calendar


def cycle(doc: CredentialRecord, today: date, rules: RuleSet, cal: WorkingCalendar) -> Cycle | None:
    expires = expiry(doc, rules)
    if expires is None:
        return None
    if rules.window_months is not None:
        opens = add_months(expires, -rules.window_months)
    else:
        opens = expires - timedelta(days=rules.window_days or 0)
    closes = expires
    if today < opens:
        state = WindowState.NOT_YET
    elif today <= closes:
        state = WindowState.OPEN
    else:
        state = WindowState.CLOSED
    submit_on = max(today, opens)
    review_by = cal.add_working_days(submit_on, rules.fac_days)
    decision_by = cal.add_working_days(submit_on, rules.fac_days + rules.cac_days)
    return Cycle(
        expires=expires,
        opens=opens,
        closes=closes,
        state=state,
        days_left=(closes - today).days,
        submit_on=submit_on,
        review_by=review_by,
        decision_by=decision_by,
        preliminary=not cal.is_official(decision_by),
    )

"""A closing window is told only while no application for its specialty is on its way to the
registry or with it: the notifier reads which are filed from the store, as they stand."""

from __future__ import annotations

from datetime import timedelta

from frmr.daemon.events import EventHub
from frmr.daemon.notifier import Notifier
from frmr.model.applications.lifecycle import new_application
from frmr.model.notifications.events import EventKind
from frmr.model.portfolio.edits import add_row
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.dates import format_date
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import Application


def test_a_closing_window_is_told_only_while_nothing_is_filed_for_it(account: Account) -> None:
    day = today()
    # Педиатрия's accreditation expires in 20 days: its window is open and closing.
    add_row(
        account,
        "certificates",
        {
            "number": "7722 000000001",
            "kind": "accreditation",
            "specialty_name": "Педиатрия",
            "pass_date": format_date(day - timedelta(days=1500)),
            "end_date": format_date(day + timedelta(days=20)),
        },
    )
    notifier = Notifier(load_settings(), account, EventHub())

    def closing() -> list[str | None]:
        notifier._deadlines_on = None  # the dates are read once a day; here at every look
        found, _ = notifier._find(utcnow())
        return [e.specialty for e in found if e.kind is EventKind.WINDOW_CLOSING]

    assert closing() == ["Педиатрия"]
    view = new_application(
        account,
        specialty="педиатрия",
        phone="+79161234567",
        email="demo@example.org",
        education_level="Высшее",
    )
    assert closing() == ["Педиатрия"]  # a draft is not filed
    for status, told in (
        (ApplicationStatus.QUEUED, []),
        (ApplicationStatus.UNDER_REVIEW, []),
        (ApplicationStatus.REJECTED, ["Педиатрия"]),
    ):
        with account.store.write() as session:
            row = session.get(Application, view.app.id)
            assert row is not None
            row.status = status
            session.add(row)
        assert closing() == told, status

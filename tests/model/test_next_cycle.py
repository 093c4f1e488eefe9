"""A registry decision «Аккредитация пройдена» starts the next cycle on the client."""

from __future__ import annotations

from datetime import UTC, date, datetime

from frmr.model.applications.lifecycle import new_application
from frmr.model.portfolio.edits import add_row
from frmr.model.readiness.from_store import readiness
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application

TODAY = date(2026, 12, 1)


def test_a_passed_application_starts_the_next_cycle(account: Account) -> None:
    add_row(
        account,
        "certificates",
        {
            "number": "7722 031234567",
            "kind": "accreditation",
            "specialty_name": "Терапия",
            "pass_date": "20.12.2021",
            "end_date": "20.12.2026",
        },
    )
    app_id = new_application(
        account, specialty="Терапия", phone="9123456789", email="a@b.ru"
    ).app.id
    before = readiness(account, "Терапия", TODAY)[0]
    assert before.period is not None and before.period.start == date(2021, 12, 20)
    # What the sync writes when the registry's decision arrives.
    with account.store.write() as session:
        app = session.get(Application, app_id)
        assert app is not None
        app.status = ApplicationStatus.PASSED
        app.status_changed_at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
        session.add(app)
    after = readiness(account, "Терапия", TODAY)[0]
    assert after.period is not None and after.period.start == date(2026, 11, 20)
    assert after.cycle is not None and after.cycle.expires == date(2031, 11, 20)
    assert "window_not_open" in {f.code for f in after.findings}

"""One status count feeds the daemon's `status` answer and the TUI's header."""

from __future__ import annotations

from frmr.model.applications.counts import header_counts
from frmr.model.applications.lifecycle import cancel_application, new_application
from frmr.model.profile.card import update_profile
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads import read_store
from frmr.model.store.reads.intake import status_counts
from frmr.model.store.tables import Application, RejectedFile


def _new(account: Account) -> str:
    return new_application(
        account, specialty="Терапия", phone="+7 912 345-67-89", email="a@example.ru"
    ).app.id


def test_counts_skip_deleted_applications_and_count_refused_files(account: Account) -> None:
    update_profile(account, {"last_name": "Иванова", "first_name": "Мария"})
    ids = [_new(account) for _ in range(5)]
    cancel_application(account, ids[0])
    with account.store.write() as session:
        for app_id, status in (
            (ids[1], ApplicationStatus.QUEUED),
            (ids[2], ApplicationStatus.NOT_DELIVERED),
            (ids[3], ApplicationStatus.NOT_DELIVERED),
        ):
            app = session.get(Application, app_id)
            assert app is not None
            app.status = status
            session.add(app)
        gone = session.get(Application, ids[4])
        assert gone is not None
        gone.deleted = True
        session.add(gone)
        session.add(RejectedFile(file_name="a.exe", rejected_path="/x/a.exe", reason="тип"))
    with read_store(HomeLayout(account.home)) as read:
        counts = status_counts(read.conn)
    assert dict(counts.by_status) == {
        ApplicationStatus.CANCELLED: 1,
        ApplicationStatus.QUEUED: 1,
        ApplicationStatus.NOT_DELIVERED: 2,
    }
    assert (counts.queued, counts.not_delivered, counts.rejected_files) == (1, 2, 1)
    assert header_counts(account) == ("Иванова Мария", 1, 2)

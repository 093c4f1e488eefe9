"""Events found in a real store: the same fact gives the same key however often it is found,
history from before notifications were on is not news, deadlines come inside their lead."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import attach_files
from frmr.model.notifications.events import (
    Deadline,
    Event,
    EventKind,
    deadlines,
    decided,
    delivery_failing,
)
from frmr.model.notifications.outbox import Channel, enqueue, since
from frmr.model.rules.clock import utcnow
from frmr.model.rules.statuses import Actor, ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads import read_store
from frmr.model.store.reads.transitions import decisions, filings
from frmr.model.store.tables import Application, Notification, StatusChange
from tests.model.test_applications_flow import _portfolio
from tests.samples import add_listed_scans, make_pdf


def _filed(account: Account, tmp_path: Path) -> str:
    _portfolio(account)
    view = apps.new_application(
        account,
        specialty="Терапия",
        phone="+79161234567",
        email="demo@example.org",
        education_level="Высшее",
    )
    attach_files(account, view.app.id, [make_pdf(tmp_path / "scan.pdf")])
    add_listed_scans(account, tmp_path / "scans")
    apps.form_application(account, view.app.id)
    apps.submit_application(account, view.app.id)
    return view.app.id


def _decisions(account: Account, since: datetime) -> list[Event]:
    with read_store(HomeLayout(account.home)) as read:
        return decided(decisions(read.conn, since))


def _failing(
    account: Account, since: datetime, threshold: timedelta
) -> tuple[list[Event], datetime | None]:
    with read_store(HomeLayout(account.home)) as read:
        return delivery_failing(filings(read.conn), utcnow(), since, threshold)


def test_an_application_undelivered_past_the_threshold_is_told_once(
    account: Account, tmp_path: Path
) -> None:
    app_id = _filed(account, tmp_path)
    threshold = timedelta(hours=24)
    with account.store.write() as session:
        started = since(session) - timedelta(days=3)
    found, next_due = _failing(account, started, threshold)
    assert found == [] and next_due is not None
    assert timedelta(hours=23) < next_due - utcnow() <= threshold
    with account.store.write() as session:
        for change in session.exec(select(StatusChange)):
            change.at -= timedelta(hours=30)
            session.add(change)
    (event,), next_due = _failing(account, started, threshold)
    assert next_due is None
    assert event.kind is EventKind.DELIVERY_FAILING and event.application_id == app_id
    assert "не доставлено в ФРМР уже 30 ч" in event.text
    assert "(номер ещё не присвоен)" in event.text
    with account.store.write() as session:
        assert enqueue(session, [event], [Channel.EMAIL]) == 1
    again, _ = _failing(account, started, threshold)
    assert again == [event]
    with account.store.write() as session:
        assert enqueue(session, again, [Channel.EMAIL]) == 0
        assert len(session.exec(select(Notification)).all()) == 1


def test_the_wait_counts_from_the_latest_filing_and_ends_with_delivery(
    account: Account, tmp_path: Path
) -> None:
    app_id = _filed(account, tmp_path)
    threshold = timedelta(hours=24)
    started = utcnow() - timedelta(days=10)
    with account.store.write() as session:
        for change in session.exec(select(StatusChange)):
            change.at -= timedelta(days=5)
            session.add(change)
        # Filed again two days ago (after «Не доставлено»): the wait starts there.
        refiled = StatusChange(
            application_id=app_id,
            at=utcnow() - timedelta(hours=48),
            from_status=ApplicationStatus.NOT_DELIVERED,
            to_status=ApplicationStatus.QUEUED,
            actor=Actor.WORKER,
        )
        session.add(refiled)
        app = session.get(Application, app_id)
        assert app is not None
        app.sync_error = "ФРМР не отвечает"
        session.add(app)
        session.flush()
        refiled_id = refiled.id
    (event,), _ = _failing(account, started, threshold)
    assert event.key == f"delivery:{refiled_id}"
    assert "уже 48 ч" in event.text and "Последняя ошибка: ФРМР не отвечает" in event.text
    with account.store.write() as session:
        app = session.get(Application, app_id)
        assert app is not None
        app.status = ApplicationStatus.UNDER_REVIEW
        session.add(app)
    assert _failing(account, started, threshold) == ([], None)


def test_a_decision_before_notifications_were_first_looked_for_is_history(
    account: Account, tmp_path: Path
) -> None:
    app_id = _filed(account, tmp_path)
    with account.store.write() as session:
        app = session.get(Application, app_id)
        assert app is not None
        app.number = "А-77"
        app.status = ApplicationStatus.REFUSED
        session.add(app)
        session.add(
            StatusChange(
                application_id=app_id,
                at=utcnow() - timedelta(days=1),
                from_status=ApplicationStatus.UNDER_REVIEW,
                to_status=ApplicationStatus.REFUSED,
                actor=Actor.REGISTRY,
                reason="Не пройдено тестирование",
            )
        )
    with account.store.write() as session:
        started = since(session)
    assert _decisions(account, started) == []
    (event,) = _decisions(account, started - timedelta(days=2))
    assert event.title == "Заявление № А-77: Отказано"
    assert event.application_id == app_id and event.specialty == "Терапия"
    assert event.status == "refused" and event.reason == "Не пройдено тестирование"
    assert "Причина: Не пройдено тестирование" in event.text
    assert "аккредитационную комиссию" in event.todo


_DECIDE_ELSEWHERE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
with conn:
    conn.execute(
        "UPDATE application SET status = 'rejected', status_reason = 'Нет диплома', "
        "number = 'Б-5' WHERE id = ?", (sys.argv[2],)
    )
    conn.execute(
        "INSERT INTO status_change (id, application_id, at, from_status, to_status, actor) "
        "VALUES ('elsewhere', ?, ?, 'under_review', 'rejected', 'registry')",
        (sys.argv[2], sys.argv[3]),
    )
"""


def test_a_decision_another_process_wrote_is_told_and_a_tombstone_s_is_not(
    account: Account, tmp_path: Path
) -> None:
    app_id = _filed(account, tmp_path)
    started = utcnow() - timedelta(minutes=1)
    # The daemon's sync writes decisions; the notifier reads them over its own connection.
    at = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    subprocess.run(
        [sys.executable, "-c", _DECIDE_ELSEWHERE, str(account.store.db_path), app_id, at],
        check=True,
        timeout=60,
    )
    (event,) = _decisions(account, started)
    assert event.key == "status:elsewhere" and event.title == "Заявление № Б-5: Отклонено"
    # No reason on the change: the application's own is said.
    assert event.reason == "Нет диплома" and "Причина: Нет диплома" in event.text
    with account.store.write() as session:
        app = session.get(Application, app_id)
        assert app is not None
        app.deleted = True
        session.add(app)
    assert _decisions(account, started) == []
    assert _failing(account, started, timedelta(0)) == ([], None)


def test_deadlines_come_inside_their_lead_and_not_before() -> None:
    item = Deadline(
        specialty="Терапия",
        opens=date(2027, 3, 1),
        closes=date(2027, 6, 1),
        expires=date(2027, 6, 1),
        document_label="Аккредитация",
        document_number="7700",
        filed=False,
    )
    assert deadlines([item], date(2027, 1, 1), 30, 60) == []
    (opening,) = deadlines([item], date(2027, 2, 10), 30, 60)
    assert opening.kind is EventKind.WINDOW_OPENING
    assert "открывается 01.03.2027 (через 19 дней)" in opening.text
    kinds = {e.kind: e for e in deadlines([item], date(2027, 5, 10), 30, 60)}
    assert set(kinds) == {EventKind.WINDOW_CLOSING, EventKind.CERTIFICATE_EXPIRING}
    assert "закрывается 01.06.2027 (через 22 дня)" in kinds[EventKind.WINDOW_CLOSING].text
    assert kinds[EventKind.CERTIFICATE_EXPIRING].title == "Аккредитация № 7700 истекает 01.06.2027"
    filed = Deadline(**{**item.__dict__, "filed": True})
    assert [e.kind for e in deadlines([filed], date(2027, 5, 10), 30, 60)] == [
        EventKind.CERTIFICATE_EXPIRING
    ]
    # The same day found twice is the same event.
    assert (
        deadlines([item], date(2027, 5, 10), 30, 60)[0].key == kinds[EventKind.WINDOW_CLOSING].key
    )

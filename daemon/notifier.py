"""The notifier thread: finds what to tell the doctor and hands it to e-mail and the hook.

It listens to the daemon's event hub (a sync that pulled a decision, a file refused) and
otherwise sleeps until the next thing falls due: a retry, a digest, an undelivered
application crossing its threshold, the next day's deadlines. Every failure is logged and
retried from the outbox; nothing here can stop sync or intake (its own thread, bounded
waits, and a hook with a time limit).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from datetime import date, datetime, timedelta

from frmr.daemon.events import EventHub
from frmr.daemon.refusals import note_path
from frmr.model.notifications.events import (
    Deadline,
    Event,
    deadlines,
    decided,
    delivery_failing,
    refused_files,
)
from frmr.model.notifications.outbox import enqueue, since
from frmr.model.readiness.facts import CredentialRecord
from frmr.model.readiness.from_store import readiness
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.errors import FrmrError
from frmr.model.rules.statuses import PENDING_DELIVERY, ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads import snapshot
from frmr.model.store.reads.applications import application_rows
from frmr.model.store.reads.intake import refused_files as read_refused
from frmr.model.store.reads.notifications import next_retry
from frmr.model.store.reads.transitions import decisions, filings
from frmr.model.store.settings import Settings
from frmr.sync.notice_mail import Channels, configured_channels, password_exposed
from frmr.sync.notice_outbox import deliver_due

log = logging.getLogger(__name__)

# An application counts as filed for a window once it reached the registry or is on its way.
FILED = PENDING_DELIVERY | {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.PASSED}


class Notifier:
    def __init__(self, settings: Settings, account: Account, hub: EventHub) -> None:
        self.settings = settings
        self.account = account
        try:
            self.channels = configured_channels(settings)
        except FrmrError as error:
            log.error("e-mail notifications off: %s", error.log_message)
            self.channels = Channels(mail=None, command=settings.notify_command)
        self._events = hub.subscribe()
        self._hub = hub
        self._stopping = threading.Event()
        self._deadlines_on: date | None = None
        self._thread = threading.Thread(target=self._run, name="notify", daemon=True)

    @property
    def active(self) -> bool:
        return bool(self.channels.enabled)

    def start(self) -> None:
        if not self.active:
            self._hub.unsubscribe(self._events)
            log.info("notifications: no channel configured")
            return
        if self.channels.mail is not None and password_exposed(self.channels.mail):
            log.warning("smtp_password_file is readable by others: chmod 600 it")
        log.info(
            "notifications by %s",
            ", ".join(c.value for c in self.channels.enabled),
        )
        self._thread.start()

    def stop(self, timeout: float) -> None:
        self._stopping.set()
        with contextlib.suppress(queue.Full):
            self._events.put_nowait(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        wake_at: datetime | None = None
        while not self._stopping.is_set():
            try:
                wake_at = self._step()
            except Exception:
                log.exception("notification step failed")
                wake_at = utcnow() + timedelta(seconds=self.settings.notify_retry_base_seconds)
            if not self._hub.is_subscribed(self._events):
                # The hub drops a subscriber whose queue filled (a burst while a hook ran):
                # nothing is lost, the store is the truth, but the next events must wake us.
                self._events = self._hub.subscribe()
                wake_at = utcnow()
            timeout = None if wake_at is None else max(0.0, (wake_at - utcnow()).total_seconds())
            try:
                item = self._events.get(timeout=timeout)
                if item is None:
                    return
                # A burst of events (a sync's progress lines) is one look at the store.
                while True:
                    if self._events.get_nowait() is None:
                        return
            except queue.Empty:
                pass

    def _step(self) -> datetime | None:
        """Queue new events, send what is due; returns when to look again."""
        now = utcnow()
        found, next_due = self._find(now)
        channels = self.channels.enabled
        with self.account.store.write() as session:
            added = enqueue(session, found, channels)
        if added:
            log.info("notifications: %d queued", added)
        wake = [deliver_due(self.account.store, self.settings, self.channels, self._stopping)]
        with self.account.store.read() as session:
            wake.append(next_retry(session_connection(session)))
        wake.append(next_due)
        tomorrow = datetime.combine(today() + timedelta(days=1), datetime.min.time()).astimezone()
        wake.append(tomorrow)
        return min(w for w in wake if w is not None)

    def _find(self, now: datetime) -> tuple[list[Event], datetime | None]:
        store = self.account.store
        with store.write() as session:
            started = since(session)
        threshold = timedelta(hours=self.settings.notify_delivery_hours)
        with store.read() as session, snapshot(session_connection(session)) as conn:
            found = decided(decisions(conn, started))
            found += refused_files(read_refused(conn), started, note_path)
            failing, next_due = delivery_failing(filings(conn), now, started, threshold)
            found += failing
            filed = {
                a.specialty_name.casefold() for a in application_rows(conn) if a.status in FILED
            }
        day = today()
        if self._deadlines_on != day:
            try:
                found += deadlines(
                    self._deadlines(filed, day),
                    day,
                    self.settings.notify_window_days,
                    self.settings.notify_certificate_days,
                )
                self._deadlines_on = day
            except Exception:
                log.exception("notifications: readiness dates could not be read")
        return found, next_due

    def _deadlines(self, filed: set[str], day: date) -> list[Deadline]:
        out = []
        for verdict in readiness(self.account, today=day):
            cyc, doc = verdict.cycle, verdict.document
            if cyc is None or doc is None:
                continue
            out.append(
                Deadline(
                    specialty=verdict.specialty,
                    opens=cyc.opens,
                    closes=cyc.closes,
                    expires=cyc.expires,
                    document_label=_label(doc),
                    document_number=doc.number,
                    filed=verdict.specialty.casefold() in filed,
                )
            )
        return out


def _label(doc: CredentialRecord) -> str:
    label = doc.label
    return label[0].upper() + label[1:]

"""Delivering the outbox: each due row to its channel, the outcome recorded after.

Runs on the daemon's notifier thread. A failure is logged and the row waits its backoff;
it never raises into the caller, so sync and intake go on whatever the mail server or the
hook does.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from frmr.model.notifications.events import Channel, Event
from frmr.model.notifications.outbox import due, mark_failed, mark_sent
from frmr.model.rules.clock import utcnow
from frmr.model.store.engine import Store
from frmr.model.store.settings import Settings
from frmr.model.store.tables import Notification
from frmr.sync.notice_hook import HookFailed, run_hook
from frmr.sync.notice_mail import Channels, MailConfig, MailFailed, send_mail

log = logging.getLogger(__name__)


def deliver_due(
    store: Store,
    settings: Settings,
    channels: Channels,
    stopping: threading.Event | None = None,
) -> datetime | None:
    """Send what is due; returns when something next falls due (a retry, a digest)."""
    now = utcnow()
    wake: list[datetime] = []
    if channels.command:
        wake += _deliver_hooks(store, settings, channels.command, now, stopping)
    if channels.mail is not None:
        wake += _deliver_mail(store, settings, channels.mail, now)
    return min(wake, default=None)


def _retry(store: Store, settings: Settings, rows: list[Notification], error: str) -> datetime:
    at = mark_failed(
        store,
        [r.id for r in rows],
        error,
        settings.notify_retry_base_seconds,
        settings.notify_retry_cap_seconds,
    )
    assert at is not None
    return at


def _deliver_hooks(
    store: Store,
    settings: Settings,
    command: str,
    now: datetime,
    stopping: threading.Event | None,
) -> list[datetime]:
    with store.read() as session:
        rows = due(session, Channel.HOOK, now)
    wake = []
    for row in rows:
        if stopping is not None and stopping.is_set():
            break
        event = Event.from_json(row.payload)
        try:
            run_hook(command, event, settings.notify_command_timeout, stopping)
        except Exception as error:
            if not isinstance(error, HookFailed):
                log.exception("notification %s: hook raised", event.key)
            at = _retry(store, settings, [row], str(error))
            log.warning(
                "notification %s: hook failed (try %d), next try at %s: %s",
                event.key,
                row.attempts + 1,
                at.isoformat(timespec="seconds"),
                error,
            )
            wake.append(at)
            continue
        mark_sent(store, [row.id])
        log.info("notification %s: hook ran", event.key)
    return wake


def _deliver_mail(
    store: Store, settings: Settings, config: MailConfig, now: datetime
) -> list[datetime]:
    with store.read() as session:
        rows = due(session, Channel.EMAIL, now)
    if not rows:
        return []
    digest = timedelta(minutes=settings.notify_digest_minutes)
    if digest:
        # A digest goes once its oldest event has waited the digest period; events that
        # failed before go with it at their retry.
        oldest = min(r.created_at for r in rows)
        if oldest + digest > now and not any(r.attempts for r in rows):
            return [oldest + digest]
        batches = [rows]
    else:
        batches = [[r] for r in rows]
    wake = []
    for batch in batches:
        events = [Event.from_json(r.payload) for r in batch]
        keys = ", ".join(e.key for e in events)
        try:
            send_mail(config, events)
        except Exception as error:
            if not isinstance(error, MailFailed):
                log.exception("notification %s: e-mail raised", keys)
            at = _retry(store, settings, batch, str(error) or type(error).__name__)
            log.warning(
                "notification %s: e-mail failed (try %d), next try at %s: %s",
                keys,
                batch[0].attempts + 1,
                at.isoformat(timespec="seconds"),
                error,
            )
            wake.append(at)
            continue
        mark_sent(store, [r.id for r in batch])
        log.info("notification %s: e-mailed", keys)
    return wake

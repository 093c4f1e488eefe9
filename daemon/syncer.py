"""The sync thread: runs engine cycles when woken, sleeps until the next thing is due.

Woken by: a local commit (the WAL file changed and `data_version` moved), a new token
file, a `sync-now` request, or a timer — the earliest stored resubmission, the backoff
after a failure, the periodic pull. Between those it blocks on an Event: no idle polling.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from frmr.daemon.events import EventHub
from frmr.model.rules.clock import utcnow
from frmr.model.store import sync_rows
from frmr.model.store.engine import Store, session_connection
from frmr.model.store.reads.applications import next_resubmission
from frmr.model.store.settings import Settings
from frmr.model.store.tables import SyncState
from frmr.sync.auth import load_token, token_fingerprint
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.engine import PUSHED_TABLES, SyncEngine
from frmr.sync.errors import LoginRequired, RegistryUnavailable
from frmr.sync.link import CycleReport, Schedule
from frmr.sync.registry_url import resolve_registry_url

log = logging.getLogger(__name__)

LOGIN_REQUIRED_KEY = "login_required"
# Cycles in a row before a break, when each one leaves new work (someone keeps editing).
MAX_BACK_TO_BACK = 5


@dataclass
class SyncStatus:
    registry_url: str | None = None
    registry_reachable: bool | None = None
    logged_in: bool = False
    login_required: bool = False
    last_sync_at: datetime | None = None
    last_sync_ok: bool | None = None


def finished_message(report: CycleReport) -> str:
    """«Синхронизация завершена», and what moved if anything did."""
    moved = [
        f"{label} {count}"
        for label, count in (
            ("отправлено изменений:", report.pushed),
            ("доставлено заявлений:", report.delivered),
            ("не доставлено:", report.not_delivered),
            ("получено изменений:", report.pulled),
        )
        if count
    ]
    return "Синхронизация завершена" + (": " + ", ".join(moved) if moved else "")


class Syncer:
    def __init__(self, settings: Settings, store: Store, hub: EventHub) -> None:
        self.settings = settings
        self.store = store
        self.hub = hub
        self.stopping = threading.Event()
        self._wake = threading.Event()
        self._busy = threading.Lock()
        self.status = SyncStatus()
        self._failures = 0
        self._backoff_until = 0.0
        self._next_pull = 0.0
        self._idle_version: int | None = None
        # A person asked for this sync (sync-now): its lines are never routine.
        self._asked = False
        # Waiting for a login: nothing to do until the token file differs from
        # `_blocked_token` (None when there was no token file at all).
        self._blocked = False
        self._blocked_token: tuple[int, int] | None = None
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)

    # --- waking -------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def wake(self, *, force: bool = False) -> None:
        if force:
            self._backoff_until = 0.0
            self._next_pull = 0.0
            self._asked = True
        self._wake.set()

    def store_changed(self) -> None:
        """The WAL file moved; wake only if a commit happened since we last found no work."""
        if self._idle_version is None or self.store.data_version() != self._idle_version:
            self._wake.set()

    def token_changed(self) -> None:
        if not self._blocked or token_fingerprint(self.settings.token_path) != self._blocked_token:
            self._wake.set()

    def stop(self, timeout: float) -> None:
        self.stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    # --- the loop -----------------------------------------------------------------

    def _run(self) -> None:
        while not self.stopping.is_set():
            self._wake.wait(self._sleep_seconds())
            self._wake.clear()
            if self.stopping.is_set():
                return
            try:
                self._step()
            except Exception as error:
                log.exception("sync step failed")
                self._failed(f"Ошибка синхронизации: {error}")

    def _sleep_seconds(self) -> float | None:
        deadlines = [self._next_pull]
        if self._blocked:
            return None  # nothing to do until a new token file: no busy loop
        due = self._next_resubmission()
        if due is not None:
            deadlines.append(time.monotonic() + (due - utcnow()).total_seconds())
        deadline = max(min(deadlines), self._backoff_until)
        return max(0.0, deadline - time.monotonic())

    def _next_resubmission(self) -> datetime | None:
        with self.store.read() as session:
            return next_resubmission(session_connection(session))

    def _step(self) -> None:
        if time.monotonic() < self._backoff_until:
            return
        url = resolve_registry_url(self.settings)
        self.status.registry_url = url
        if url is None:
            self._next_pull = time.monotonic() + self.settings.pull_seconds
            return
        fingerprint = token_fingerprint(self.settings.token_path)
        if self._blocked and fingerprint == self._blocked_token:
            return
        token = load_token(self.settings.token_path)
        if token is None:
            self._need_login(fingerprint, "no token file", "вход ещё не выполнен")
            return
        if token.expired:
            self._need_login(fingerprint, "the token expired", "срок входа истёк")
            return
        self._blocked = False
        self._blocked_token = None
        self.status.logged_in = True
        self._set_login_required(False)
        for _ in range(MAX_BACK_TO_BACK):
            version = self.store.data_version()
            self._cycle(url, token.access_token)
            if self.stopping.is_set() or self._blocked:
                return
            if time.monotonic() < self._backoff_until:
                return
            if not self._has_work():
                self._idle_version = version
                return
            self._idle_version = None

    def _cycle(self, url: str, access_token: str) -> None:
        timeouts = Timeouts(deadline=self.settings.retry_budget_seconds)
        schedule = Schedule(
            resubmit_base=self.settings.resubmit_base_seconds,
            resubmit_cap=self.settings.resubmit_cap_seconds,
        )
        # A scheduled pull with nothing to send after a good cycle is routine: the TUI's
        # log leaves it out, or a sandbox's 5 s pulls would fill it.
        quiet = self.status.last_sync_ok is True and not self._asked
        self._asked = False
        routine = quiet and not self._has_work()
        self.hub.publish("sync_started", {"message": "Синхронизация с ФРМР…", "routine": routine})
        with (
            self._busy,
            RegistryClient(
                url,
                token=access_token,
                ca_bundle=self.settings.ca_bundle,
                timeouts=timeouts,
                stopping=self.stopping,
            ) as client,
        ):
            engine = SyncEngine(self.store, client, schedule=schedule, emit=self.hub.publish)
            try:
                report = engine.run_cycle()
            except LoginRequired as error:
                log.warning("sync stopped: %s", error)
                self._need_login(
                    token_fingerprint(self.settings.token_path),
                    str(error),
                    "регистр не принял вход (токен отозван или устарел)",
                )
                return
            except RegistryUnavailable as error:
                self.status.registry_reachable = False
                self._failed(error.user_message, error.retry_after)
                return
        self._failures = 0
        self._backoff_until = 0.0
        self._next_pull = time.monotonic() + self.settings.pull_seconds
        self.status.registry_reachable = True
        self.status.last_sync_at = utcnow()
        self.status.last_sync_ok = True
        moved = report.pushed or report.delivered or report.not_delivered or report.pulled
        self.hub.publish(
            "sync_finished",
            {
                "ok": True,
                "pushed": report.pushed,
                "delivered": report.delivered,
                "not_delivered": report.not_delivered,
                "pulled": report.pulled,
                "routine": quiet and not moved,
                "message": finished_message(report),
            },
        )

    def _failed(self, message: str, retry_after: float | None = None) -> None:
        self._failures += 1
        wait = min(
            self.settings.backoff_cap_seconds,
            self.settings.backoff_base_seconds * 2 ** (self._failures - 1),
        )
        wait = max(wait, retry_after or 0.0)
        self._backoff_until = time.monotonic() + wait
        self.status.last_sync_at = utcnow()
        self.status.last_sync_ok = False
        self.hub.publish("error", {"message": message, "source": "sync"})
        self.hub.publish(
            "sync_finished", {"ok": False, "message": "Синхронизация не удалась", "error": message}
        )
        self.hub.publish(
            "next_retry",
            {
                "in_seconds": round(wait, 1),
                "message": f"Следующая попытка через {round(wait)} с",
            },
        )

    def _need_login(self, fingerprint: tuple[int, int] | None, why: str, reason: str) -> None:
        """Sync waits for a login; `why` goes to the log, `reason` (Russian) to F6."""
        log.warning("login required (%s): sync waits for a new token", why)
        self._blocked = True
        self._blocked_token = fingerprint
        self.status.logged_in = False
        self._set_login_required(True)
        self.hub.publish(
            "login_required",
            {"message": f"Нужен вход в личный кабинет ФРМР: {reason}. Выполните «frmr login»"},
        )

    def _set_login_required(self, required: bool) -> None:
        if self.status.login_required == required:
            return
        self.status.login_required = required
        with self.store.write() as session:
            if required:
                session.merge(SyncState(key=LOGIN_REQUIRED_KEY, value=utcnow().isoformat()))
            else:
                row = session.get(SyncState, LOGIN_REQUIRED_KEY)
                if row is not None:
                    session.delete(row)

    def _has_work(self) -> bool:
        """Rows a cycle would push now: dirty and not stuck on a row error."""
        return sync_rows.has_work(self.store, PUSHED_TABLES)

"""The running daemon: one event loop for intake, a sync thread, the control socket.

The main thread blocks on a queue fed by the watcher, the control socket and signals, with
a timeout set by the next timer (a settling file, the long rescan, the systemd watchdog):
nothing runs at idle.
"""

from __future__ import annotations

import faulthandler
import gc
import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from types import FrameType
from typing import Any

from frmr.daemon.control import ControlServer
from frmr.daemon.events import EventHub
from frmr.daemon.intake import Intake
from frmr.daemon.lock import InstanceLock
from frmr.daemon.notifier import Notifier
from frmr.daemon.notify import sd_notify, watchdog_interval
from frmr.daemon.ocr import DocumentReader
from frmr.daemon.packing import AutoPacker
from frmr.daemon.protocol import DaemonStatus
from frmr.daemon.syncer import Syncer
from frmr.daemon.watcher import Item, start_observer
from frmr.model.store.account import open_account
from frmr.model.store.engine import make_private_dir, session_connection
from frmr.model.store.reads import snapshot
from frmr.model.store.reads.applications import next_resubmission
from frmr.model.store.reads.intake import queued_files, status_counts
from frmr.model.store.reads.proposals import queued_readings
from frmr.model.store.settings import Settings

log = logging.getLogger(__name__)

# SIGTERM must end the process within 5 s: the sync thread gets this long to finish its step.
SYNC_JOIN_SECONDS = 3.0
STOP_STACKS_AFTER_SECONDS = 4.5
# A hook or a mail server mid-send is not waited for long: the row stays unsent and goes
# again at the next start.
NOTIFIER_JOIN_SECONDS = 0.5


def _version() -> str:
    try:
        return version("frmr")
    except PackageNotFoundError:
        return "0"


class Daemon:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.lock = InstanceLock(settings.home)
        self.hub = EventHub()
        # SimpleQueue: request_stop puts from a signal handler, which runs in the main thread
        # while it may be inside get(); Queue.put then waited for the lock its own thread held
        # (a daemon that never ended on SIGTERM). SimpleQueue's put is reentrant.
        self.queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.polling = False
        self.packer: AutoPacker | None = None
        self.reader: DocumentReader | None = None
        self.stop_asked: float | None = None

    def request_stop(self, signum: int | None = None, _frame: FrameType | None = None) -> None:
        if signum is not None:
            log.info("signal %d: finishing the current step", signum)
        if self.stop_asked is None:
            self.stop_asked = time.monotonic()
            # SIGTERM must end the process within 5 s; if it does not, every thread's stack
            # goes to stderr (the journal under systemd) to say what held it.
            faulthandler.dump_traceback_later(STOP_STACKS_AFTER_SECONDS)
        self.stopping.set()
        self.queue.put(("stop", None))

    def run(self) -> int:
        make_private_dir(self.settings.home)
        self.lock.acquire()
        try:
            return self._run_locked()
        finally:
            self.lock.release()

    def _run_locked(self) -> int:
        account = open_account(self.settings)
        self.account = account
        packer = self.packer = (
            AutoPacker(
                account,
                template=self.settings.pack_name_template,
                profile=self.settings.pack_profile,
                emit=self.hub.publish,
            )
            if self.settings.auto_pack
            else None
        )
        reader = self.reader = (
            DocumentReader(
                account,
                max_pages=self.settings.read_max_pages,
                max_seconds=self.settings.read_max_seconds,
                tessdata_dir=self.settings.tessdata_dir,
                emit=self.hub.publish,
            )
            if self.settings.read_documents
            else None
        )

        def intake_emit(event: str, fields: dict[str, Any]) -> None:
            self.hub.publish(event, fields)
            if reader is not None:
                reader.imported(event, fields)

        intake = Intake(
            account,
            settle_seconds=self.settings.settle_seconds,
            emit=intake_emit,
            incomplete_seconds=self.settings.incomplete_seconds,
            packer=packer,
        )
        self.intake = intake
        syncer = Syncer(self.settings, account.store, self.hub)
        self.syncer = syncer
        notifier = Notifier(self.settings, account, self.hub)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self.request_stop)
        control = ControlServer(
            self.settings.control_socket,
            self.hub,
            status=self.status,
            sync_now=lambda: self.queue.put(("sync-now", None)),
        )
        observer, self.polling = start_observer(
            account.documents_dir,
            self.settings.home,
            self.queue,
            db_name=account.store.db_path.name,
            token_name=self.settings.token_path.name,
            force_polling=self.settings.force_polling,
            polling_seconds=self.settings.polling_seconds,
        )
        control.start()
        syncer.start()
        syncer.wake(force=True)
        notifier.start()
        if packer is not None:
            packer.resume()
        if reader is not None:
            reader.resume()
        intake.rescan()
        log.info(
            "daemon %d watching %s (%s), control socket %s",
            os.getpid(),
            account.documents_dir,
            "polling" if self.polling else "inotify",
            self.settings.control_socket,
        )
        # What start-up made (modules, classes, the ORM's mappers) lives as long as the
        # process: kept out of the cyclic collector, the collections while running skip it,
        # and so does the one at exit, which took 0.3 s of CPU (1.5 s under load) after
        # "stopped" was logged, on every SIGTERM (systemd's stop, `frmr-daemon stop`).
        gc.freeze()
        sd_notify("READY=1")
        try:
            self._loop(intake, syncer)
        finally:
            sd_notify("STOPPING=1")
            stopped = time.monotonic()
            # Each stage's time is logged: SIGTERM must end the process within 5 s, and
            # when it does not the log says which stage held it.
            stages: list[tuple[str, float]] = []
            if self.stop_asked is not None:
                stages.append(("the step under way", stopped - self.stop_asked))

            def stage(name: str, step: Callable[[], object]) -> None:
                began = time.monotonic()
                step()
                stages.append((name, time.monotonic() - began))

            if packer is not None:
                packer.stop()  # at its next page, while the rest shuts down
            if reader is not None:
                reader.stop()
            stage("control socket", control.close)
            self.hub.close()
            observer.stop()
            stage("sync thread", lambda: syncer.stop(SYNC_JOIN_SECONDS))
            stage("notifier", lambda: notifier.stop(NOTIFIER_JOIN_SECONDS))
            stage("watcher", lambda: observer.join(1.0))
            stage("intake workers", intake.close)
            if packer is not None:
                stage("packer", packer.close)
            if reader is not None:
                stage("document reader", reader.close)
            stage("store", account.close)
            faulthandler.cancel_dump_traceback_later()
            log.info(
                "daemon %d stopped in %.2f s (%s)",
                os.getpid(),
                time.monotonic() - (self.stop_asked or stopped),
                ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages),
            )
        return 0

    def _loop(self, intake: Intake, syncer: Syncer) -> None:
        rescan_at = time.monotonic() + self.settings.rescan_seconds
        ping = watchdog_interval()
        ping_at = time.monotonic() + ping if ping else None
        handlers: dict[str, Callable[[Any], None]] = {
            "fs": lambda payload: intake.hint(
                payload[0], deleted=payload[1], at=payload[2], complete=payload[3]
            ),
            "store": lambda _payload: syncer.store_changed(),
            "token": lambda _payload: syncer.token_changed(),
            "sync-now": lambda _payload: syncer.wake(force=True),
        }
        while not self.stopping.is_set():
            deadlines = [rescan_at]
            settle = intake.next_deadline()
            if settle is not None:
                deadlines.append(settle)
            if ping_at is not None:
                deadlines.append(ping_at)
            timeout = max(0.0, min(deadlines) - time.monotonic())
            try:
                kind, payload = self.queue.get(timeout=timeout)
                handler = handlers.get(kind)
                if handler is not None:
                    handler(payload)
                # Drain a burst (200 files dropped at once) before acting on any of it.
                while not self.stopping.is_set():
                    kind, payload = self.queue.get_nowait()
                    handler = handlers.get(kind)
                    if handler is not None:
                        handler(payload)
            except queue.Empty:
                pass
            now = time.monotonic()
            if now >= rescan_at:
                intake.rescan()
                rescan_at = now + self.settings.rescan_seconds
            if ping_at is not None and ping is not None and now >= ping_at:
                sd_notify("WATCHDOG=1")
                ping_at = now + ping
            # One batch per turn: new events, signals and the watchdog are heard in between.
            if not self.stopping.is_set() and intake.process_due(max_batches=1):
                syncer.wake()

    def status(self) -> DaemonStatus:
        """The answer to `status`: the daemon's own state and the store's counts."""
        with self.account.store.read() as session, snapshot(session_connection(session)) as conn:
            next_retry = next_resubmission(conn)
            counts = status_counts(conn)
            pack_queued = sum(len(files) for files in queued_files(conn).values())
            read_queued = len(queued_readings(conn))
        return DaemonStatus.build(
            pid=os.getpid(),
            version=_version(),
            **asdict(self.syncer.status),
            counts_by_status={status.value: n for status, n in counts.by_status.items()},
            queued=counts.queued,
            not_delivered=counts.not_delivered,
            next_retry_at=next_retry,
            last_error=self.intake.disk_problem or self.hub.last_error,
            disk_problem=self.intake.disk_problem,
            watched_folder=str(self.account.documents_dir),
            watching="polling" if self.polling else "inotify",
            pending_files=len(self.intake.pending),
            rejected_files=counts.rejected_files,
            last_rejected=counts.last_rejected,
            packing=self.packer.status() if self.packer is not None else None,
            pack_queued=pack_queued,
            reading=self.reader.status() if self.reader is not None else None,
            read_queued=read_queued,
        )

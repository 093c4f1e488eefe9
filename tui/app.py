"""The Textual app: modes for the account's screens, the store and daemon watchers, the header.

Kept thin: screens live in tui/screens, widgets in tui/widgets. The model is imported inside
workers only, so the first frame is painted before SQLAlchemy, Alembic and the store load.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from frmr.tui import progress
from frmr.tui._start_time import START
from frmr.tui.commands import BindingsProvider
from frmr.tui.heap import settle_heap
from frmr.tui.messages import (
    STORE_OPENING,
    AccountFailed,
    AccountOpened,
    DaemonEventReceived,
    DaemonStatusFetched,
    FirstLoadRead,
    FirstPageRead,
    FirstReadsDone,
    HeaderChanged,
    HeaderState,
    SandboxReady,
    SettingsLoaded,
    StoreChanged,
)
from frmr.tui.screens.applications import ApplicationsScreen
from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.header import AccountHeader

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.theme import Theme

    from frmr.daemon.protocol import DaemonEvent, DaemonStatus
    from frmr.model.store.account import Account
    from frmr.model.store.settings import Settings
    from frmr.sync.sandbox import Sandbox
    from frmr.tui.screens.applications import ApplicationsLoaded
    from frmr.tui.widgets.rows_view import PreparedRows

log = logging.getLogger("tui")


def _lazy(module: str, name: str) -> Callable[[], Screen[None]]:
    """A mode's screen, imported when first opened, not before the first frame."""

    def make() -> Screen[None]:
        screen: type[Screen[None]] = getattr(importlib.import_module(module), name)
        return screen()

    return make


# PRAGMA data_version: how any writer's commit is noticed (the `frmr` CLI in another pane
# too); the daemon's own commits are noticed at once, through its events.
STORE_POLL_SECONDS = 1.0
# How long the reads after the first page wait for the first frame before going ahead.
FIRST_FRAME_WAIT_SECONDS = 2.0
# While no daemon answers, how often the app tries to subscribe again.
DAEMON_RECONNECT_SECONDS = 2.0
# Events kept for Синхронизация, which shows what happened before it was opened.
RECENT_EVENTS = 200
# A dead sandbox registry is noticed and started again within this.
SANDBOX_WATCH_SECONDS = 5.0


# Every screen's and dialog's rules but the first screen's: see get_screen.
SCREENS_CSS = Path(__file__).parent / "styles" / "screens.tcss"


class FrmrApp(App[None]):
    TITLE = "ФРМР — личный кабинет медработника"
    # The first screen's rules only: this is parsed before the first frame (get_screen).
    CSS_PATH = "styles/app.tcss"
    COMMANDS = App.COMMANDS | {BindingsProvider}
    MODES: ClassVar[dict[str, Any]] = {
        "applications": ApplicationsScreen,
        "portfolio": _lazy("frmr.tui.screens.portfolio", "PortfolioScreen"),
        "report": _lazy("frmr.tui.screens.report", "ReportScreen"),
        "profile": _lazy("frmr.tui.screens.profile", "ProfileScreen"),
        "documents": _lazy("frmr.tui.screens.documents", "DocumentsScreen"),
        "sync": _lazy("frmr.tui.screens.sync", "SyncScreen"),
        "readiness": _lazy("frmr.tui.screens.readiness", "ReadinessScreen"),
    }
    # Composed as the app's first screen: a switch_mode at mount would parse the CSS twice.
    DEFAULT_MODE = "applications"
    # Function keys switch screens: they work in every terminal and under tmux, and never
    # collide with typing into a field. The screens' keys have a line of their own in the
    # KeyBar (widgets/key_bar.py SCREENS), so they are not repeated among the screen's keys.
    # The same actions sit in the command palette.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Помощь", id="app.help"),
        Binding(
            "f2", "switch_mode('applications')", "Заявления", id="app.applications", show=False
        ),
        Binding("f3", "switch_mode('portfolio')", "Портфолио", id="app.portfolio", show=False),
        Binding("f4", "switch_mode('profile')", "Профиль", id="app.profile", show=False),
        Binding("f5", "switch_mode('documents')", "Документы", id="app.documents", show=False),
        Binding("f6", "switch_mode('sync')", "Синхронизация", id="app.sync", show=False),
        Binding("f7", "login", "Вход", id="app.login", show=False),
        Binding("f8", "switch_mode('readiness')", "Готовность", id="app.readiness", show=False),
        Binding("ctrl+n", "notifications", "Уведомления", id="app.notifications", show=False),
        Binding("ctrl+q", "quit", "Выход", id="app.quit"),
        # Declared here, so Textual does not add its own with the English «palette».
        Binding(
            "ctrl+p", "command_palette", "Команды", id="app.palette", show=False, priority=True
        ),
        # Priority, so focus moves the moment the key arrives. Textual's own tab binding
        # runs only after the key has queued behind the focused input's earlier keys, and
        # keys arriving meanwhile (a burst from tmux or a laggy SSH link) are still sent to
        # the old field: the password landed in the login field.
        Binding(
            "tab", "focus_next", "Следующее поле", id="app.focus_next", show=False, priority=True
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Предыдущее поле",
            id="app.focus_previous",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        start_services: bool = True,
        today: Callable[[], date] | None = None,
        ask_login: bool = True,
    ) -> None:
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # Each frame of an animation is a screen update written to the terminal, over
            # SSH too: a tab's underline slid over 0.3 s, some 18 updates, and took half of
            # the CPU of a tab's first showing (bench/README.md, session 10). Moves are
            # drawn at once; whoever wants them animated sets TEXTUAL_ANIMATIONS.
            self.animation_level = "none"
        self.settings = settings
        self.start_services = start_services
        self.ask_login = ask_login
        self._today = today
        self.account: Account | None = None
        self.registry_url: str | None = None
        self.sandbox: dict[str, Any] | None = None
        self.sandbox_keeper: Sandbox | None = None
        self.header_state = HeaderState()
        self.daemon_status: DaemonStatus | None = None
        self.recent_events: deque[DaemonEvent] = deque(maxlen=RECENT_EVENTS)
        self.daemon_polled = False  # daemon_status is None both before the first answer and
        # when no daemon runs; this tells them apart
        # The pid the last status answer gave (None: no answer), to tell F6 when the daemon
        # starts, restarts or stops answering.
        self._daemon_pid: int | None = None
        self.live_screens: set[AccountScreen] = set()
        self._data_version: int | None = None
        self.first_paint_ms: float | None = None
        self.data_shown_ms: float | None = None
        self.data_listed_ms: float | None = None
        self.data_loaded_ms: float | None = None
        # The applications' first page, then the whole screen, read with sqlite3 while the
        # model still loads.
        self.first_page: PreparedRows | None = None
        self.first_load: ApplicationsLoaded | None = None
        # The account is opened once both the first frame and the first reads are done.
        self._boot_waits = 2
        self._choose_theme()
        # Keys pressed while the account was still opening, run once it is (when_account).
        self._account_waiting: list[Callable[[Account], object]] = []
        self._painted = threading.Event()
        # What the stylesheet was last refreshed with (refresh_css).
        self._css_refreshed: tuple[object, ...] | None = None

    def today(self) -> date:
        if self._today is not None:
            return self._today()
        from frmr.model.rules.clock import today

        return today()

    # --- startup -------------------------------------------------------------------------

    def get_screen(self, screen: Any, screen_class: Any = None) -> Any:
        """Textual's, and the rest of the stylesheet read before any screen but the first is
        styled. Textual parses the stylesheet more than once before the first frame (at the
        first mode's start, and again as each new widget class adds its defaults), and the
        other screens' rules were 5/6 of it (bench/README.md, TUI). Added rules are parsed
        when the screen is registered, right after this; the screens already up don't use
        them."""
        found = super().get_screen(screen, screen_class)
        if not isinstance(found, ApplicationsScreen) and not self.stylesheet.has_source(
            str(SCREENS_CSS), ""
        ):
            self.stylesheet.read(SCREENS_CSS)
        return found

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's, unless nothing it reads changed since the last one. Textual calls it
        for each mode's screen the first time it is shown: the whole stylesheet parsed again
        (into a fresh Stylesheet, so without its cache) and every widget of every screen shown
        so far styled again, for a screen that is styled as it mounts anyway. With the same
        variables (the theme), ANSI theme and rules not a widget's own defaults (which Textual
        scopes to that widget's type, styled as it mounts) nor screens.tcss (read for screens
        not up yet: get_screen), every widget would get the styles it has: half the CPU of a
        screen's first F-key (bench/README.md, session 9)."""
        screens_css = (str(SCREENS_CSS), "")
        state = (
            self.get_css_variables(),
            self.ansi_theme,
            {
                where: source
                for where, source in self.stylesheet.source.items()
                if not source.is_defaults and where != screens_css
            },
        )
        if state == self._css_refreshed:
            return
        self._css_refreshed = state
        super().refresh_css(animate)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            # Imported with the first key, not before the first frame: it brings TextArea.
            from frmr.tui import key_order

            found = key_order.field_bindings(self, event)
            if found is not None:
                self.app_focus = True
                event._set_forwarded()
                if not await self._check_bindings(event.key, priority=True):
                    field, bindings = found
                    field.call_later(key_order.run_in_order, self, field, bindings, event)
                return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.show_first_page()

    def _choose_theme(self) -> None:
        """frmr-16 on a 16-colour terminal, chosen before the stylesheet is first applied:
        set at mount, it applied the whole stylesheet a second time (78 ms of a 370 ms first
        paint, profiled; bench/README.md)."""
        from frmr.tui.theme import CLASS, THEME_16, has_16_colours

        self.register_theme(THEME_16)
        if has_16_colours(self.console):
            # Without the watcher, which would queue that second pass; what it does that
            # matters here is the class the stylesheet keys on (frmr-16 is dark, as the default).
            self.set_reactive(App.theme, THEME_16.name)
            self.set_class(True, CLASS, update=False)

    def _theme_changed(self, theme: Theme) -> None:
        from frmr.tui.theme import CLASS, NAME

        self.set_class(theme.name == NAME, CLASS)

    def on_ready(self) -> None:
        self.first_paint_ms = (time.perf_counter() - START) * 1000
        self._painted.set()
        self._boot_when_read()

    def _boot_when_read(self) -> None:
        """Open the account (the ORM, migrations) once the first frame is painted and the read
        model has shown the store: importing SQLAlchemy on a thread of its own would take the
        interpreter from the reads the person is waiting for."""
        self._boot_waits -= 1
        if self._boot_waits == 0:
            self.boot()

    @work(thread=True, exclusive=True, group="first-page", exit_on_error=False)
    def show_first_page(self) -> None:
        """The newest applications, then the whole screen and the header, read with sqlite3
        through the read model before the ORM is imported; then the store is opened for
        writing (`boot`, which also migrates it and reports settings it can't take)."""
        try:
            self._read_first()
        finally:
            # Posted, not call_from_thread: once the app has closed, a post is dropped (or
            # refused by the closed loop) where call_from_thread left a coroutine never awaited.
            with contextlib.suppress(RuntimeError):
                self.post_message(FirstReadsDone())

    def on_first_reads_done(self, _: FirstReadsDone) -> None:
        self._boot_when_read()

    def _read_first(self) -> None:
        # Only what the first page needs before it is read: the whole screen's modules (the
        # readiness rules, the reference) are 40 ms more (bench/README.md, TUI).
        from frmr.model.rules.errors import FrmrError
        from frmr.model.store.reads.applications import read_first_page
        from frmr.model.store.settings import load_settings
        from frmr.tui.screens.applications import table_rows

        try:
            settings = self.settings or load_settings()
        except FrmrError:
            return
        rows = read_first_page(settings.database_path)
        if rows is None:
            return  # a store to create or migrate: the account's open does that
        self.post_message(FirstPageRead(table_rows(rows)))
        # The rest waits for the first frame: a thread reading now takes the interpreter from
        # the compositor half of the time. Bounded, so a frame that never comes (an app
        # closed at once) does not hold the thread.
        self._painted.wait(FIRST_FRAME_WAIT_SECONDS)
        from frmr.model.applications.screen import header_line
        from frmr.model.store.reads import UNREADABLE, open_current
        from frmr.tui.screens.applications import read_screen

        loaded = read_screen(settings, self.today())
        if loaded is not None:
            self.post_message(FirstLoadRead(loaded))
        with open_current(settings.database_path) as conn:
            if conn is None:
                return
            try:
                line = header_line(conn)
            except UNREADABLE:
                return
        state = self.header_state
        state.person, state.queued, state.not_delivered = line
        self.post_message(HeaderChanged())

    @work(thread=True, exclusive=True, group="boot", exit_on_error=False)
    def boot(self) -> None:
        from frmr.model.rules.errors import FrmrError
        from frmr.model.store.settings import load_settings

        try:
            settings = self.settings or load_settings()
        except FrmrError as exc:
            self.post_message(AccountFailed(exc.user_text()))
            return
        _log_to_file(settings.log_dir)
        self.post_message(SettingsLoaded(settings, settings.token_path.exists()))
        from frmr.model.store.account import open_account

        try:
            account = open_account(settings)
        except FrmrError as exc:
            self.post_message(AccountFailed(exc.user_text()))
            return
        self.post_message(AccountOpened(account))

    def on_first_load_read(self, message: FirstLoadRead) -> None:
        if self.account is not None:
            return  # the model is already here: its load is the one to show
        self.first_load = message.loaded
        for screen in list(self.live_screens):
            if isinstance(screen, ApplicationsScreen) and not screen.listed:
                screen.on_applications_loaded(message.loaded)

    def on_first_page_read(self, message: FirstPageRead) -> None:
        if self.account is not None:
            return  # the model is already here: its load is the one to show
        self.first_page = message.rows
        for screen in list(self.live_screens):
            if isinstance(screen, ApplicationsScreen):
                screen.show_first_page(message.rows)

    async def on_settings_loaded(self, message: SettingsLoaded) -> None:
        from frmr.tui.last_screen import read_last_mode

        settings = self.settings = message.settings
        last = read_last_mode(settings.home)
        if last in self.MODES and last != self.current_mode:
            # Before the login screen goes up: it belongs on the screen it will uncover.
            await self.switch_mode(last)
        if settings.keymap:
            self.set_keymap(settings.keymap)
        if settings.registry_url:
            self.registry_url = settings.registry_url
            self.header_state.registry = urlparse(settings.registry_url).netloc or "регистр"
        else:
            self.header_state.registry = "Песочница"
            self.header_state.sandbox = True
        self.post_message(HeaderChanged())
        if self.start_services:
            self.start_registry_and_daemon()
        if self.ask_login and not message.has_token:
            from frmr.tui.screens.login import LoginScreen

            self.push_screen(LoginScreen())

    def when_account(self, run: Callable[[Account], object]) -> None:
        """Run `run` with the account now, or once it is open. The list is on screen before
        the store is opened for writing; a key pressed in between is acted on, not dropped."""
        if self.account is not None:
            run(self.account)
            return
        if not self._account_waiting:
            self.notify(STORE_OPENING, markup=False)
        self._account_waiting.append(run)

    def on_account_opened(self, message: AccountOpened) -> None:
        self.account = message.account
        settle_heap()
        waiting, self._account_waiting = self._account_waiting, []
        for run in waiting:
            run(message.account)
        log.info(
            "startup: first paint %.0f ms, store open %.0f ms",
            self.first_paint_ms or -1,
            (time.perf_counter() - START) * 1000,
        )
        self.set_interval(STORE_POLL_SECONDS, self.poll_store)
        if self.settings is not None:
            # subscribe() blocks on a socket read that no cancel can interrupt, so it gets a
            # daemon thread rather than a worker: the app can always exit.
            threading.Thread(target=self._follow_daemon, name="daemon-events", daemon=True).start()
        # The screens' first load with the account: read at this version at the earliest, so
        # the first poll, finding it unchanged, reloads nothing.
        self.post_message(StoreChanged(message.account.store.data_version()))

    def on_account_failed(self, message: AccountFailed) -> None:
        self.notify(message.text, title="Хранилище не открылось", severity="error", markup=False)

    @work(thread=True, exclusive=True, group="services", exit_on_error=False)
    def start_registry_and_daemon(self) -> None:
        from frmr.sync.sandbox import Sandbox
        from frmr.tui.sandbox import start_daemon

        settings = self.settings
        assert settings is not None
        try:
            if settings.is_sandbox:
                self.sandbox_keeper = Sandbox(settings)
                # The credentials go on the login screen before the daemon's start is awaited.
                self.post_message(SandboxReady(self.sandbox_keeper.keep_up()[0]))
                self.call_from_thread(self.set_interval, SANDBOX_WATCH_SECONDS, self.watch_sandbox)
            log.info(start_daemon(settings))
        except Exception as exc:  # any failure here must reach the person, not kill the app
            log.exception("starting the sandbox or the daemon failed")
            self.post_message(AccountFailed(f"Песочница или фоновая служба не запустилась: {exc}"))
            return
        self.call_from_thread(self.poll_daemon)

    @work(thread=True, exclusive=True, group="sandbox-watch", exit_on_error=False)
    def watch_sandbox(self) -> None:
        """A sandbox that died (killed, crashed, stopped by `frmr sandbox stop`) is reaped and
        started again: the daemon finds the new address in registry.json by itself."""
        keeper = self.sandbox_keeper
        if keeper is None:
            return
        try:
            info, restarted = keeper.keep_up()
        except Exception as exc:  # reported, and tried again at the next tick
            log.exception("restarting the sandbox failed")
            self.post_message(AccountFailed(f"Песочница не запустилась: {exc}"))
            return
        if restarted:
            log.info("the sandbox registry was down: started again at %s", info.get("url"))
            self.post_message(SandboxReady(info))
            text = "Песочница остановилась и запущена снова"
            self.call_from_thread(self.notify, text, markup=False)
            self.call_from_thread(self.seen, "sandbox_restarted", f"{text}: {info.get('url')}")

    def on_sandbox_ready(self, message: SandboxReady) -> None:
        from frmr.tui.screens.login import LoginScreen

        first = self.sandbox is None
        self.sandbox = message.info
        self.registry_url = message.info.get("url") or self.registry_url
        if first and message.info.get("auto_review_seconds"):
            from frmr.sync.sandbox import auto_review_text

            # Said once: a decision that arrives by itself must not look like the registry's.
            self.notify(auto_review_text(message.info), title="Песочница", markup=False, timeout=15)
        for screen in self.screen_stack:
            if isinstance(screen, LoginScreen):
                screen.show_sandbox(message.info)

    def mark_data_shown(self) -> None:
        """Called when the applications table first holds data, the sqlite3 first page or
        the full load, whichever came first (the benchmark reads it)."""
        if self.data_shown_ms is None:
            self.data_shown_ms = (time.perf_counter() - START) * 1000
            log.info("startup: applications shown %.0f ms", self.data_shown_ms)

    def mark_data_listed(self) -> None:
        """Called when the applications screen first shows the whole list, its details and
        the header, read through the read model (the benchmark's "whole store")."""
        if self.data_listed_ms is None:
            self.data_listed_ms = (time.perf_counter() - START) * 1000
            log.info("startup: applications listed %.0f ms", self.data_listed_ms)

    def mark_data_loaded(self) -> None:
        """Called when the applications table first holds the model's full list: details,
        actions and the new-application form work from here."""
        if self.data_loaded_ms is None:
            self.data_loaded_ms = (time.perf_counter() - START) * 1000
            self.first_page = None
            self.first_load = None
            log.info("startup: applications loaded %.0f ms", self.data_loaded_ms)

    # --- watching the store and the daemon ------------------------------------------------

    @work(thread=True, exclusive=True, group="poll-store", exit_on_error=False)
    def poll_store(self) -> None:
        """PRAGMA data_version moves when any connection commits, the daemon's included."""
        account = self.account
        if account is None:
            return
        version = account.store.data_version()
        if version != self._data_version:
            self.post_message(StoreChanged(version))

    def committed(self) -> None:
        """Called on a worker's thread right after this app's own commit: the screens reload
        now, not at the next poll, and that poll, finding this version, reloads nothing."""
        account = self.account
        if account is not None:
            self.post_message(StoreChanged(account.store.data_version()))

    def on_store_changed(self, message: StoreChanged) -> None:
        # One reload per commit: this app's own write is reported by its worker and then seen
        # again by the poll. Only a version the screens have not reloaded at is acted on; it
        # was read before their reloads read, so a commit landing after it, even while they
        # reload, moves the version again and the next poll reloads once more.
        if message.version == self._data_version:
            return
        self._data_version = message.version
        for screen in list(self.live_screens):
            screen.post_message(StoreChanged(message.version))
        self.count_header()

    @work(thread=True, exclusive=True, group="header", exit_on_error=False)
    def count_header(self) -> None:
        from frmr.model.applications.counts import header_counts

        if self.account is None:
            return
        person, queued, not_delivered = header_counts(self.account)
        state = self.header_state
        state.person, state.queued, state.not_delivered = person, queued, not_delivered
        self.post_message(HeaderChanged())

    def _follow_daemon(self) -> None:
        """The app's one subscription to the daemon: every screen hears the daemon through
        it. While no daemon runs, the attempt to subscribe again is the only polling."""
        from frmr.daemon.control_client import subscribe

        assert self.settings is not None
        socket_path = self.settings.control_socket
        while self.is_running:
            # The status is asked once subscribed (no event is missed after it) and once
            # the stream ends (it says whether the daemon is gone).
            for event in subscribe(socket_path, on_subscribed=self._ask_daemon_status):
                self.post_message(DaemonEventReceived(event))
            self._ask_daemon_status()
            time.sleep(DAEMON_RECONNECT_SECONDS)

    def _ask_daemon_status(self) -> None:
        """Asked on the subscription's own thread, the answer posted: a post to an app that
        has closed is dropped, where call_from_thread left a coroutine never awaited once
        the app's loop was gone."""
        from frmr.daemon.control_client import status

        assert self.settings is not None
        answer = status(self.settings.control_socket)
        with contextlib.suppress(RuntimeError):  # the loop closed in between
            self.post_message(DaemonStatusFetched(answer))

    def on_daemon_event_received(self, message: DaemonEventReceived) -> None:
        event = message.event
        self.record_event(event)
        if event.changes_store:
            self.poll_store()
        self.poll_daemon()

    def record_event(self, event: DaemonEvent) -> None:
        """Keep the event for F6, and show it there when F6 is open."""
        self.recent_events.append(event)
        sync = sys.modules.get("frmr.tui.screens.sync")
        if sync is not None and isinstance(self.screen, sync.SyncScreen):
            self.screen.show_event(event)

    def seen(self, kind: str, message: str) -> None:
        """An event the app itself saw (the daemon can't say it stopped), into F6's log."""
        from frmr.daemon.protocol import DaemonEvent, EventKind
        from frmr.model.rules.clock import utcnow

        self.record_event(DaemonEvent.build(event=EventKind(kind), at=utcnow(), message=message))

    def _daemon_seen(self, status: DaemonStatus | None) -> None:
        """Say in F6 when the daemon's answers show it started, restarted or went quiet.

        No answer is all the app knows: the daemon may have stopped or be too busy to
        answer, so it says «не отвечает», not «остановлена»."""
        pid = status.pid if status is not None else None
        before, self._daemon_pid = self._daemon_pid, pid
        if not self.daemon_polled or pid == before:
            return
        if pid is None:
            self.seen("daemon_stopped", "Фоновая служба не отвечает")
        elif before is None:
            self.seen("daemon_started", f"Фоновая служба работает (pid {pid})")
        else:
            self.seen("daemon_started", f"Фоновая служба перезапущена (pid {before} → {pid})")

    @work(thread=True, exclusive=True, group="poll-daemon", exit_on_error=False)
    def poll_daemon(self) -> None:
        from frmr.daemon.control_client import status

        if self.settings is None:
            return
        self.post_message(DaemonStatusFetched(status(self.settings.control_socket)))

    def on_daemon_status_fetched(self, message: DaemonStatusFetched) -> None:
        self._daemon_seen(message.status)
        self.daemon_status = message.status
        self.daemon_polled = True
        status = message.status
        packing = progress.header_text(status)
        if status is None:
            text = "остановлен"
        elif status.disk_problem:
            text = "нет места на диске"
        elif packing is not None:
            text = packing
        elif status.login_required:
            text = "нужен вход"
        elif status.registry_reachable is False:
            text = "нет связи"
        else:
            text = "работает"
        self.header_state.daemon = text
        self.post_message(HeaderChanged())
        screen = self.screen if self.screen_stack else None
        # Not imported until Синхронизация is first opened; until then it can't be showing.
        sync = sys.modules.get("frmr.tui.screens.sync")
        if sync is not None and isinstance(screen, sync.SyncScreen):
            screen.show_status(message)
        if isinstance(screen, ApplicationsScreen):
            screen.show_packing(status)

    def on_header_changed(self, _message: HeaderChanged) -> None:
        if not self.screen_stack:
            return
        for header in self.screen.query(AccountHeader):
            header.show(self.header_state)

    # --- actions --------------------------------------------------------------------------

    def _after_leaving_asked(self, leave: Callable[[], object]) -> None:
        """Run `leave` now, or once the person agreed to drop the screen's unsaved edits."""
        screen = self.screen
        question = screen.unsaved_question() if isinstance(screen, AccountScreen) else None
        if question is None:
            leave()
            return

        def answered(yes: bool | None) -> None:
            if yes and isinstance(screen, AccountScreen):
                screen.discard_edits()
                leave()

        from frmr.tui.screens.dialogs import ConfirmScreen

        self.push_screen(ConfirmScreen(question, "Уйти", "Остаться"), answered)

    async def action_switch_mode(self, mode: str) -> None:
        if mode != self.current_mode:
            self._after_leaving_asked(lambda: self._switch_and_remember(mode))

    def _switch_and_remember(self, mode: str) -> None:
        self.switch_mode(mode)
        if self.settings is not None:
            self.remember_mode(self.settings.home, mode)

    @work(thread=True, exclusive=True, group="last-screen", exit_on_error=False)
    def remember_mode(self, home: Path, mode: str) -> None:
        from frmr.tui.last_screen import write_last_mode

        write_last_mode(home, mode)

    async def action_quit(self) -> None:
        self.exit_asking()

    def exit_asking(self) -> None:
        self._after_leaving_asked(self.exit)

    def action_command_palette(self) -> None:
        from frmr.tui.palette import PLACEHOLDER, RussianCommandPalette

        open_already = any(isinstance(s, RussianCommandPalette) for s in self.screen_stack)
        if self.use_command_palette and not open_already:
            self.push_screen(RussianCommandPalette(id="--command-palette", placeholder=PLACEHOLDER))

    def search_themes(self) -> None:
        from frmr.tui.palette import THEME_PLACEHOLDER, RussianCommandPalette, RussianThemeProvider

        self.push_screen(
            RussianCommandPalette(providers=[RussianThemeProvider], placeholder=THEME_PLACEHOLDER)
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from frmr.tui.palette import system_commands

        return system_commands(self, screen)

    def action_help(self) -> None:
        from frmr.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_notifications(self) -> None:
        from frmr.tui.screens.notifications import NotificationsScreen

        if isinstance(self.screen, NotificationsScreen):
            return

        def show(account: Account) -> None:
            if self.settings is not None and not isinstance(self.screen, NotificationsScreen):
                self.push_screen(NotificationsScreen(account, self.settings))

        self.when_account(show)

    def action_login(self) -> None:
        from frmr.tui.screens.login import LoginScreen

        if not isinstance(self.screen, LoginScreen):
            self.push_screen(LoginScreen())


def _log_to_file(log_dir: Any) -> None:
    """Startup times and errors go to $FRMR_HOME/logs/tui.log: the terminal belongs to the UI."""
    if log.handlers:
        return
    from frmr.model.rules.masking import private_log_handler

    try:
        # 0600 in a 0700 folder, masked like the daemon's: it may hold what a worker typed.
        handler = private_log_handler(log_dir / "tui.log")
    except OSError:
        return
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def make_app(settings: Settings | None = None, **options: Any) -> FrmrApp:
    """The factory the CLI, the tests and the benchmark share."""
    return FrmrApp(settings, **options)

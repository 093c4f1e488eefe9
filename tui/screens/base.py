"""What every account screen shares: the header, the footer, reloading when the store changes,
and running model actions in thread workers that answer with messages.

The form dialogs' base (AccountModal) lives in tui/screens/modal.py and is imported from here
on first use: it brings the form fields (TextArea, Select) that the first screen never shows,
and this module is on the first frame's path (bench/README.md, TUI)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.events import ScreenResume
from textual.screen import Screen

from frmr.tui.messages import ActionFailed, ActionSucceeded, StoreChanged
from frmr.tui.widgets.header import AccountHeader
from frmr.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from frmr.model.store.account import Account
    from frmr.tui.app import FrmrApp
    from frmr.tui.screens.modal import AccountModal as AccountModal


def __getattr__(name: str) -> Any:
    if name == "AccountModal":
        from frmr.tui.screens.modal import AccountModal

        return AccountModal
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ActionRunner(DOMNode):
    """What the account's screens and form dialogs share: the app, the open account, and
    model functions run off the UI thread, answered with a message (a failure is shown as
    a notification unless the handler of a subclass prevents it).

    Not named `run_action`: that is Textual's own method for running an action string."""

    @property
    def frmr(self) -> FrmrApp:
        return self.app  # type: ignore[return-value]

    @property
    def account(self) -> Account:
        """The open account; what reads or writes through it runs once it is (when_account)."""
        account = self.frmr.account
        assert account is not None
        return account

    @work(thread=True, group="actions", exit_on_error=False)
    def run_model_action(self, action: str, fn: Callable[[], Any]) -> None:
        from frmr.model.rules.errors import FrmrError

        try:
            result = fn()
        except FrmrError as exc:
            self.post_message(ActionFailed(action, exc))
            return
        self.post_message(ActionSucceeded(action, result))
        self.frmr.committed()

    def on_action_failed(self, message: ActionFailed) -> None:
        self.app.notify(
            message.error.user_text(), title="Не получилось", severity="error", markup=False
        )


class AccountScreen(ActionRunner, Screen[None]):
    """A top-level screen of the account. Subclasses compose `body()` and implement `load()`."""

    stale = True
    # Whether another screen has been over this one since it was composed (on_screen_resume).
    _suspended = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield from self.body()
        yield KeyBar()

    def body(self) -> ComposeResult:
        yield from ()

    def load(self) -> object:
        """Start the worker that reads what this screen shows."""

    def unsaved_question(self) -> str | None:
        """What to ask before leaving this screen with unsaved edits; None when there are none."""
        return None

    def discard_edits(self) -> None:
        """The person chose to leave without saving: show the saved state again."""

    def on_mount(self) -> None:
        self.frmr.live_screens.add(self)
        self.query_one(AccountHeader).show(self.frmr.header_state)
        self._reload()

    def on_unmount(self) -> None:
        self.frmr.live_screens.discard(self)

    def on_screen_resume(self, event: ScreenResume) -> None:
        if not self._suspended:
            # Textual restyles the whole screen on every resume, for what may have changed
            # while it was away. A mode's screen is resumed twice as it is first shown, each
            # time just after every widget was styled as it mounted: 15 % of Профиль's first
            # visit (bench/README.md, session 10). Only once it has been away, then. This
            # runs before Screen's own handler (Textual calls each class's, subclass first).
            event.refresh_styles = False
        self.query_one(AccountHeader).show(self.frmr.header_state)
        if self.stale:
            self._reload()

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_store_changed(self, _message: StoreChanged) -> None:
        self.stale = True
        if self.is_current:
            self._reload()

    def _reload(self) -> None:
        if self.frmr.account is not None:
            self.stale = False
            self.load()

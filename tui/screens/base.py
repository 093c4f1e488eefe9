"""What every account screen shares: the header, the footer, reloading when the store changes,
and running model actions in thread workers that answer with messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Button

from frmr.model.rules.errors import FrmrError
from frmr.tui.messages import ActionFailed, ActionSucceeded, StoreChanged
from frmr.tui.screens.dialogs import ConfirmScreen
from frmr.tui.widgets.field import FIELD_STEP_BINDINGS, FormField, form_inputs, step_field
from frmr.tui.widgets.header import AccountHeader
from frmr.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from frmr.tui.app import FrmrApp


class ActionRunner(DOMNode):
    """Runs a model function off the UI thread; the answer comes back as a message.

    Not named `run_action`: that is Textual's own method for running an action string."""

    @work(thread=True, group="actions", exit_on_error=False)
    def run_model_action(self, action: str, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except FrmrError as exc:
            self.post_message(ActionFailed(action, exc))
            return
        self.post_message(ActionSucceeded(action, result))
        # Our own commit: every screen reloads now rather than at the next data_version poll.
        self.app.post_message(StoreChanged())


class AccountScreen(ActionRunner, Screen[None]):
    """A top-level screen of the account. Subclasses compose `body()` and implement `load()`."""

    stale = True

    @property
    def frmr(self) -> FrmrApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield from self.body()
        yield KeyBar()

    def body(self) -> ComposeResult:
        yield from ()

    def load(self) -> None:
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

    def on_screen_resume(self) -> None:
        self.query_one(AccountHeader).show(self.frmr.header_state)
        if self.stale:
            self._reload()

    def on_store_changed(self, _message: StoreChanged) -> None:
        self.stale = True
        if self.is_current:
            self._reload()

    def _reload(self) -> None:
        if self.frmr.account is not None:
            self.stale = False
            self.load()

    def on_action_failed(self, message: ActionFailed) -> None:
        self.notify(
            message.error.user_text(), title="Не получилось", severity="error", markup=False
        )


class AccountModal(ActionRunner, ModalScreen[Any]):
    """A form dialog over an account screen: its FormFields, a «save» and a «close» button,
    and actions of its own. Subclasses compose the fields and implement `action_save`."""

    # Asked before closing a form whose fields hold unsaved edits.
    LEAVE_QUESTION = "Закрыть форму? Изменения не сохранятся."

    # Merged into every subclass's BINDINGS (Textual merges along the class hierarchy).
    BINDINGS: ClassVar[list[BindingType]] = [*FIELD_STEP_BINDINGS]

    def action_field_step(self, delta: int) -> None:
        step_field(self, form_inputs(self), delta)

    def on_mount(self) -> None:
        self.query(FormField).first().focus_input()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_leave()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_leave(self) -> None:
        if not any(f.dirty for f in self.query(FormField)):
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(self.LEAVE_QUESTION, "Закрыть", "Остаться"), answered)

    @property
    def frmr(self) -> FrmrApp:
        return self.app  # type: ignore[return-value]

    def on_action_failed(self, message: ActionFailed) -> None:
        self.notify(
            message.error.user_text(), title="Не получилось", severity="error", markup=False
        )

"""The base of the form dialogs over an account screen (a row, an application, a proposal)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Button

from frmr.tui.screens.base import ActionRunner
from frmr.tui.screens.dialogs import ConfirmScreen
from frmr.tui.widgets.field import FIELD_STEP_BINDINGS, FormField, form_inputs, step_field


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

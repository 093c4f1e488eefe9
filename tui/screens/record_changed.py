"""«Запись изменилась, пока вы её редактировали»: the save was refused because another process
saved the record meanwhile. The person reloads (dropping their edits) or keeps their own value
field by field; the fields they did not touch take the stored values either way."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from frmr.model.rules.record_version import RECORD_CHANGED


class RecordChangedScreen(ModalScreen[frozenset[str] | None]):
    """Answers None to reload, or the names of the fields whose typed value is kept."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Перечитать", id="record-changed.reload"),
    ]

    def __init__(self, conflicts: dict[str, tuple[str, str, str]]) -> None:
        """`conflicts`: field name → (label, the value typed here, the value stored now)."""
        super().__init__()
        self.conflicts = conflicts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"{RECORD_CHANGED}: её сохранили в другом окне или командой frmr. "
                "Отметьте поля, где оставить ваше значение; в остальных будет сохранённое.",
                markup=False,
                classes="dialog-text",
            )
            with VerticalScroll(id="record-changed-fields"):
                for name, (label, mine, stored) in self.conflicts.items():
                    yield Checkbox(
                        f"{label}: ваше «{mine or '—'}», сохранено «{stored or '—'}»",
                        value=True,
                        id=f"keep-{name}",
                    )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Сохранить отмеченное", variant="primary", id="keep")
                yield Button("Перечитать (Esc)", id="reload")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keep":
            kept = frozenset(
                name for name in self.conflicts if self.query_one(f"#keep-{name}", Checkbox).value
            )
            self.dismiss(kept)
        else:
            self.dismiss(None)

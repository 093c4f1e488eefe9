"""The form for one row of any COLLECTIONS spec, built from its fields and checked as typed."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label

from frmr.model.portfolio.collections import CollectionSpec, parse_values
from frmr.model.profile.card_fields import FieldSpec
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.record_version import RecordChanged
from frmr.tui.messages import ActionFailed, ActionSucceeded
from frmr.tui.screens.base import AccountModal
from frmr.tui.widgets.field import Choice, FormField

if TYPE_CHECKING:
    from frmr.model.store.reads.portfolio import ListedRow

NO_FILES = "— в библиотеке нет файлов: положите их в папку документов —"


def _choices(field: FieldSpec) -> list[str] | None:
    """A choice field gets a list to pick from; its labels are what the parser reads."""
    kind = field.load
    if not (isinstance(kind, type) and issubclass(kind, enum.Enum)):
        return None
    # Members kept only for old rows (CourseKind's) are not offered.
    selectable = getattr(kind, "selectable", None)
    members = selectable() if selectable else list(kind)
    return [str(getattr(m, "label", m.value)) for m in members]


class RowForm(AccountModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "save", "Сохранить", id="form.save"),
        Binding("escape", "leave", "Закрыть", id="form.close"),
    ]

    def __init__(
        self,
        spec: CollectionSpec,
        row: ListedRow | None,
        links: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        """`links`: for each field holding a library document, the (label, id) to pick from."""
        super().__init__()
        self.spec = spec
        self.row = row
        self.links = links or {}
        self.read_version: int | None = None if row is None else row.version

    def compose(self) -> ComposeResult:
        verb = "Изменить" if self.row is not None else "Добавить"
        with VerticalScroll(classes="dialog wide form"):
            yield Label(Text(f"{self.spec.label}: {verb.lower()} запись"), classes="dialog-title")
            for field in self.spec.fields:
                value = "" if self.row is None else getattr(self.row, field.name)
                shown = "" if value is None or value == "" else str(field.display(value))
                choices: Sequence[Choice] | None = _choices(field)
                if field.name in self.spec.documents:
                    choices = list(self.links.get(field.name, ()))
                yield FormField(
                    field.name,
                    field.label,
                    shown,
                    self._checker(field.name),
                    choices=choices,
                    empty_text=NO_FILES,
                    required=field.required,
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Сохранить (ctrl+o)", variant="primary", id="save")
                yield Button("Закрыть (Esc)", id="close")

    def _checker(self, name: str) -> Any:
        return lambda text: parse_values(self.spec, {name: text})

    def action_save(self) -> None:
        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.notify("Исправьте поля, отмеченные красным", severity="warning", markup=False)
            return
        from frmr.model.portfolio.edits import add_row, update_row

        account, name = self.frmr.account, self.spec.name
        if self.row is None:
            values = {f.field_name: f.value for f in fields}
            self.run_model_action("save", lambda: add_row(account, name, values))  # type: ignore[arg-type]
        else:
            # Only what was edited here, over the version the form was filled from: a field
            # another process changed meanwhile is not written over.
            values = {f.field_name: f.value for f in fields if f.dirty}
            row_id, version = self.row.id, self.read_version
            self.run_model_action(
                "save",
                lambda: update_row(account, name, row_id, values, if_version=version),  # type: ignore[arg-type]
            )

    def ask_about_change(self, changed: RecordChanged) -> None:
        from frmr.tui.screens.record_changed import RecordChangedScreen

        fields = {f.field_name: f for f in self.query(FormField)}
        labels = {f.name: f.label for f in self.spec.fields}
        conflicts = {
            name: (labels[name], field.value, str(changed.stored.get(name, "")))
            for name, field in fields.items()
            if field.dirty and field.value != str(changed.stored.get(name, ""))
        }

        def answered(kept: frozenset[str] | None) -> None:
            for name, field in fields.items():
                if kept is None or name not in kept or name not in conflicts:
                    field.reset(str(changed.stored.get(name, "")))
            self.read_version = changed.current
            if kept and kept & conflicts.keys():
                self.action_save()

        self.app.push_screen(RecordChangedScreen(conflicts), answered)

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        self.notify("Сохранено", markup=False)
        self.dismiss(message.result)

    def on_action_failed(self, message: ActionFailed) -> None:
        error = message.error
        if isinstance(error, RecordChanged):
            self.ask_about_change(error)
        if isinstance(error, FieldInvalid):
            for field in self.query(FormField):
                if field.field_name == error.field:
                    field.show_error(error.user_message)
        # AccountModal's handler runs next (Textual calls each class's) and notifies once.

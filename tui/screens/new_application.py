"""«Добавить заявление»: the new-application form, opened from Аккредитация → Заявления.

Its own module so the applications screen, composed before the first frame, does not import
the form's fields and checks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label

from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.education import EducationLevel
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.statuses import ApplicationKind
from frmr.tui.messages import ActionSucceeded
from frmr.tui.screens.base import AccountModal
from frmr.tui.widgets.field import FormField

# The registry needs a level; by default it is the one the chosen specialty requires.
BY_SPECIALTY = "По специальности"


def _required(label: str) -> Any:
    def check(text: str) -> None:
        if not text.strip():
            raise FieldInvalid(f"Поле «{label}» обязательно", "required", field=label)

    return check


def _free(_text: str) -> None:
    """Free text: anything goes."""


class NewApplicationScreen(AccountModal):
    LEAVE_QUESTION = "Закрыть форму? Введённое не сохранится."
    """«Добавить заявление»: the fields of docs/domain.md, contacts prefilled from the card."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "save", "Сохранить", id="form.save"),
        Binding("escape", "leave", "Закрыть", id="form.close"),
    ]

    def __init__(self, specialties: list[str], phone: str, email: str) -> None:
        super().__init__()
        self.specialties = specialties
        self.phone = phone
        self.email = email

    def compose(self) -> ComposeResult:
        kinds = [k.label for k in ApplicationKind]
        with VerticalScroll(classes="dialog wide form"):
            yield Label(Text("Добавить заявление"), classes="dialog-title")
            yield FormField(
                "kind",
                "Вид аккредитации",
                ApplicationKind.PERIODIC.label,
                _required("Вид"),
                choices=kinds,
                required=True,
            )
            yield FormField(
                "specialty",
                "Специальность",
                "",
                _required("Специальность"),
                choices=self.specialties,
                required=True,
            )
            yield FormField(
                "education_level",
                "Уровень образования",
                BY_SPECIALTY,
                _free,
                choices=[BY_SPECIALTY, *(level.label for level in EducationLevel)],
            )
            yield FormField(
                "phone", "Контактный телефон", self.phone, normalize_phone, required=True
            )
            yield FormField(
                "email", "Электронная почта", self.email, normalize_email, required=True
            )
            yield FormField("comment", "Комментарий", "", _free, multiline=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Сохранить (ctrl+o)", variant="primary", id="save")
                yield Button("Закрыть (Esc)", id="close")

    def values(self) -> dict[str, str]:
        return {f.field_name: f.value for f in self.query(FormField)}

    def action_save(self) -> None:
        from frmr.model.applications.lifecycle import new_application

        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.notify("Исправьте поля, отмеченные красным", severity="warning", markup=False)
            return
        v = self.values()
        kind = next(k for k in ApplicationKind if k.label == v["kind"])
        self.run_model_action(
            "new",
            lambda: new_application(
                self.account,
                kind=kind,
                specialty=v["specialty"],
                phone=v["phone"],
                email=v["email"],
                education_level=(
                    None if v["education_level"] in ("", BY_SPECIALTY) else v["education_level"]
                ),
                comment=v["comment"] or None,
            ),
        )

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        if message.action == "new":
            # No toast: the applications screen selects it and shows its folder, which a
            # notification in the corner would cover.
            self.dismiss(message.result.app.id)

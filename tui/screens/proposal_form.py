"""A course proposed from a document: each field as read, with how sure the reading is; the
doctor corrects what is wrong and confirms it (then it is a course) or dismisses it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.text import printable
from frmr.tui.messages import ActionFailed, ActionSucceeded
from frmr.tui.screens.base import AccountModal
from frmr.tui.widgets.field import FormField

if TYPE_CHECKING:
    from frmr.model.portfolio.proposals import Proposal, ProposedField

KIND = "kind"


def field_label(field: ProposedField) -> str:
    """«Часов (95 %)»: the label with how sure the reading is, or that it is the doctor's."""
    if field.corrected:
        return f"{field.label} (исправлено)"
    if field.value is None:
        return f"{field.label} (не прочитано)"
    return f"{field.label} ({round(field.confidence * 100)} %)"


class ProposalForm(AccountModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "confirm_proposal", "Подтвердить", id="proposal.confirm"),
        Binding("ctrl+e", "save", "Сохранить исправления", id="proposal.save"),
        Binding("ctrl+x", "dismiss_proposal", "Отклонить", id="proposal.dismiss"),
        Binding("escape", "leave", "Закрыть", id="form.close"),
    ]

    def __init__(self, proposal: Proposal) -> None:
        super().__init__()
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        from frmr.model.portfolio.proposals import parse_field, parse_kind

        p = self.proposal
        doc_type = p.doc_type or ""
        with VerticalScroll(classes="dialog wide form"):
            yield Label(Text(f"{p.label}: «{printable(p.file_name)}»"), classes="dialog-title")
            note = "Проверьте поля по документу: процент — уверенность распознавания."
            if p.limits_note:
                note += f" Внимание: {p.limits_note}."
            yield Static(Text(note), classes="summary")
            kinds = [k.label for k in CourseKind.selectable()]
            yield FormField(
                KIND,
                "Вид курса",
                p.course_kind.label if p.course_kind else "",
                lambda text: parse_kind(text),
                choices=kinds,
                required=True,
            )
            for field in p.fields:
                yield FormField(
                    field.name,
                    field_label(field),
                    field.shown,
                    self._checker(doc_type, field.name, parse_field),
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Подтвердить ^o", variant="primary", id="confirm")
                yield Button("Исправить ^e", id="save")
                yield Button("Отклонить ^x", variant="error", id="dismiss")
                yield Button("Закрыть Esc", id="close")

    @staticmethod
    def _checker(doc_type: str, name: str, parse: Any) -> Any:
        return lambda text: parse(doc_type, name, text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        # «save» and «close» are AccountModal's; these two are this form's own.
        actions = {"confirm": self.action_confirm_proposal, "dismiss": self.action_dismiss_proposal}
        action = actions.get(event.button.id or "")
        if action is not None:
            event.prevent_default()
            action()

    def _changed(self) -> dict[str, str] | None:
        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.notify("Исправьте поля, отмеченные красным", severity="warning", markup=False)
            return None
        return {f.field_name: f.value for f in fields if f.value != f.initial}

    def action_confirm_proposal(self) -> None:
        from frmr.model.portfolio.proposals import confirm

        values = self._changed()
        if values is None:
            return
        account, ref = self.frmr.account, self.proposal.id
        self.run_model_action("confirm", lambda: confirm(account, ref, values))  # type: ignore[arg-type]

    def action_save(self) -> None:
        from frmr.model.portfolio.proposals import correct

        values = self._changed()
        if values is None:
            return
        account, ref = self.frmr.account, self.proposal.id
        self.run_model_action("save", lambda: correct(account, ref, values))  # type: ignore[arg-type]

    def action_dismiss_proposal(self) -> None:
        from frmr.model.portfolio.proposals import dismiss

        account, ref = self.frmr.account, self.proposal.id
        self.run_model_action("dismiss", lambda: dismiss(account, ref))  # type: ignore[arg-type]

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        self.notify(
            {
                "confirm": "Курс добавлен в портфолио",
                "save": "Исправления сохранены",
                "dismiss": "Предложение отклонено",
            }.get(message.action, "Сохранено"),
            markup=False,
        )
        self.dismiss(message.result)

    def on_action_failed(self, message: ActionFailed) -> None:
        error = message.error
        if isinstance(error, FieldInvalid):
            for field in self.query(FormField):
                if field.field_name == error.field:
                    field.show_error(error.user_message)

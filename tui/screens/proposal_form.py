"""A course proposed from a document: each field as read, with how sure the reading is and,
under the fields, what the scan says where the focused field was read; the doctor corrects
what is wrong and confirms it (then it is a course) or dismisses it. ctrl+g writes the
scan's page and the field's cut as pictures and says how to fetch them over SSH."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.text import printable
from frmr.tui.messages import ActionFailed, ActionSucceeded
from frmr.tui.screens.base import AccountModal
from frmr.tui.screens.dialogs import TextScreen
from frmr.tui.widgets.field import FormField
from frmr.tui.widgets.scan_evidence import ScanEvidence

if TYPE_CHECKING:
    from frmr.model.portfolio.proposal_view import Proposal, ProposedField

KIND = "kind"


def field_label(field: ProposedField) -> str:
    """«Часов (95 %)»: the label with how sure the reading is, or that it is the doctor's."""
    if field.corrected:
        return f"{field.label} (исправлено)"
    from frmr.model.portfolio.proposal_view import SPECIALTY

    if field.value is None:
        # The specialty is never printed: not a failed reading, the doctor's to give (the
        # panel under the fields says so; the label keeps to its 22 columns).
        return field.label if field.name == SPECIALTY else f"{field.label} (не прочитано)"
    return f"{field.label} ({round(field.confidence * 100)} %)"


class ProposalForm(AccountModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "confirm_proposal", "Подтвердить", id="proposal.confirm"),
        Binding("ctrl+e", "save", "Сохранить исправления", id="proposal.save"),
        Binding("ctrl+x", "dismiss_proposal", "Отклонить", id="proposal.dismiss"),
        Binding("ctrl+g", "scan", "Картинка скана", id="proposal.scan"),
        Binding("escape", "leave", "Закрыть", id="form.close"),
    ]
    DEFAULT_CSS = """
    ProposalForm #proposal-fields { height: 1fr; }
    """

    def __init__(self, proposal: Proposal) -> None:
        super().__init__()
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        from frmr.model.portfolio.proposals import parse_field, parse_kind

        p = self.proposal
        doc_type = p.doc_type or ""
        with Vertical(classes="dialog wide form"):
            yield Label(Text(f"{p.label}: «{printable(p.file_name)}»"), classes="dialog-title")
            note = "Сверьте поля со сканом под ними; % — уверенность; ^g — картинка скана."
            if p.limits_note:
                note += f" Внимание: {p.limits_note}."
            yield Static(Text(note), classes="summary")
            with VerticalScroll(id="proposal-fields"):
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
            yield ScanEvidence(id="scan-evidence")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Подтвердить ^o", variant="primary", id="confirm")
                yield Button("Исправить ^e", id="save")
                yield Button("Отклонить ^x", variant="error", id="dismiss")
                yield Button("Закрыть Esc", id="close")

    def _focused_field(self) -> FormField | None:
        widget = self.focused
        while widget is not None and not isinstance(widget, FormField):
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        return widget

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        from frmr.model.portfolio.proposal_view import FROM_PORTFOLIO, SPECIALTY

        form_field = self._focused_field()
        if form_field is None:
            return
        shown = self.proposal.field(form_field.field_name)
        self.query_one(ScanEvidence).show(
            shown, not_printed=SPECIALTY, from_portfolio=FROM_PORTFOLIO
        )

    def action_scan(self) -> None:
        form_field = self._focused_field()
        name = form_field.field_name if form_field is not None else None
        # Drawing a 300 dpi page takes seconds: say it has begun.
        self.notify("Рисую картинку скана…", timeout=3, markup=False)
        self._write_scan(name if name is not None and self.proposal.field(name) else None)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _write_scan(self, name: str | None) -> None:
        from frmr.model.portfolio.proposal_scans import write_scan
        from frmr.model.rules.errors import FrmrError

        account = self.frmr.account
        assert account is not None
        try:
            paths = write_scan(account, self.proposal.id, name)
        except FrmrError as error:
            self.app.call_from_thread(
                self.notify, error.user_message, severity="warning", markup=False
            )
            return
        self.app.call_from_thread(self._show_pictures, [str(p) for p in paths])

    def _show_pictures(self, paths: list[str]) -> None:
        self.app.push_screen(ScanPictures(paths, self.proposal.id[:8]))

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


class ScanPictures(TextScreen):
    """Where the pictures of the scan were written, and the scp line that brings them to the
    doctor's computer (the terminal over SSH can't show them legibly); `s` copies it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *TextScreen.BINDINGS,
        Binding("s,ы", "copy", "Копировать команду scp", id="scan.copy_scp"),
    ]
    hint = "s — скопировать команду scp, Esc — закрыть"

    def __init__(self, paths: list[str], short_id: str) -> None:
        import os
        from pathlib import Path

        from frmr.tui.remote_copy import fetch_command

        folder = str(Path(paths[0]).parent)
        self.command = fetch_command(f"{folder}/скан-{short_id}-*", os.environ)
        body = Text("Страница с обведёнными полями и поле крупно — картинки PNG:\n")
        for path in paths:
            body.append(path + "\n", style="bold")
        body.append("\nНа ваш компьютер (в текущую папку), затем откройте их:\n")
        body.append(self.command, style="bold")
        super().__init__("Картинка скана", body)

    def action_copy(self) -> None:
        from frmr.tui.clipboard import copy

        copy(self.app, self.command, "Команда scp отправлена")

"""Small dialogs: a yes/no question, a menu of actions, and a read-only text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frmr.model.rules.limits import LIMITS_SHORT


class ConfirmScreen(ModalScreen[bool]):
    """Asked before anything destructive, and before dropping unsaved edits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,д", "answer(True)", "Да", id="confirm.yes"),
        Binding("n,н,escape", "answer(False)", "Нет", id="confirm.no"),
    ]

    def __init__(
        self, question: str, yes: str = "Да", no: str = "Нет", *, danger: bool = True
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        # Red for what can't be undone; a step forward (submitting) is not a danger.
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"{self.yes} (y)", variant="error" if self.danger else "success", id="yes"
                )
                yield Button(f"{self.no} (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class MenuScreen(ModalScreen[str | None]):
    """A row's actions; answers with the chosen action's id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Закрыть", id="menu.close")
    ]

    def __init__(self, title: str, items: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield OptionList(*[Option(Text(label), id=key) for key, label in self.items])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TextScreen(ModalScreen[None]):
    """A read-only report (problems found, status history, the folder path)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Закрыть", id="text.close")
    ]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self.title_text = title
        self.body_text = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll():
                yield Static(self.body_text)
            yield Static(Text(self.hint), classes="dialog-hint")

    hint = "Esc — закрыть"


class FolderScreen(TextScreen):
    """The folder to drop an application's files into, and ready-to-paste scp/rsync lines for
    sending them from the doctor's own computer; `c` and `s` copy over OSC 52.

    The dialog spans the screen's width without side borders, and the commands start at its
    first column: a terminal's selection of whole rows then holds nothing but the commands
    (remote_copy.fold_command breaks them with shell continuations instead of wrapping)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *TextScreen.BINDINGS,
        Binding("c,с", "copy('path')", "Копировать путь", id="folder.copy"),
        Binding("s,ы", "copy('scp')", "Копировать команду scp", id="folder.copy_scp"),
    ]
    hint = "c — скопировать путь, s — скопировать команду scp, Esc — закрыть"

    def __init__(self, path: str, commands: Sequence[str], title: str = "Папка документов") -> None:
        body = Text()
        body.append(f"Положите файлы (PDF, JPEG, PNG; {LIMITS_SHORT}) в папку:\n")
        body.append(path, style="bold")
        if commands:
            body.append("\n\nС вашего компьютера (вместо «файл.pdf» — свой файл):")
        super().__init__(title, body)
        self.path = path
        self.commands = list(commands)

    def compose(self) -> ComposeResult:
        from frmr.tui.widgets.shell_lines import ShellLines

        with Vertical(classes="dialog copyable"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(self.body_text)
            if self.commands:
                yield ShellLines(self.commands)
            yield Static(Text("\nФоновая служба приложит их к заявлению сама."))
            yield Static(Text(self.hint), classes="dialog-hint")

    def action_copy(self, what: str) -> None:
        from frmr.tui.clipboard import copy

        text = self.path if what == "path" or not self.commands else self.commands[0]
        what = "Путь отправлен" if text == self.path else "Команда scp отправлена"
        copy(self.app, text, what)


class AskScreen(ModalScreen[str | None]):
    """One line of input, e.g. the path of a file to import."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Закрыть", id="ask.close")
    ]

    def __init__(self, question: str, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.question, markup=False, classes="dialog-text")
            yield Input(placeholder=self.placeholder)
            yield Static(Text("Enter — готово, Esc — закрыть"), classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

"""A labelled input that checks its value as it is typed and shows the Russian reason beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from frmr.model.rules.errors import FieldInvalid

Checker = Callable[[str], Any]
W = TypeVar("W", bound=Widget)
# A list entry: its text alone (shown and stored the same), or (shown, stored) when the value
# is an id the doctor should never have to read (a document of the library).
Choice = str | tuple[str, str]

# ↑/↓ move between the fields of a form, as F1 says. Priority, because a closed Select opens
# its list on ↑/↓ (Enter or space still open it); SkipAction hands the key on to whatever
# has the focus when that is not one of the form's fields (a table, an open list).
FIELD_STEP_BINDINGS = [
    Binding("down", "field_step(1)", "Поле ниже", id="form.next", show=False, priority=True),
    Binding("up", "field_step(-1)", "Поле выше", id="form.previous", show=False, priority=True),
]


def step_field(screen: Screen[Any], fields: Sequence[Widget], delta: int) -> None:
    """Focus the field `delta` places from the focused one; SkipAction if none of `fields` has
    the focus. At either end the focus stays."""
    shown = [f for f in fields if f.display and f.focusable]
    if screen.focused not in shown or isinstance(screen.focused, TextArea):
        raise SkipAction()  # in a multi-line field ↑/↓ move between its lines; Tab leaves it
    index = shown.index(screen.focused) + delta
    if 0 <= index < len(shown):
        screen.set_focus(shown[index])


def input_value(widget: Widget) -> str:
    """What an Input or a TextArea holds, or the value chosen in a Select ("" for none)."""
    if isinstance(widget, Select):
        return widget.value if isinstance(widget.value, str) else ""
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Input)
    return widget.value


def put_input_value(widget: Widget, value: str) -> None:
    """Show `value` in an Input, a TextArea or a Select."""
    if isinstance(widget, TextArea):
        widget.load_text(value)
    else:
        assert isinstance(widget, Input | Select)
        widget.value = value


def form_inputs(screen: Screen[Any]) -> list[Widget]:
    """The inputs of a screen's FormFields, in order."""
    return [field.query_one("#input") for field in screen.query(FormField)]


def compact(widget: W, reactive: Reactive[bool]) -> W:
    """`widget` in Textual's compact style (no frame), as `compact=True` would make it, but
    without styling it on the spot: that reactive's class, set as the widget is made, styles
    the widget detached, all of its rules (≈ 1 ms of each field of a form, eleven on the
    card), and it is styled again as it mounts. Here the class is set with no update."""
    widget.set_reactive(reactive, True)
    widget.add_class("-textual-compact", update=False)
    return widget


class FormField(Vertical):
    """`check` raises FieldInvalid for a wrong value; the form itself never judges values."""

    DEFAULT_CSS = """
    FormField { height: auto; layout: grid; grid-size: 2; grid-columns: 22 1fr; }
    FormField > Label { color: $text-muted; }
    FormField > .field-error { color: $error; height: auto; display: none; column-span: 2; }
    FormField.-invalid > .field-error { display: block; }
    FormField.-invalid > Input { color: $error; }
    FormField > TextArea { height: 4; }
    /* A grid of auto height sizes its rows to one line: the text box's row is set here, or
       the box draws as a single blank row with nowhere to see one's text. */
    FormField.-multiline { grid-rows: 4 auto; }
    /* A list drawn bare reads as the form's text («Дата рождения   мужской»): framed, with
       its label on the line of its value. */
    FormField > Select.-textual-compact > SelectCurrent {
        border: round $border-blurred !important;
    }
    FormField > Select.-textual-compact:focus > SelectCurrent { border: round $border !important; }
    /* The open list too: drawn over the form, a frame of characters (not of shaded half
       blocks, lost to a 16-colour terminal) keeps it apart from the fields under it. */
    FormField > Select > SelectOverlay.-textual-compact { border: round $border !important; }
    FormField.-choice > Label { padding-top: 1; }
    """

    def __init__(
        self,
        name: str,
        label: str,
        value: str,
        check: Checker,
        *,
        choices: Sequence[Choice] | None = None,
        empty_text: str = "— список пуст —",
        password: bool = False,
        required: bool = False,
        multiline: bool = False,
    ) -> None:
        kind = "-choice" if choices is not None else "-multiline" if multiline else ""
        super().__init__(id=f"field-{name}", classes=kind)
        self.field_name = name
        self.label = label + (" *" if required else "")
        self.initial = value
        self.check = check
        self.options = (
            None if choices is None else [c if isinstance(c, tuple) else (c, c) for c in choices]
        )
        self.choices = None if self.options is None else [value for _, value in self.options]
        # What a list with nothing to choose from says instead of «выберите».
        self.empty_text = empty_text
        self.password = password
        # Long free text (a comment): several lines, wrapped, instead of one line scrolling.
        self.multiline = multiline
        # What the error line under the field says.
        self.error_text = ""

    def compose(self) -> ComposeResult:
        self._label = Label(Text(self.label))
        yield self._label
        if self.options is not None and self.choices is not None:
            options = [(Text(shown), value) for shown, value in self.options]
            chosen = self.initial in self.choices
            select = Select(
                options,
                # A blank entry only while nothing is chosen: a set value can't be lost to it.
                allow_blank=not chosen,
                value=self.initial if chosen else Select.NULL,
                prompt="— выберите —" if options else self.empty_text,
                id="input",
            )
            yield compact(select, Select.compact)
        elif self.multiline:
            yield compact(TextArea(self.initial, id="input", soft_wrap=True), TextArea.compact)
        else:
            # validate_on=(): the field checks its value itself (check). Textual's validation,
            # without validators, only sets a class nothing styles, and setting it as the
            # Input is made styled the Input, detached, on the spot.
            line = Input(self.initial, password=self.password, id="input", validate_on=())
            yield compact(line, Input.compact)
        yield Static("", classes="field-error", markup=False)

    def focus_input(self) -> None:
        # Screen.set_focus moves the focus now; Widget.focus() only schedules it, and a Tab
        # handled before that schedule runs would be undone by it.
        self.screen.set_focus(self.query_one("#input"))

    @property
    def value(self) -> str:
        return input_value(self.query_one("#input"))

    @property
    def dirty(self) -> bool:
        return self.value != self.initial

    def reset(self, value: str) -> None:
        """Show `value` as the saved state: the field is clean again."""
        self.initial = value
        widget = self.query_one("#input")
        if isinstance(widget, Select) and value not in (self.choices or ()):
            widget.value = Select.NULL
        else:
            put_input_value(widget, value)
        self.show_error("")

    def show_error(self, text: str) -> None:
        if text != self.error_text:
            # Only when it changes: each key typed is checked, and an update lays out the
            # whole screen again (the line may appear or go).
            self.error_text = text
            self.query_one(".field-error", Static).update(text)
        self.set_class(bool(text), "-invalid")

    def validate_now(self) -> bool:
        try:
            self.check(self.value)
        except FieldInvalid as exc:
            self.show_error(exc.user_message)
            return False
        self.show_error("")
        return True

    # Which field has the focus, by its label: a class, not :focus-within, which Textual
    # does not take back from the label when the focus moves to another field. On the label,
    # not the field: a class on the field styles the field and all it holds again.
    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._label.add_class("-focused")

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        self._label.remove_class("-focused")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.validate_now()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.validate_now()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.validate_now()

"""Аккредитация → Отчёт о профессиональной деятельности: the facts, a multi-line editor per
block with its character count, a preview, and the PDF/DOCX/attach actions.

Typing autosaves: edits collect for a moment and are written by a thread worker, never on
the UI thread. A reload (the daemon's commit, the portfolio changing) only replaces what
the person has not touched since it was last saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    ContentSwitcher,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from frmr.model.report.blocks import BLOCKS, FACTS, MAX_BLOCK_CHARS, SIGNER_FIELDS
from frmr.model.report.variant import ReportVariant
from frmr.model.rules.errors import FrmrError
from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.field import input_value, put_input_value

if TYPE_CHECKING:
    from frmr.model.report.view import ReportView

# How long typing pauses before the edits are written.
AUTOSAVE_SECONDS = 0.8
FACTS_PANE = "facts"
PREVIEW_PANE = "preview"


@dataclass
class ReportLoaded(Message):
    view: ReportView
    preview: str
    applications: list[tuple[str, str]]


@dataclass
class ReportSaved(Message):
    view: ReportView
    preview: str
    sent: dict[str, str]


@dataclass
class ReportSaveFailed(Message):
    error: FrmrError


@dataclass
class ReportProduced(Message):
    text: str


def _preview(view: ReportView) -> str:
    from frmr.model.report.document import build_document

    return build_document(view).plain_text()


def _count(name: str, text: str) -> Text:
    over = len(text) > MAX_BLOCK_CHARS
    return Text(
        f"{len(text)} из {MAX_BLOCK_CHARS} символов",
        style="bold red" if over else "dim",
    )


class ReportScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "produce", "PDF/DOCX", id="report.produce"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[str, str] = {}
        # The value of each field as last read from or written to the store.
        self.saved: dict[str, str] = {}
        self.applications: list[tuple[str, str]] = []
        self._timer: Any = None

    def body(self) -> ComposeResult:
        yield Label(
            Text("Аккредитация → Отчёт о профессиональной деятельности"), classes="screen-title"
        )
        with Horizontal(id="report-box"):
            options = [Option("Сведения и подпись", id=FACTS_PANE)]
            options += [Option(b.short, id=b.name) for b in BLOCKS]
            options.append(Option("Предпросмотр", id=PREVIEW_PANE))
            yield OptionList(*options, id="report-sections")
            with ContentSwitcher(initial=FACTS_PANE, id="report-panes"):
                with VerticalScroll(id=FACTS_PANE):
                    for fact in FACTS:
                        yield Label(Text(fact.label), classes="report-label")
                        yield Input(id=f"in-{fact.name}", placeholder="из портфолио")
                    yield Label(Text("Согласование отчёта"), classes="report-label")
                    yield Select(
                        [(v.label, v.value) for v in ReportVariant],
                        id="in-variant",
                        allow_blank=False,
                        value=ReportVariant.AGREED.value,
                    )
                    for name, label in SIGNER_FIELDS.items():
                        yield Label(Text(label), classes="report-label")
                        yield Input(id=f"in-{name}")
                for block in BLOCKS:
                    with Vertical(id=block.name, classes="report-block"):
                        yield Label(Text(block.title), classes="section-title")
                        yield Static(Text(block.hint, style="dim"), classes="report-hint")
                        yield TextArea(id=f"in-{block.name}", soft_wrap=True)
                        yield Static("", id=f"count-{block.name}", classes="report-count")
                with VerticalScroll(id=PREVIEW_PANE):
                    yield Static("", id="preview-text", markup=False)
        yield Static("", id="report-status", markup=False)

    # --- loading -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="report-load", exit_on_error=False)
    def load(self) -> None:
        from frmr.model.applications.lifecycle import list_applications
        from frmr.model.report.record import load_report

        account = self.account
        view = load_report(account, self.frmr.today())
        applications = [
            (
                f"{a.app.number or a.app.id[:8]} · {a.app.specialty_name} · {a.app.status.label}",
                a.app.id,
            )
            for a in list_applications(account)
            if a.app.status.takes_files
        ]
        self.post_message(ReportLoaded(view, _preview(view), applications))

    def _widget_value(self, name: str) -> str:
        return input_value(self.query_one(f"#in-{name}"))

    def _show_value(self, name: str, value: str) -> None:
        widget = self.query_one(f"#in-{name}")
        with self.prevent(TextArea.Changed, Input.Changed, Select.Changed):
            put_input_value(widget, value)
        if isinstance(widget, TextArea):
            self._show_count(name, value)

    def _show_count(self, name: str, text: str) -> None:
        self.query_one(f"#count-{name}", Static).update(_count(name, text))
        option_list = self.query_one("#report-sections", OptionList)
        short = next(b.short for b in BLOCKS if b.name == name)
        option_list.replace_option_prompt(name, f"{short} ({len(text)})")

    @staticmethod
    def _same(shown: str, stored: str) -> bool:
        """The store keeps text trimmed: what differs only in spacing is the same text, and
        is not put back (that would move the cursor under the person's fingers)."""
        return " ".join(shown.split()) == " ".join(stored.split())

    def _adopt(self, view: ReportView) -> None:
        """Show the stored values of fields the person has not touched since the last save."""
        fields = [f.name for f in FACTS] + [b.name for b in BLOCKS] + ["variant", *SIGNER_FIELDS]
        for name in fields:
            stored = view.value(name)
            shown = self._widget_value(name)
            untouched = name not in self.pending and (
                name not in self.saved or self._same(shown, self.saved[name])
            )
            if untouched and not self._same(shown, stored):
                self._show_value(name, stored)
            self.saved[name] = stored
        self.query_one("#preview-text", Static).update(Text(self._preview_text))

    _preview_text = ""

    def on_report_loaded(self, message: ReportLoaded) -> None:
        self.applications = message.applications
        self._preview_text = message.preview
        self._adopt(message.view)

    # --- autosave ------------------------------------------------------------------------

    def _edited(self, name: str, value: str) -> None:
        # Before the first load the widgets hold nothing of the person's: a Changed from
        # mounting them is not an edit (saving it would un-edit every fact).
        if name not in self.saved:
            return
        if self.saved[name] == value and name not in self.pending:
            return
        self.pending[name] = value
        self.query_one("#report-status", Static).update("Изменения сохраняются…")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_SECONDS, self.flush)

    @on(TextArea.Changed)
    def text_changed(self, event: TextArea.Changed) -> None:
        name = (event.text_area.id or "").removeprefix("in-")
        self._show_count(name, event.text_area.text)
        self._edited(name, event.text_area.text)

    @on(Input.Changed)
    def input_changed(self, event: Input.Changed) -> None:
        self._edited((event.input.id or "").removeprefix("in-"), event.value)

    @on(Select.Changed)
    def select_changed(self, event: Select.Changed) -> None:
        self._edited("variant", str(event.value))

    def flush(self) -> dict[str, str]:
        """Hand the collected edits to a save worker; returns what was handed over."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        sent, self.pending = self.pending, {}
        if sent:
            self.save(sent)
        return sent

    @work(thread=True, group="report-save", exit_on_error=False)
    def save(self, values: dict[str, str]) -> None:
        from frmr.model.report.record import update_report

        account = self.account
        try:
            view = update_report(account, values, self.frmr.today())
        except FrmrError as exc:
            self.post_message(ReportSaveFailed(exc))
            return
        self.post_message(ReportSaved(view, _preview(view), values))

    def on_report_saved(self, message: ReportSaved) -> None:
        self._preview_text = message.preview
        # What was sent and not typed over since is replaced by what the store made of it.
        for name, sent in message.sent.items():
            stored = message.view.value(name)
            # An emptied fact comes back pre-filled from the portfolio.
            if (
                name not in self.pending
                and self._widget_value(name) == sent
                and not self._same(sent, stored)
            ):
                self._show_value(name, stored)
            self.saved[name] = stored
        self.query_one("#preview-text", Static).update(Text(self._preview_text))
        self.query_one("#report-status", Static).update("Сохранено")

    def on_report_save_failed(self, message: ReportSaveFailed) -> None:
        text = message.error.user_text()
        self.query_one("#report-status", Static).update(f"Не сохранено: {text}")
        self.notify(text, title="Отчёт не сохранён", severity="error", markup=False)

    def unsaved_question(self) -> str | None:
        self.flush()
        return None

    # --- navigation and output -----------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#report-sections")
    def section_chosen(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#report-panes", ContentSwitcher).current = event.option.id

    def action_produce(self) -> None:
        def chosen(choice: tuple[str, str | None] | None) -> None:
            if choice is not None:
                self.produce(choice[0], choice[1], self.flush())

        self.app.push_screen(ReportOutputModal(self.applications), chosen)

    @work(thread=True, group="report-produce", exit_on_error=False)
    def produce(self, kind: str, application: str | None, unsaved: dict[str, str]) -> None:
        from frmr.model.report.output import (
            attach_report,
            produce_docx,
            produce_pdf,
            reports_folder,
        )
        from frmr.model.report.record import update_report

        account = self.account
        today = self.frmr.today()
        try:
            if unsaved:
                update_report(account, unsaved, today)
            if kind == "attach" and application is not None:
                document = attach_report(account, application, today)
                text = f"Отчёт приложен к заявлению: {document.file_name}"
            elif kind == "docx":
                text = (
                    f"DOCX сохранён: {produce_docx(account, reports_folder(account), today).path}"
                )
            else:
                text = f"PDF сохранён: {produce_pdf(account, reports_folder(account), today).path}"
        except FrmrError as exc:
            self.post_message(ReportSaveFailed(exc))
            return
        self.post_message(ReportProduced(text))

    def on_report_produced(self, message: ReportProduced) -> None:
        self.query_one("#report-status", Static).update(message.text)
        self.notify(message.text, markup=False)


class ReportOutputModal(ModalScreen[tuple[str, str | None] | None]):
    """PDF, DOCX, or the PDF attached to a chosen application."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Закрыть", id="report-output.close"),
        Binding("p", "choose('pdf')", "PDF", id="report-output.pdf"),
        Binding("d", "choose('docx')", "DOCX", id="report-output.docx"),
        Binding("a", "choose('attach')", "Приложить", id="report-output.attach"),
    ]

    def __init__(self, applications: list[tuple[str, str]]) -> None:
        super().__init__()
        self.applications = applications

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Отчёт о профессиональной деятельности"), classes="dialog-title")
            yield Button("PDF для печати и подписи (p)", id="pdf", variant="primary")
            yield Button("DOCX для отдела кадров (d)", id="docx")
            if self.applications:
                yield Select(
                    self.applications,
                    id="application",
                    allow_blank=False,
                    value=self.applications[0][1],
                )
                yield Button("Приложить PDF к заявлению (a)", id="attach")
            else:
                yield Static(Text("Нет заявлений, к которым можно приложить отчёт", style="dim"))
            yield Button("Закрыть (Esc)", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "close":
            self.dismiss(None)
        else:
            self.action_choose(event.button.id or "pdf")

    def action_choose(self, kind: str) -> None:
        if kind == "attach":
            if not self.applications:
                return
            self.dismiss((kind, str(self.query_one("#application", Select).value)))
            return
        self.dismiss((kind, None))

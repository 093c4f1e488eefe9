"""«Сжать и объединить» on an application's attachments, and the ready set for the portal.

Packing takes seconds, so it runs in a thread worker: the preview packs the selected files
for real (sizes and page counts shown are those of the file that would be attached), and
«Применить» attaches exactly that file. The originals stay in the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList, Static

from frmr.model.rules.errors import FrmrError
from frmr.model.rules.limits import MAX_TOTAL_BYTES, format_size

if TYPE_CHECKING:
    from frmr.model.documents.pack_actions import PackedFile
    from frmr.model.store.account import Account
    from frmr.model.store.reads.applications import ApplicationView
    from frmr.model.store.settings import Settings


@dataclass
class PackPreviewed(Message):
    packed: PackedFile | None
    error: FrmrError | None


@dataclass
class PackApplied(Message):
    file_name: str | None
    error: FrmrError | None


class PackScreen(ModalScreen[str | None]):
    """Pick attachments, see what packing them gives, then attach the result in their place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Закрыть", id="pack.close"),
        Binding("v", "preview", "Предпросмотр", id="pack.preview"),
    ]

    def __init__(self, account: Account, settings: Settings, view: ApplicationView) -> None:
        super().__init__()
        self.account = account
        self.settings = settings
        self.view = view
        self.packed: PackedFile | None = None
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        title = self.view.app.number or self.view.app.specialty_name
        with Vertical(classes="dialog wide"):
            yield Label(Text(f"Сжать и объединить — заявление {title}"), classes="dialog-title")
            yield SelectionList[str](
                *(
                    (Text(f"{d.file_name} — {format_size(d.size)}"), d.id)
                    for d in self.view.documents
                ),
                id="pack-files",
            )
            yield Static(
                Text("Отметьте файлы (пробел) и нажмите «Предпросмотр»"), id="pack-preview"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Предпросмотр", id="pack-preview-button")
                yield Button("Применить", id="pack-apply", variant="primary", disabled=True)
                yield Button("Закрыть", id="pack-close")

    @on(SelectionList.SelectedChanged)
    def selection_changed(self) -> None:
        # A preview of another selection must not be applied.
        self.packed = None
        self.query_one("#pack-apply", Button).disabled = True

    @on(Button.Pressed, "#pack-preview-button")
    def action_preview(self) -> None:
        chosen = list(self.query_one("#pack-files", SelectionList).selected)
        if not chosen:
            self.notify("Отметьте хотя бы один файл", markup=False)
            return
        self.selected = chosen
        self.query_one("#pack-preview", Static).update(Text("Сжимаю…"))
        self.preview(chosen)

    @work(thread=True, exclusive=True, group="pack", exit_on_error=False)
    def preview(self, chosen: list[str]) -> None:
        from frmr.model.documents.pack_actions import pack_inputs
        from frmr.model.documents.packing import PackInput
        from frmr.model.profile.card import get_person

        documents = [d for d in self.view.documents if d.id in chosen]
        others = sum(d.size for d in self.view.documents if d.id not in chosen)
        blobs = self.account.store.blobs
        try:
            packed = pack_inputs(
                [PackInput(d.file_name, blobs.path_for(d.sha256).read_bytes()) for d in documents],
                budget=MAX_TOTAL_BYTES - others,
                person=get_person(self.account),
                template=self.settings.pack_name_template,
                profile=self.settings.pack_profile,
                title=_title(documents),
            )
        except FrmrError as error:
            self.post_message(PackPreviewed(None, error))
            return
        self.post_message(PackPreviewed(packed, None))

    def on_pack_previewed(self, message: PackPreviewed) -> None:
        box = self.query_one("#pack-preview", Static)
        if message.error is not None or message.packed is None:
            box.update(Text(message.error.user_text() if message.error else ""))
            return
        self.packed = message.packed
        result = message.packed.result
        box.update(
            Text(
                f"Будет приложен «{message.packed.name}»: {result.pages} л., "
                f"{format_size(result.size_after)} вместо {len(self.selected)} файл(ов) "
                f"на {format_size(result.size_before)}.\n{result.summary()}"
            )
        )
        self.query_one("#pack-apply", Button).disabled = False

    @on(Button.Pressed, "#pack-apply")
    def apply_pressed(self) -> None:
        if self.packed is not None:
            self.apply(self.packed, list(self.selected))

    @work(thread=True, exclusive=True, group="pack", exit_on_error=False)
    def apply(self, packed: PackedFile, replaces: list[str]) -> None:
        from frmr.model.documents.pack_actions import attach_packed
        from frmr.model.rules.statuses import Actor

        documents = [d for d in self.view.documents if d.id in replaces]
        try:
            document = attach_packed(
                self.account,
                self.view.app.id,
                packed,
                title=_title(documents),
                replaces=replaces,
                actor=Actor.WORKER,
            )
        except FrmrError as error:
            self.post_message(PackApplied(None, error))
            return
        self.post_message(PackApplied(document.file_name if document else None, None))

    def on_pack_applied(self, message: PackApplied) -> None:
        if message.error is not None:
            self.notify(message.error.user_text(), severity="error", markup=False)
            return
        self.dismiss(message.file_name)

    @on(Button.Pressed, "#pack-close")
    def close_pressed(self) -> None:
        self.dismiss(None)


def _title(documents: list[Any]) -> str:
    from frmr.model.documents.pack_actions import default_title

    return default_title([d.file_name for d in documents])


@dataclass
class PortalPackageWritten(Message):
    folder: str
    sheet: str


def package_body(folder: str, sheet: str) -> Text:
    """What the screen shows after writing the set: where it is, then ПОДАЧА.txt."""
    text = Text()
    text.append(f"Папка для подачи: {folder}\n\n", style="bold")
    text.append(sheet)
    return text

"""Документы: the library, each application's attachments against the limits, refused files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Label, Static
from textual.widgets.data_table import ColumnKey

from frmr.model.rules.dates import format_date
from frmr.model.rules.limits import LIMITS_SHORT, MAX_FILES, MAX_TOTAL_BYTES, format_size
from frmr.tui.messages import ActionSucceeded
from frmr.tui.screens.base import AccountScreen
from frmr.tui.screens.dialogs import AskScreen
from frmr.tui.widgets.bar import bar

if TYPE_CHECKING:
    from frmr.model.store.reads.applications import ApplicationView
    from frmr.model.store.reads.documents import LibraryDocument
    from frmr.model.store.reads.intake import RefusedFile

QUOTA_BAR = 5
# The newest refusals are what the worker acts on; the rest are in `frmr documents rejected`.
REFUSALS_SHOWN = 200
# A library file name keeps at least this many cells, however narrow the screen.
NAME_MIN = 8


@dataclass
class DocumentsLoaded(Message):
    documents: list[LibraryDocument]
    applications: list[ApplicationView]
    rejected: list[RefusedFile]
    folder: str


def quota_line(view: ApplicationView) -> Text:
    count, total = len(view.documents), view.total_bytes
    text = Text()
    text.append(f"{view.app.number or view.app.id[:8]} ", style="bold")
    text.append(f"{view.app.status.label}: файлы {count}/{MAX_FILES} ")
    text.append_text(bar(count, MAX_FILES, width=QUOTA_BAR))
    text.append(f" {format_size(total)}/{format_size(MAX_TOTAL_BYTES)} ")
    text.append_text(bar(total, MAX_TOTAL_BYTES, width=QUOTA_BAR))
    return text


class DocumentsScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "import_file", "Импорт файла", id="docs.import"),
    ]

    def body(self) -> ComposeResult:
        yield Label(Text("Документы"), classes="screen-title")
        with VerticalScroll(id="documents-box"):
            yield Static("", id="drop-folder", markup=False)
            yield Label(Text("Библиотека"), classes="section-title")
            library: DataTable[Text] = DataTable(id="library", cursor_type="row")
            library.add_column("Файл", key="name")
            library.add_columns("Вид", "Размер", "Добавлен")
            yield library
            yield Label(Text(f"Файлы заявлений ({LIMITS_SHORT})"), classes="section-title")
            yield Static("", id="quotas")
            yield Label(Text("Не принятые файлы"), classes="section-title")
            rejected: DataTable[Text] = DataTable(id="rejected", cursor_type="row")
            # «Когда» and the file first, the reason last and wrapped: at 80 columns a long
            # reason used to push «Когда» off the screen and was cut itself.
            rejected.add_column("Когда")
            rejected.add_column("Файл")
            rejected.add_column("Причина", key="reason")
            yield rejected

    shown: DocumentsLoaded | None = None

    def on_resize(self) -> None:
        if self.shown is not None:
            self.on_documents_loaded(self.shown)

    @work(thread=True, exclusive=True, group="load-documents", exit_on_error=False)
    def load(self) -> None:
        from frmr.model.applications.lifecycle import list_applications
        from frmr.model.documents.library import list_documents
        from frmr.model.documents.rejected import rejected_files

        account = self.account
        views = [v for v in list_applications(account) if v.app.status.is_editable or v.documents]
        self.post_message(
            DocumentsLoaded(
                list_documents(account),
                views,
                rejected_files(account, limit=REFUSALS_SHOWN),
                str(account.documents_dir),
            )
        )

    def on_documents_loaded(self, message: DocumentsLoaded) -> None:
        status = self.frmr.daemon_status
        folder = Text("Положите файлы в папку: ")
        folder.append(message.folder, style="bold")
        if status is not None and status.pending_files:
            folder.append(f" · принимается файлов: {status.pending_files}")
        self.query_one("#drop-folder", Static).update(folder)
        self.shown = message
        library = self.query_one("#library", DataTable)
        library.clear()
        # A long name gives up cells before «Вид», «Размер» and «Добавлен» leave the screen.
        kinds = [d.kind.value.upper() for d in message.documents]
        sizes = [format_size(d.size) for d in message.documents]
        fixed = sum(
            max(cell_len(label), *(cell_len(c) for c in column), 0) + 2 * library.cell_padding
            for label, column in (("Вид", kinds), ("Размер", sizes), ("Добавлен", ["00.00.0000"]))
        )
        longest = max((cell_len(d.file_name) for d in message.documents), default=4)
        room = library.scrollable_content_region.width - fixed - 2 * library.cell_padding
        name = library.columns[ColumnKey("name")]
        name.auto_width = False
        name.width = max(NAME_MIN, min(longest, room))
        for d in message.documents:
            library.add_row(
                Text(d.file_name, no_wrap=True, overflow="ellipsis"),
                Text(d.kind.value.upper()),
                Text(format_size(d.size)),
                Text(format_date(d.imported_at.astimezone().date())),
            )
        quotas = Text("\n").join(quota_line(v) for v in message.applications)
        self.query_one("#quotas", Static).update(quotas or Text("Заявлений с файлами нет"))
        rejected = self.query_one("#rejected", DataTable)
        rejected.clear()
        # The reason gets what the other two columns leave (cell padding: 2 each side).
        when_width, name_width = (
            11,
            min(24, max((len(r.file_name) for r in message.rejected), default=4)),
        )
        reason_width = max(20, rejected.size.width - when_width - name_width - 8)
        rejected.columns[ColumnKey("reason")].width = reason_width
        rejected.columns[ColumnKey("reason")].auto_width = False
        for r in message.rejected:
            rejected.add_row(
                Text(f"{r.at.astimezone():%d.%m %H:%M}"),
                Text(r.file_name, overflow="fold"),
                Text(r.reason),
                height=None,
            )

    def action_import_file(self) -> None:
        from frmr.model.documents.library import import_file

        def answered(path: str | None) -> None:
            if path:
                target = Path(path).expanduser()
                self.run_model_action("import", lambda: import_file(self.account, target))

        self.app.push_screen(AskScreen("Путь к файлу (PDF, JPEG, PNG):", "~/scan.pdf"), answered)

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        if message.action == "import":
            name = message.result.document.file_name
            self.notify(f"Файл «{name}» в библиотеке", markup=False)

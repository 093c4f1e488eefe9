"""Портфолио → «Предложено из документов»: the courses read from dropped documents, waiting
for the doctor. Enter opens one to check each field against the document and confirm it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from frmr.model.rules.text import printable
from frmr.tui.widgets.collection import CollectionHost

if TYPE_CHECKING:
    from frmr.model.portfolio.proposal_view import Proposal

HINT = (
    "Предложено из документов: сканы удостоверений о ПК и сертификатов НМО, "
    "положенные в папку документов, читаются на этом компьютере. Курс войдёт "
    "в портфолио и в часы только после подтверждения (Enter)."
)
EMPTY = "Предложений нет."
# At 80 columns the document and the theme share what the hours and the date leave.
NAME_WIDTH = 24
THEME_WIDTH = 28


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell(proposal: Proposal, *names: str) -> str:
    for name in names:
        field = proposal.field(name)
        if field is not None and field.value is not None:
            return field.shown
    return "—"


@dataclass
class ProposalsLoaded(Message):
    proposals: list[Proposal]


class ProposalsPane(Vertical):
    DEFAULT_CSS = """
    ProposalsPane { height: 1fr; }
    ProposalsPane > DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Проверить", id="proposals.open"),
    ]

    def __init__(self) -> None:
        super().__init__(id="proposals")
        self.proposals: dict[str, Proposal] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(HINT), classes="summary", id="proposals-hint")
        table: DataTable[str] = DataTable(id="proposals-table", cursor_type="row")
        table.add_columns("Документ", "Тема", "Часов", "Окончание")
        yield table

    def on_mount(self) -> None:
        host = self.screen
        if isinstance(host, CollectionHost) and not host.stale:
            # Made after the screen's reads began (a LazyPane's): its load did not see it.
            self.reload()

    @work(thread=True, exclusive=True, group="proposals", exit_on_error=False)
    def reload(self) -> None:
        """Read the proposals. The screen's load starts it, once the account is open (the
        store migrated), or the pane's mount when it is made after that: never both, nor
        the form's closing, each of which would read them a second time."""
        from frmr.model.store.reads import read_store
        from frmr.model.store.reads.proposals import read_proposals

        settings = self.app.settings  # type: ignore[attr-defined]
        with read_store(settings.layout) as read:
            self.post_message(ProposalsLoaded(read_proposals(read.conn)))

    def on_proposals_loaded(self, message: ProposalsLoaded) -> None:
        table = self.query_one("#proposals-table", DataTable)
        table.clear()
        self.proposals = {p.id: p for p in message.proposals}
        for p in message.proposals:
            kind = "НМО" if p.doc_type == "nmo" else "ПК"
            table.add_row(
                Text(_cut(f"{kind} «{printable(p.file_name)}»", NAME_WIDTH)),
                Text(_cut(printable(_cell(p, "programme")), THEME_WIDTH)),
                _cell(p, "hours", "zet"),
                _cell(p, "date_to", "date"),
                key=p.id,
            )
        hint = HINT if message.proposals else f"{HINT} {EMPTY}"
        self.query_one("#proposals-hint", Static).update(Text(hint))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one("#proposals-table", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self._open(key.value)

    def _open(self, proposal_id: Any) -> None:
        from frmr.tui.screens.proposal_form import ProposalForm

        proposal = self.proposals.get(str(proposal_id))
        if proposal is not None:
            # What the form saves reloads the screen beneath it (StoreChanged), and so this.
            self.app.push_screen(ProposalForm(proposal))

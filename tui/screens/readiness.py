"""«Готовность»: per specialty, the verdict, the document's expiry, the submission window,
the expected decision, the hours against the rule, the position against the specialty, and
what to do about each finding — with the two fixes that live here: tagging a file with the
checklist item it covers (T), and ending the report's period on the dismissal day (E)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from frmr.tui.messages import ActionSucceeded
from frmr.tui.screens.base import AccountScreen
from frmr.tui.screens.dialogs import MenuScreen
from frmr.tui.widgets.bar import bar

if TYPE_CHECKING:
    from frmr.model.readiness.evaluate import Readiness
    from frmr.model.readiness.from_store import TaggableDocument
    from frmr.model.readiness.positions import PositionCheck

BAR_WIDTH = 16


@dataclass
class ReadinessLoaded(Message):
    results: list[Readiness]


@dataclass
class DocumentsListed(Message):
    documents: list[TaggableDocument]


# Menu ids are the item ids; this one gives the file back to the guess from its name.
BY_NAME = "-"


def _d(value: object) -> str:
    from frmr.model.rules.dates import format_date

    return format_date(value) if value is not None else "—"  # type: ignore[arg-type]


def _hours_line(label: str, have: int, need: int, missing: int, covered: int = 0) -> Text:
    line = Text(f"  {label:<7}")
    line.append_text(bar(have, need, width=BAR_WIDTH, over_style="bold"))
    line.append(f" {have}/{need} ч")
    if missing:
        line.append(f"  не хватает {missing}", style="bold")
    if covered:
        line.append(f"  ({covered} ч покрыты ДПП ПК сверх минимума)", style="dim")
    return line


def _position_line(check: PositionCheck) -> Text:
    line = Text("\n  Должность: ")
    line.append(", ".join(check.held) if check.held else "нет в отчётном периоде")
    if check.allowed is None:
        line.append(" — не сверяется: для специальности нет списка должностей", style="dim")
    elif check.matches:
        line.append(f" — стаж по специальности {check.days} дн.", style="green")
    else:
        line.append(" — стажа по специальности нет", style="bold red")
    if check.allowed is not None and not check.verified:
        from frmr.model.readiness.positions import UNVERIFIED_NOTE

        line.append(f"\n    ({UNVERIFIED_NOTE})", style="dim")
    return line


# The verdict's colour: one look tells «Готово» from «с оговорками» from «Не готово».
VERDICT_STYLES = {
    "ready": "bold green",
    "ready_with_caveats": "bold yellow",
    "not_ready": "bold red",
}


def render(r: Readiness) -> Text:
    """One specialty's card, as plain Rich text (stored names are never parsed as markup)."""
    text = Text()
    from frmr.model.portfolio.reporting_period import SpecialtyPeriod
    from frmr.model.readiness.cycle import WindowState

    text.append(f"{r.specialty}", style="bold")
    text.append(f" — {r.route.label}: ")
    text.append(r.verdict.label.upper(), style=VERDICT_STYLES[r.verdict.value])
    c = r.cycle
    expired = c is not None and c.state is WindowState.CLOSED
    if r.document is not None:
        text.append(f"\n  {r.document.label.capitalize()} от {_d(r.document.pass_date)}")
        if c is not None:
            text.append(f", {'истёк' if expired else 'действует до'} {_d(c.expires)}")
    if r.break_since is not None:
        text.append(f"\n  Перерыв в работе по специальности более пяти лет: с {_d(r.break_since)}")
    if c is not None and r.break_since is None:
        text.append(f"\n  Подача: {_d(c.opens)} – {_d(c.closes)}, окно {c.state.label}")
        if c.days_left >= 0:
            text.append(f" (осталось {c.days_left} дн.)")
        if not expired:
            text.append(f"\n  Подать {_d(c.submit_on)} → решение до {_d(c.decision_by)}")
            if c.preliminary:
                text.append(" (предварительно)")
    if r.period is not None:
        text.append(f"\n  Отчётный период {SpecialtyPeriod(r.specialty, r.period)}")
    if r.ledger is not None:
        led = r.ledger
        text.append("\n  Часы за отчётный период:\n")
        text.append_text(_hours_line("Всего", led.total, led.need_total, led.missing))
        text.append("\n")
        text.append_text(_hours_line("ДПП ПК", led.pk, led.need_pk, led.missing_pk))
        text.append("\n")
        covered = led.need_nmo - led.nmo_target
        text.append_text(_hours_line("НМО", led.nmo, led.nmo_target, led.missing_nmo, covered))
        for e in led.excluded:
            if e.rule == "specialty_match" and e.course.specialty:
                continue  # another specialty's course: it shows on that specialty's card
            text.append(f"\n  не учтено: «{e.course.theme}», {e.course.hours} ч — {e.reason}")
    if r.position is not None:
        text.append_text(_position_line(r.position))
    if r.checklist:
        text.append("\n  Документы: ")
        for line in r.checklist:
            # Only a scan the list of documents requires blocks; a missing optional one is
            # marked apart, so a red cross always means «Не готово».
            if line.covered:
                text.append("✓ ", style="green")
            elif line.required:
                text.append("✗ ", style="red")
            else:
                text.append("○ ", style="yellow")
            text.append(f"{line.item.short}  ")
    for f in r.findings:
        mark, style = ("✗", "bold red") if f.blocking else ("! оговорка:", "bold yellow")
        text.append(f"\n  {mark} ", style=style)
        text.append(f"{f.message}: {f.detail}")
        text.append(f"\n    Что сделать: {f.fix} (кто: {f.who.label})", style="dim")
    return text


# The marks a finding starts with: its wrapped lines go under its text, after the mark.
FINDING_MARKS = ("✗ ", "! оговорка: ")


def hanging(text: Text) -> Group:
    """The card with each line's wrap under its own text, not at the card's edge."""
    lines: list[RenderableType] = []
    for line in text.split("\n", allow_blank=True):
        plain = line.plain
        lead = len(plain) - len(plain.lstrip(" "))
        rest = line[lead:]
        mark = next((m for m in FINDING_MARKS if rest.plain.startswith(m)), None)
        if mark is None:
            lines.append(Padding(rest, (0, 0, 0, lead)))
            continue
        grid = Table.grid()
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(rest[: len(mark)], rest[len(mark) :])
        lines.append(Padding(grid, (0, 0, 0, lead)))
    return Group(*lines)


class ReadinessCard(Static):
    """One specialty's card: `text` as written, drawn with its wraps indented."""

    def __init__(self, text: Text, *, id: str) -> None:
        super().__init__(hanging(text), classes="readiness-card", id=id)
        self.text = text


class ReadinessScreen(AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t,е", "tag", "Отметить файл", id="readiness.tag"),
        Binding("e,у", "dismissal", "Дата увольнения", id="readiness.dismissal"),
    ]
    # Offered only while a verdict asks for it: a worker at work has no dismissal to set.
    needs_dismissal = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.needs_dismissal if action == "dismissal" else True

    def body(self) -> ComposeResult:
        yield Label(Text("Аккредитация → Готовность"), classes="screen-title")
        yield VerticalScroll(Static(Text("Проверяю…"), id="readiness-empty"), id="readiness-list")

    @work(thread=True, exclusive=True, group="readiness", exit_on_error=False)
    def load(self) -> None:
        from frmr.model.readiness.from_store import readiness

        self.post_message(ReadinessLoaded(readiness(self.account, None, self.frmr.today())))

    async def on_readiness_loaded(self, message: ReadinessLoaded) -> None:
        self.needs_dismissal = any(
            f.code == "dismissal_period_end" for r in message.results for f in r.findings
        )
        self.refresh_bindings()
        holder = self.query_one("#readiness-list", VerticalScroll)
        await holder.remove_children()
        if not message.results:
            await holder.mount(
                Static(
                    Text(
                        "Нет ни одной специальности: внесите сертификат специалиста или "
                        "аккредитацию в «Портфолио» (F3)."
                    ),
                    id="readiness-empty",
                )
            )
            return
        await holder.mount_all(
            ReadinessCard(render(r), id=f"readiness-{i}") for i, r in enumerate(message.results)
        )

    def action_tag(self) -> None:
        self.list_documents()

    @work(thread=True, exclusive=True, group="readiness-documents", exit_on_error=False)
    def list_documents(self) -> None:
        from frmr.model.readiness.from_store import checklist_documents

        self.post_message(DocumentsListed(checklist_documents(self.account)))

    def on_documents_listed(self, message: DocumentsListed) -> None:
        from frmr.model.readiness.checklist import ITEMS

        shorts = {item.id: item.short for item in ITEMS}
        if not message.documents:
            self.notify("В библиотеке нет файлов: добавьте их в «Документах»", markup=False)
            return
        files = {d.id: d for d in message.documents}

        def item_label(d: TaggableDocument) -> str:
            if d.tag:
                return f"{shorts.get(d.tag, d.tag)} (отмечено)"
            return f"{shorts[d.guess]} (по имени)" if d.guess else "не определено"

        def file_chosen(doc_id: str | None) -> None:
            if doc_id is None:
                return
            doc = files[doc_id]
            items = [(i.id, i.label) for i in ITEMS]
            items.append((BY_NAME, "Определять по имени файла"))
            self.app.push_screen(
                MenuScreen(f"Что покрывает «{doc.file_name}»?", items),
                lambda item: self._tag(doc, item),
            )

        self.app.push_screen(
            MenuScreen(
                "Какой файл отметить?",
                [(d.id, f"{d.file_name} — {item_label(d)}") for d in message.documents],
            ),
            file_chosen,
        )

    def _tag(self, doc: TaggableDocument, item: str | None) -> None:
        from frmr.model.readiness.from_store import tag_document

        if item is None:
            return
        tag = None if item == BY_NAME else item
        self.run_model_action("tag", lambda: tag_document(self.account, doc.id, tag))

    def action_dismissal(self) -> None:
        from frmr.model.readiness.from_store import apply_dismissal_end

        today = self.frmr.today()
        self.run_model_action("dismissal", lambda: apply_dismissal_end(self.account, today))

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        from frmr.model.rules.dates import format_date

        if message.action == "tag":
            self.notify(f"Отмечено: «{message.result.file_name}»", markup=False)
        elif message.action == "dismissal":
            self.notify(
                f"Отчётный период в отчёте кончается {format_date(message.result)}, "
                "согласование отчёта: «Нет»",
                markup=False,
            )

"""«Готовность»: per specialty, the verdict, the document's expiry, the submission window,
the expected decision, the hours against the rule, and what to do about each finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.bar import bar

if TYPE_CHECKING:
    from frmr.model.readiness.evaluate import Readiness

BAR_WIDTH = 16


class ReadinessLoaded(Message):
    def __init__(self, results: list[Readiness]) -> None:
        super().__init__()
        self.results = results


def _d(value: object) -> str:
    from frmr.model.dates import format_date

    return format_date(value) if value is not None else "—"  # type: ignore[arg-type]


def _hours_line(label: str, have: int, need: int, missing: int) -> Text:
    line = Text(f"  {label:<7}")
    line.append_text(bar(have, need, width=BAR_WIDTH, over_style="bold"))
    line.append(f" {have}/{need} ч")
    if missing:
        line.append(f"  не хватает {missing}", style="bold")
    elif have < need:
        line.append("  покрыто ДПП ПК сверх минимума", style="dim")
    return line


def render(r: Readiness) -> Text:
    """One specialty's card, as plain Rich text (stored names are never parsed as markup)."""
    text = Text()
    verdict = ("ГОТОВО к подаче", "bold green") if r.ready else ("НЕ ГОТОВО", "bold red")
    text.append(f"{r.specialty}", style="bold")
    text.append(f" — {r.route.label}: ")
    text.append(verdict[0], style=verdict[1])
    c = r.cycle
    if r.document is not None:
        text.append(f"\n  {r.document.label.capitalize()} от {_d(r.document.pass_date)}")
        if c is not None:
            text.append(f", действует до {_d(c.expires)}")
    if c is not None:
        text.append(f"\n  Подача: {_d(c.opens)} – {_d(c.closes)}, окно {c.state.label}")
        if c.days_left >= 0:
            text.append(f" (осталось {c.days_left} дн.)")
        text.append(f"\n  Подать {_d(c.submit_on)} → решение до {_d(c.decision_by)}")
        if c.preliminary:
            text.append(" (предварительно)")
    if r.ledger is not None:
        led = r.ledger
        text.append(f"\n  Часы за период {r.period}:\n")
        text.append_text(_hours_line("Всего", led.total, led.need_total, led.missing))
        text.append("\n")
        text.append_text(_hours_line("ДПП ПК", led.pk, led.need_pk, led.missing_pk))
        text.append("\n")
        text.append_text(_hours_line("НМО", led.nmo, led.need_nmo, led.missing_nmo))
        for e in led.excluded:
            if e.rule == "specialty_match" and e.course.specialty:
                continue  # another specialty's course: it shows on that specialty's card
            text.append(f"\n  не учтено: «{e.course.theme}», {e.course.hours} ч — {e.reason}")
    if r.checklist:
        text.append("\n  Документы: ")
        for line in r.checklist:
            text.append("✓ " if line.covered else "✗ ", style="green" if line.covered else "red")
            text.append(f"{line.item.short}  ")
    for f in r.findings:
        mark, style = ("✗", "bold red") if f.blocking else ("!", "bold yellow")
        text.append(f"\n  {mark} ", style=style)
        text.append(f"{f.message}: {f.detail}")
        text.append(f"\n    Что сделать: {f.fix} (кто: {f.who.label})", style="dim")
    return text


class ReadinessScreen(AccountScreen):
    def body(self) -> ComposeResult:
        yield Label(Text("Аккредитация → Готовность"), classes="screen-title")
        yield VerticalScroll(Static(Text("Проверяю…"), id="readiness-empty"), id="readiness-list")

    def load(self) -> None:
        self.load_readiness()

    @work(thread=True, exclusive=True, group="readiness", exit_on_error=False)
    def load_readiness(self) -> None:
        from frmr.model.actions.readiness import readiness

        account = self.frmr.account
        assert account is not None
        self.post_message(ReadinessLoaded(readiness(account, None, self.frmr.today())))

    async def on_readiness_loaded(self, message: ReadinessLoaded) -> None:
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
            Static(render(r), classes="readiness-card", id=f"readiness-{i}")
            for i, r in enumerate(message.results)
        )

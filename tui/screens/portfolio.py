"""Аккредитация → Портфолио: the professional part (стаж, skills, the report), the educational
part (courses with the hours inside the reporting period) and the additional documents of
both parts (named items, each a file of the library)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Label, Static, TabbedContent, TabPane

from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.bar import bar
from frmr.tui.widgets.collection import CollectionHost, CollectionTable, compose_table
from frmr.tui.widgets.lazy_pane import LazyPane
from frmr.tui.widgets.proposals import ProposalsPane

if TYPE_CHECKING:
    from frmr.model.portfolio.summary import PortfolioSummary

PROFESSIONAL = (
    ("employment", "Опыт работы"),
    ("skills", "Навыки"),
)


# Short enough to keep the summary on two lines at 80 columns.
NO_SPECIALTY = "часы не посчитаны: специальность не известна"
# The portal's naming (mediator-med.ru), and where a file must be before it can be named here.
ADDITIONAL_HINT = (
    "Название — как в портале: «Смирнов А.В. трудовая книжка на 3 л.». "
    "Файл выбирается из библиотеки (Документы)."
)


class SummaryLoaded(Message):
    def __init__(self, summary: PortfolioSummary) -> None:
        super().__init__()
        self.summary = summary


class PortfolioScreen(CollectionHost, AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,к", "app.switch_mode('report')", "Отчёт", id="portfolio.report"),
        Binding("p,з", "proposals", "Предложено", id="portfolio.proposals"),
    ]

    # The last summary read: the hours' line is made with the tab that shows it (LazyPane).
    summary: PortfolioSummary | None = None

    def action_proposals(self) -> None:
        """Straight to the courses read from documents, the list focused for Enter."""
        tabs = self.query_one("#portfolio-tabs", TabbedContent)
        tabs.active = "proposed"
        pane = tabs.get_pane("proposed")
        assert isinstance(pane, LazyPane)
        pane.when_ready(lambda: self.set_focus(self.query_one("#proposals-table")))

    def body(self) -> ComposeResult:
        yield Label(Text("Аккредитация → Портфолио"), classes="screen-title")
        # The first tab is what F3 shows; the others are made when first shown.
        with TabbedContent(id="portfolio-tabs"):
            with TabPane("Профессиональная часть", id="professional"):
                yield Static("", id="seniority", classes="summary")
                with TabbedContent():
                    (first, title), *others = PROFESSIONAL
                    with TabPane(title):
                        yield CollectionTable(first)
                    for name, title in others:
                        yield LazyPane(title, partial(compose_table, name))
            yield LazyPane("Образовательная часть", self._educational, id="educational")
            yield LazyPane("Доп. документы", _additional, id="additional")
            yield LazyPane("Предложено", _proposed, id="proposed")

    def _educational(self) -> ComposeResult:
        hours = "" if self.summary is None else _hours(self.summary)
        yield Static(hours, id="hours", classes="summary")
        yield CollectionTable("courses")

    def load(self) -> None:
        for table in self.query(CollectionTable):
            table.reload()
        for proposals in self.query(ProposalsPane):
            proposals.reload()
        self.load_summary()

    @work(thread=True, exclusive=True, group="summary", exit_on_error=False)
    def load_summary(self) -> None:
        from frmr.model.portfolio.summary import portfolio_summary
        from frmr.model.readiness.rules import load_rules
        from frmr.model.store.reads import read_store

        settings = self.frmr.settings
        assert settings is not None  # set before the account opens
        rules = load_rules(pk_hours=settings.readiness_pk_hours, window=settings.readiness_window)
        with read_store(settings.layout) as read:
            summary = portfolio_summary(read.conn, rules, self.frmr.today())
        self.post_message(SummaryLoaded(summary))

    def on_summary_loaded(self, message: SummaryLoaded) -> None:
        s = self.summary = message.summary
        self.query_one("#seniority", Static).update(Text(f"Стаж: {s.seniority}"))
        for hours in self.query("#hours").results(Static):
            hours.update(_hours(s))


def _hours(s: PortfolioSummary) -> Text:
    hours = Text(f"Отчётный период {s.period}; ")
    if s.hours_in_period is None:
        hours.append(NO_SPECIALTY)
    else:
        # The hours Готовность counts for the period's specialty, not every course.
        hours.append(f"в зачёт: {s.hours_in_period} ч ")
        hours.append_text(bar(min(s.hours_in_period, s.hours_required), s.hours_required))
        hours.append(f" из {s.hours_required}")
    hours.append(f" (всего записано {s.hours_recorded} ч)")
    return hours


def _additional() -> ComposeResult:
    yield Static(ADDITIONAL_HINT, classes="summary", markup=False)
    yield CollectionTable("additional-documents")


def _proposed() -> ComposeResult:
    yield ProposalsPane()

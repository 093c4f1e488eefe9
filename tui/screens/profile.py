"""Профиль: «Карточка» (validated as typed, saved all-or-nothing), «Документы» and «Адреса»."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, TabbedContent, TabPane, Tabs

from frmr.tui.messages import ActionFailed, ActionSucceeded
from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.collection import CollectionHost, CollectionTable, compose_table
from frmr.tui.widgets.field import FIELD_STEP_BINDINGS, FormField, form_inputs, step_field
from frmr.tui.widgets.lazy_pane import LazyPane

if TYPE_CHECKING:
    from frmr.model.store.reads.card import Card

GENDERS = ["мужской", "женский"]
PROFILE_DOCUMENTS = (
    ("identity-documents", "Удостоверение личности"),
    ("education", "Образование"),
    ("certificates", "Сертификаты и аккредитации"),
)


def _documents() -> ComposeResult:
    (first, title), *others = PROFILE_DOCUMENTS
    with TabbedContent():
        with TabPane(title):
            yield CollectionTable(first)
        for name, title in others:
            yield LazyPane(title, partial(compose_table, name))


class PersonLoaded(Message):
    def __init__(self, person: Card, shown: dict[str, str]) -> None:
        super().__init__()
        self.person = person
        self.shown = shown


class ProfileScreen(CollectionHost, AccountScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "save", "Сохранить карточку", id="card.save"),
        Binding("ctrl+r", "revert", "Вернуть как было", id="card.revert"),
        *FIELD_STEP_BINDINGS,
    ]
    # The version of the card the fields were filled from: a save is checked against it.
    read_version: int | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "revert"):
            # The card's keys only on the card: Документы and Адреса have their own.
            return self.query_one("#profile-tabs", TabbedContent).active == "card"
        return super().check_action(action, parameters)

    def action_field_step(self, delta: int) -> None:
        step_field(self, form_inputs(self), delta)

    def body(self) -> ComposeResult:
        yield Label(Text("Профиль"), classes="screen-title")
        with TabbedContent(id="profile-tabs"):
            with TabPane("Карточка", id="card"):
                fields = VerticalScroll(id="card-fields")
                # The fields take the focus, not their scroller: it stood between the tab
                # strip and «Фамилия» (two Tabs), and a focused field is scrolled into view.
                fields.can_focus = False
                yield fields
            # The card is what F4 is for; the lists are made when their tab is first shown.
            yield LazyPane("Документы", _documents, id="profile-documents")
            yield LazyPane("Адреса", partial(compose_table, "addresses"), id="addresses")

    def load(self) -> None:
        for table in self.query(CollectionTable):
            table.reload()
        if not self.unsaved():
            self.load_person()

    @work(thread=True, exclusive=True, group="person", exit_on_error=False)
    def load_person(self) -> None:
        from frmr.model.profile.card_fields import PROFILE_FIELDS, display_value
        from frmr.model.store.reads import read_store
        from frmr.model.store.reads.card import read_card

        settings = self.frmr.settings
        assert settings is not None  # set before the account opens
        with read_store(settings.layout) as read:
            person = read_card(read.conn)
        shown = {name: display_value(name, getattr(person, name)) for name in PROFILE_FIELDS}
        self.post_message(PersonLoaded(person, shown))

    async def on_person_loaded(self, message: PersonLoaded) -> None:
        from frmr.model.profile.card_fields import PROFILE_FIELDS, parse_profile_field

        box = self.query_one("#card-fields", VerticalScroll)
        fields = {f.field_name: f for f in self.query(FormField)}
        if not any(f.dirty for f in fields.values()):
            # With an edit under way, the edit stays based on the version it was typed over.
            self.read_version = message.person.version
        if fields:
            # Reloads update values in place: remounting would race with a second reload.
            # A field the worker is typing into keeps the typed value: the reload was asked
            # for before the first key, its answer must not undo it.
            for name, field in fields.items():
                if not field.dirty:
                    field.reset(message.shown[name])
            return

        def checker(name: str) -> Any:
            return lambda text: parse_profile_field(name, text)

        await box.mount_all(
            FormField(
                name,
                spec.label,
                message.shown[name],
                checker(name),
                choices=GENDERS if name == "gender" else None,
                required=spec.required,
            )
            for name, spec in PROFILE_FIELDS.items()
        )
        # F4 opens the card to be filled in: its first field takes the focus the tab strip got
        # when the screen opened (two Tabs away), unless the doctor has moved it meanwhile.
        tabs = self.query_one("#profile-tabs", TabbedContent)
        if tabs.active == "card" and (self.focused is None or isinstance(self.focused, Tabs)):
            self.query(FormField).first().focus_input()

    def unsaved(self) -> bool:
        return any(f.dirty for f in self.query(FormField))

    def unsaved_question(self) -> str | None:
        if not self.unsaved():
            return None
        return "В карточке есть несохранённые изменения. Уйти без сохранения?"

    def discard_edits(self) -> None:
        for field in self.query(FormField):
            field.reset(field.initial)
        self.load_person()

    def action_save(self) -> None:
        from frmr.model.profile.card import update_profile

        fields = list(self.query(FormField))
        if not all([f.validate_now() for f in fields]):
            self.notify(
                "Карточка не сохранена: исправьте поля, отмеченные красным",
                severity="warning",
                markup=False,
            )
            return
        # Only what was edited here: the other fields may hold what another process saved.
        values = {f.field_name: f.value for f in fields if f.dirty}
        account = self.frmr.account
        version = self.read_version
        self.run_model_action(
            "card",
            lambda: update_profile(account, values, if_version=version),  # type: ignore[arg-type]
        )

    def ask_about_change(self, changed: Any) -> None:
        from frmr.model.profile.card_fields import PROFILE_FIELDS
        from frmr.tui.screens.record_changed import RecordChangedScreen

        fields = {f.field_name: f for f in self.query(FormField)}
        conflicts = {
            name: (PROFILE_FIELDS[name].label, field.value, changed.stored.get(name, ""))
            for name, field in fields.items()
            if field.dirty and field.value != changed.stored.get(name, "")
        }

        def answered(kept: frozenset[str] | None) -> None:
            if kept is None:
                self.discard_edits()
                return
            for name, field in fields.items():
                if name not in kept or name not in conflicts:
                    field.reset(changed.stored.get(name, ""))
            # The kept values now go over the version just read, and only them.
            self.read_version = changed.current
            if kept & conflicts.keys():
                self.action_save()

        self.app.push_screen(RecordChangedScreen(conflicts), answered)

    def action_revert(self) -> None:
        self.discard_edits()

    def on_action_succeeded(self, message: ActionSucceeded) -> None:
        if message.action == "card":
            self.notify("Карточка сохранена", markup=False)
            # What was typed is now the saved state; the reload shows it normalised.
            for field in self.query(FormField):
                field.reset(field.value)
            self.load_person()

    def on_action_failed(self, message: ActionFailed) -> None:
        from frmr.model.rules.record_version import RecordChanged

        if isinstance(message.error, RecordChanged):
            self.ask_about_change(message.error)
        field = getattr(message.error, "field", None)
        for form_field in self.query(FormField):
            if form_field.field_name == field:
                form_field.show_error(message.error.user_message)
        # AccountScreen's handler runs next (Textual calls each class's) and notifies once.

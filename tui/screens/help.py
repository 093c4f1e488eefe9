"""Помощь (F1): the keys of the screen underneath, the registry's error texts with their fixes,
and ЕГИСЗ support."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from frmr.model.rules.errors import (
    EMPLOYEE_NOT_FOUND,
    EMPLOYEE_NOT_FOUND_FIX,
    ORGANIZATION_FIX,
    ORGANIZATION_MISSING,
    PORTFOLIO_FIX,
    PORTFOLIO_INCONSISTENT,
    VALIDATION_ERROR,
)
from frmr.model.rules.limits import VALIDATION_FIX

ERRORS = (
    (VALIDATION_ERROR, VALIDATION_FIX),
    (ORGANIZATION_MISSING, ORGANIZATION_FIX),
    (PORTFOLIO_INCONSISTENT, PORTFOLIO_FIX),
    (EMPLOYEE_NOT_FOUND, EMPLOYEE_NOT_FOUND_FIX),
)

SUPPORT = (
    "Поддержка ЕГИСЗ (круглосуточно): 8 800 500 74 78, egisz@rt-eu.ru, "
    "support.egisz.rosminzdrav.ru\n"
    "Удалить запись о сотруднике может только организация: подписанным запросом в поддержку "
    "с СНИЛС и причиной."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1", "dismiss(None)", "Закрыть", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide help"):
            yield Label(Text("Помощь"), classes="dialog-title")
            yield Static(self._keys(), id="help-keys")
            yield Label(Text("Ошибки ФРМР и что делать"), classes="section-title")
            errors = Text()
            for message, fix in ERRORS:
                errors.append(f"«{message}»\n", style="bold")
                errors.append(f"  {fix}\n")
            yield Static(errors)
            yield Label(Text("Куда обращаться"), classes="section-title")
            yield Static(Text(SUPPORT))

    def _keys(self) -> Text:
        # The screen underneath: its bindings are the ones the person was looking at.
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for active in below.active_bindings.values():
            binding = active.binding
            # Only ours: every binding of frmr has an id (the keymap needs it); Textual's own
            # (scrolling, the input's cursor keys, copy) have none and English descriptions.
            if binding.id is None or not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            rows.append((self.app.get_key_display(binding), binding.description, binding.id))
        rows.append(("↑ ↓", "строка или поле выше и ниже", ""))
        rows.append(("PgUp PgDn", "прокрутка; Home, End — в начало и в конец", ""))
        # One column width for every key, the longest included (shift+tab, PgUp PgDn).
        width = max(cell_len(key) for key, _, _ in rows)
        text = Text()
        text.append(f"{'клавиша':<{width}}  действие (в скобках — имя для keymap)\n", style="dim")
        for key, description, binding_id in rows:
            text.append(" " * (width - cell_len(key)) + key, style="bold")
            text.append(f"  {description}")
            if binding_id:
                text.append(f" ({binding_id})", style="dim")
            text.append("\n")
        return text

"""The line on top of every screen: who, which registry, what the daemon is doing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from frmr.tui.messages import HeaderState


class AccountHeader(Static):
    DEFAULT_CSS = """
    AccountHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    _state: HeaderState | None = None

    def show(self, state: HeaderState) -> None:
        self._state = state
        full = self._render_state(state, compact=False)
        # At 80 columns the full line would cut off the «Не доставлено» count, the part that
        # matters most: drop the product name and shorten the person to initials instead.
        fits = full.cell_len <= max(self.size.width - 2, 0) or self.size.width == 0
        self.update(full if fits else self._render_state(state, compact=True))

    def on_resize(self) -> None:
        if self._state is not None:
            self.show(self._state)

    @staticmethod
    def _render_state(state: HeaderState, *, compact: bool) -> Text:
        # Text, not markup: the person's name comes from the store and may hold "[".
        text = Text(no_wrap=True, overflow="ellipsis")
        if not compact:
            text.append("ФРМР", style="bold")
            text.append(" · ")
        if state.person:
            text.append(f"{_initials(state.person) if compact else state.person} · ")
        text.append(f"{state.registry}")
        text.append(f" · демон: {state.daemon}")
        text.append(f" · очередь: {state.queued}")
        style = "bold reverse" if state.not_delivered else ""
        text.append(" · ")
        text.append(f"не доставлено: {state.not_delivered}", style=style)
        return text


def _initials(full_name: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.»."""
    last, *rest = full_name.split()
    return " ".join([last, *(f"{part[0]}." for part in rest)])

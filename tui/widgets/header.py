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
    _line: Text | None = None

    def show(self, state: HeaderState) -> None:
        self._state = state
        # At 80 columns the full line would cut off the «Не доставлено» count, the part that
        # matters most: drop the product name and shorten the person to initials, then drop
        # the registry's address (Синхронизация, F6, shows it), then the person, then shorten
        # the counts' names (60 columns). «Песочница» is never dropped: it is what says this
        # is not the real registry.
        room = max(self.size.width - 2, 0)
        for compact in range(5):
            line = self._render_state(state, compact=compact)
            if line.cell_len <= room or self.size.width == 0:
                break
        if line != self._line:
            self._line = line
            # One line whatever it says: a repaint, not a layout of the whole screen, which
            # every store poll's counts and every screen shown again asked for.
            self.update(line, layout=False)

    def on_resize(self) -> None:
        if self._state is not None:
            self.show(self._state)

    @staticmethod
    def _render_state(state: HeaderState, *, compact: int) -> Text:
        # Text, not markup: the person's name comes from the store and may hold "[".
        text = Text(no_wrap=True, overflow="ellipsis")
        if state.sandbox:
            text.append(state.registry, style="bold reverse")
            text.append(" · ")
        if not compact:
            text.append("ФРМР", style="bold")
            text.append(" · ")
        if state.person and compact < 3:
            text.append(f"{_initials(state.person) if compact else state.person} · ")
        if compact < 2 and state.registry and not state.sandbox:
            text.append(f"{state.registry} · ")
        if state.daemon:
            text.append(f"демон: {state.daemon} · ")
        if state.queued is None or state.not_delivered is None:
            text.append("загрузка…")
            return text
        text.append(f"{'очер.' if compact > 3 else 'очередь'}: {state.queued}")
        style = "bold reverse" if state.not_delivered else ""
        text.append(" · ")
        label = "не дост." if compact > 3 else "не доставлено"
        text.append(f"{label}: {state.not_delivered}", style=style)
        return text


def _initials(full_name: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.»."""
    last, *rest = full_name.split()
    return " ".join([last, *(f"{part[0]}." for part in rest)])

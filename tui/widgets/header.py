"""The line on top of every screen: who, which registry, what the daemon is doing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.messages import HeaderState


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

    def show(self, state: HeaderState) -> None:
        # Text, not markup: the person's name comes from the store and may hold "[".
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("ФРМР", style="bold")
        if state.person:
            text.append(f" · {state.person}")
        text.append(f" · {state.registry}")
        text.append(f" · демон: {state.daemon}")
        text.append(f" · очередь: {state.queued}")
        style = "bold reverse" if state.not_delivered else ""
        text.append(" · ")
        text.append(f"не доставлено: {state.not_delivered}", style=style)
        self.update(text)

"""Shell commands shown so that selecting the lines on screen copies a command that runs."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from frmr.tui.remote_copy import fold_command


class ShellLines(Widget):
    """Each command folded to the widget's width with shell continuations
    (remote_copy.fold_command), never soft-wrapped: a terminal copies a wrapped row as a line
    break, which the shell reads as the end of the command."""

    DEFAULT_CSS = """
    ShellLines {
        height: auto;
        text-style: bold;
    }
    """

    def __init__(self, commands: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.commands = list(commands)

    def lines(self, width: int) -> list[str]:
        return [line for command in self.commands for line in fold_command(command, width)]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((len(command) for command in self.commands), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n".join(self.lines(self.content_size.width)), no_wrap=True, overflow="crop")

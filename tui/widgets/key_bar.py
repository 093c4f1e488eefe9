"""The key line at the bottom of every screen: the active bindings, drawn as one line of text.

Textual's Footer builds a widget per key and composes them only after the first frame; with
the fifteen keys of an account screen that was the largest part of the time to first paint.
This draws the same keys (their display follows the keymap, disabled ones dimmed, the
command palette's key kept at the right edge) as one renderable, in the first frame, and a
click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[_Span] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def _shown(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The bindings to draw, one per action as Footer does, and the palette's apart."""
        shown: list[tuple[int, int, Binding, bool]] = []
        actions: set[str] = set()
        palette: tuple[Binding, bool] | None = None
        nodes: dict[int, int] = {}
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (binding, enabled)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                # The focused widget's keys first, then the screen's, then the app's; each
                # node's in the order declared, whatever key the keymap moved them to (a
                # remapped key is re-added last and then fell off the end of the line).
                group = nodes.setdefault(id(node), len(nodes))
                shown.append((group, _declared(node, binding), binding, enabled))
        shown.sort(key=lambda item: item[:2])
        return [(binding, enabled) for _g, _o, binding, enabled in shown], palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        shown, palette = self._shown()
        width = self.size.width
        tail = Text()
        if palette is not None:
            tail = Text("▏", style="dim") + self._item(
                palette[0], palette[1], key_style, description_style
            )
        line = Text(no_wrap=True, overflow="crop")
        spans: list[_Span] = []
        for binding, enabled in shown:
            item = self._item(binding, enabled, key_style, description_style)
            if width and line.cell_len + item.cell_len + tail.cell_len > width:
                break  # the rest are in the command palette, whose key stays visible
            spans.append(_Span(line.cell_len, line.cell_len + item.cell_len, binding.key, enabled))
            line.append_text(item)
        if palette is not None:
            start = max(line.cell_len, width - tail.cell_len)
            line.append(" " * (start - line.cell_len))
            spans.append(_Span(start + 1, start + tail.cell_len, palette[0].key, palette[1]))
            line.append_text(tail)
        self._spans = spans
        return line

    def _item(
        self, binding: Binding, enabled: bool, key_style: Style, description_style: Style
    ) -> Text:
        item = Text.assemble(
            (f" {self.app.get_key_display(binding)} ", key_style),
            (f"{binding.description} ", description_style),
        )
        if not enabled:
            item.stylize("dim")
        return item

    def on_click(self, event: events.Click) -> None:
        for span in self._spans:
            if span.start <= event.x < span.end:
                if span.enabled:
                    self.app.simulate_key(span.key)
                else:
                    self.app.bell()
                return


def _declared(node: DOMNode, binding: Binding) -> int:
    """Where `binding` stands among its node's declared bindings (its class's BINDINGS)."""
    declared = type(node)._merged_bindings
    if declared is None or binding.id is None:
        return 0
    order = [b.id for bindings in declared.key_to_bindings.values() for b in bindings]
    return order.index(binding.id) if binding.id in order else len(order)

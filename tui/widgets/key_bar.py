"""The two key lines at the bottom of every screen: the account's screens with their F-keys (the
current one marked), and this screen's own keys.

A screen reached only through F1 is a screen nobody finds: at 80 columns one line of keys
held the screen's actions and two or three F-keys, and Профиль, Документы, Синхронизация and
Готовность fell off the end. The screens get a line of their own, whose labels shorten as
the terminal narrows (60 columns still hold all six), so every one is on screen.

Textual's Footer builds a widget per key and composes them only after the first frame; with
the fifteen keys of an account screen that was the largest part of the time to first paint.
This draws the keys (their display follows the keymap, disabled ones dimmed, the command
palette's key kept at the right edge) as one renderable, in the first frame, and a click on a
key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

# The account's screens in the order of their keys: the binding's id, then its label from the
# longest to the shortest; the first set of labels whose line fits is drawn.
SCREENS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("app.applications", "applications", ("Заявления", "Заявления", "Заявл.")),
    ("app.portfolio", "portfolio", ("Портфолио", "Портфолио", "Портф.")),
    ("app.profile", "profile", ("Профиль", "Профиль", "Проф.")),
    ("app.documents", "documents", ("Документы", "Документы", "Докум.")),
    ("app.sync", "sync", ("Синхронизация", "Синхр.", "Синхр.")),
    ("app.readiness", "readiness", ("Готовность", "Готовность", "Готов.")),
)
# Kept at the right edge of the screen's keys whatever else fits: help lists every key, the
# palette runs every action.
TAIL_ACTIONS = ("help", "command_palette")
# Shown after the screens' keys where it fits there, on the actions line otherwise.
QUIT_ID = "app.quit"
# Screens without a key of their own, marked under the screen they are opened from.
PARENT_MODE = {"report": "portfolio"}


@dataclass(frozen=True)
class _Span:
    row: int
    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--current",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 2;
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
        .key-bar--current {
            color: $text;
            background: $primary;
            text-style: bold;
        }
    }
    """

    def __init__(self, *, screens: bool = True) -> None:
        """`screens=False`: the screen's own keys only (the login screen, which stands in front
        of every screen and is left by logging in or Esc)."""
        super().__init__()
        self._spans: list[_Span] = []
        self._quit_on_screens = False
        # The screen's active bindings as read at the start of the last render.
        self._read_bindings: list[ActiveBinding] = []
        self._styles: dict[str, Style] = {}
        self._key_displays: dict[Binding, str] = {}
        self.show_screens = screens
        if not screens:
            self.styles.height = 1

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def _shown(self) -> tuple[list[tuple[Binding, bool]], list[tuple[Binding, bool]]]:
        """The bindings to draw, one per action as Footer does, and those kept at the right
        edge (help and the palette, the ways to every other key) apart."""
        shown: list[tuple[int, int, Binding, bool]] = []
        actions: set[str] = set()
        tail: dict[str, tuple[Binding, bool]] = {}
        nodes: dict[int, int] = {}
        for node, binding, enabled, _tooltip in self._read_bindings:
            action = binding.action.removeprefix("app.")
            if action in TAIL_ACTIONS:
                tail.setdefault(action, (binding, enabled))
            elif binding.id == QUIT_ID and self._quit_on_screens:
                continue
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                # The focused widget's keys first, then the screen's, then the app's; each
                # node's in the order declared, whatever key the keymap moved them to (a
                # remapped key is re-added last and then fell off the end of the line).
                group = nodes.setdefault(id(node), len(nodes))
                shown.append((group, _declared(node, binding), binding, enabled))
        shown.sort(key=lambda item: item[:2])
        kept = [tail[action] for action in TAIL_ACTIONS if action in tail]
        return [(binding, enabled) for _g, _o, binding, enabled in shown], kept

    def screen_keys(self) -> list[tuple[Binding, tuple[str, ...], bool]]:
        """The account's screens as bound at this render (the keymap may move them): binding,
        labels, and whether it is the screen showing."""
        by_id = {
            binding.id: binding
            for _node, binding, _enabled, _tooltip in self._read_bindings
            if binding.id is not None
        }
        mode = getattr(self.app, "current_mode", "")
        mode = PARENT_MODE.get(mode, mode)
        return [
            (by_id[binding_id], labels, mode == screen_mode)
            for binding_id, screen_mode, labels in SCREENS
            if binding_id in by_id
        ]

    def render(self) -> Text:
        self._spans = []
        # Read once: Screen.active_bindings walks the focus chain and every node's bindings
        # each time (≈ 1.4 ms at load 5), and one render needed it three or four times — on
        # every change of focus or bindings, the filter's opening among them (issue 26).
        self._read_bindings = list(self.screen.active_bindings.values())
        # Each asked once a render: the screens' line is built up to four times while its
        # labels are shortened to fit.
        self._styles = {
            name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES
        }
        self._key_displays = {}
        lines = [self._screens_line()] if self.show_screens else []
        lines.append(self._actions_line(row=len(lines)))
        return Text("\n", no_wrap=True).join(lines)

    def _quit_binding(self) -> Binding | None:
        for _node, binding, _enabled, _tooltip in self._read_bindings:
            if binding.id == QUIT_ID and binding.show:
                return binding
        return None

    def _screens_line(self) -> Text:
        """The screens' keys, then «Выход» where it fits: it leaves every screen, and on the
        actions line a screen with five keys of its own pushed it off at 80 columns."""
        quit_binding = self._quit_binding()
        fitted = self._fit_screens(quit_binding) if quit_binding is not None else None
        self._quit_on_screens = fitted is not None
        if fitted is None:
            fitted = self._fit_screens(None)
        assert fitted is not None  # without «Выход» the last resort always fits
        line, spans = fitted
        self._spans.extend(spans)
        return line

    def _fit_screens(self, quit_binding: Binding | None) -> tuple[Text, list[_Span]] | None:
        """The line with the longest labels that fit, the label saving most shortened first.
        With `quit_binding`, None when even the shortest labels leave it no room; without,
        at the last resort only the current screen is named."""
        keys = self.screen_keys()
        width = self.size.width
        levels = [0] * len(keys)
        while True:
            line, spans = self._screens_text(keys, levels, quit_binding)
            if not width or line.cell_len <= width:
                return line, spans
            # Each label's next shorter one; equal labels at two levels are skipped.
            saving = [
                (len(labels[level]) - len(labels[shorter]), index, shorter)
                for index, ((_b, labels, _c), level) in enumerate(zip(keys, levels, strict=True))
                for shorter in [
                    next(
                        (n for n in range(level + 1, len(labels)) if labels[n] != labels[level]), 0
                    )
                ]
                if shorter
            ]
            if not saving:
                break
            _saved, index, shorter = max(saving)
            levels[index] = shorter
        if quit_binding is not None:
            return None
        bare = [len(SCREENS[0][2])] * len(keys)
        return self._screens_text(keys, bare, None)

    def _screens_text(
        self,
        keys: list[tuple[Binding, tuple[str, ...], bool]],
        levels: list[int],
        quit_binding: Binding | None,
    ) -> tuple[Text, list[_Span]]:
        key_style = self._styles["key-bar--key"]
        description_style = self._styles["key-bar--description"]
        current_style = self._styles["key-bar--current"]
        line = Text(no_wrap=True, overflow="crop")
        spans: list[_Span] = []
        items = [
            (binding, labels[level] if level < len(labels) else ("", labels[-1])[current], current)
            for (binding, labels, current), level in zip(keys, levels, strict=True)
        ]
        if quit_binding is not None:
            items.append((quit_binding, quit_binding.description, False))
        for binding, label, current in items:
            key = self._key_display(binding)
            item = Text.assemble(
                " ",
                (key, current_style if current else key_style),
                (f" {label}" if label else "", current_style if current else description_style),
            )
            spans.append(_Span(0, line.cell_len, line.cell_len + item.cell_len, binding.key, True))
            line.append_text(item)
        return line, spans

    def _actions_line(self, row: int) -> Text:
        key_style = self._styles["key-bar--key"]
        description_style = self._styles["key-bar--description"]
        shown, kept = self._shown()
        width = self.size.width
        tail = Text()
        tail_spans: list[tuple[int, int, Binding, bool]] = []
        if kept:
            tail.append("▏", style="dim")
            for binding, enabled in kept:
                item = self._item(binding, enabled, key_style, description_style)
                tail_spans.append((tail.cell_len, tail.cell_len + item.cell_len, binding, enabled))
                tail.append_text(item)
        line = Text(no_wrap=True, overflow="crop")
        spans: list[_Span] = []
        # «Выход» here (the screens' line had no room for it, as at 60 columns) is kept: the
        # screen's own keys give way to it, as to the palette's key.
        reserved = sum(
            self._item(binding, enabled, key_style, description_style).cell_len
            for binding, enabled in shown
            if binding.id == QUIT_ID
        )
        full = False
        for binding, enabled in shown:
            item = self._item(binding, enabled, key_style, description_style)
            if binding.id == QUIT_ID:
                reserved = 0
            elif full or (
                width and line.cell_len + item.cell_len + reserved + tail.cell_len > width
            ):
                full = True  # the rest are in the command palette, whose key stays visible
                continue
            if width and line.cell_len + item.cell_len + tail.cell_len > width:
                break
            spans.append(
                _Span(row, line.cell_len, line.cell_len + item.cell_len, binding.key, enabled)
            )
            line.append_text(item)
        if kept:
            start = max(line.cell_len, width - tail.cell_len)
            line.append(" " * (start - line.cell_len))
            for begin, end, binding, enabled in tail_spans:
                spans.append(_Span(row, start + begin, start + end, binding.key, enabled))
            line.append_text(tail)
        self._spans.extend(spans)
        return line

    def _item(
        self, binding: Binding, enabled: bool, key_style: Style, description_style: Style
    ) -> Text:
        item = Text.assemble(
            (f" {self._key_display(binding)} ", key_style),
            (f"{binding.description} ", description_style),
        )
        if not enabled:
            item.stylize("dim")
        return item

    def _key_display(self, binding: Binding) -> str:
        if binding not in self._key_displays:
            self._key_displays[binding] = self.app.get_key_display(binding)
        return self._key_displays[binding]

    def on_click(self, event: events.Click) -> None:
        for span in self._spans:
            if span.row == event.y and span.start <= event.x < span.end:
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

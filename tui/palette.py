"""The command palette in Russian: its placeholder, its «nothing found» line and Textual's
system commands (theme, quit, keys, maximize, screenshot), which Textual writes in English."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits
from textual.theme import ThemeProvider
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.screen import Screen

    from frmr.tui.app import FrmrApp

PLACEHOLDER = "Команда: начните вводить…"
# What «Тема оформления» lists: a Russian label first (what a person reads), Textual's name
# after it (what config and the keymap use). Light ones say so: that is what people choose by.
THEME_LABELS = {
    "frmr-16": "16 цветов терминала",
    "textual-dark": "Тёмная",
    "textual-light": "Светлая",
    "ansi-dark": "Цвета терминала, тёмная",
    "ansi-light": "Цвета терминала, светлая",
    "atom-one-dark": "Atom, тёмная",
    "atom-one-light": "Atom, светлая",
    "catppuccin-frappe": "Catppuccin Frappé, тёмная",
    "catppuccin-latte": "Catppuccin Latte, светлая",
    "catppuccin-macchiato": "Catppuccin Macchiato, тёмная",
    "catppuccin-mocha": "Catppuccin Mocha, тёмная",
    "dracula": "Dracula, тёмная",
    "flexoki": "Flexoki, тёмная",
    "gruvbox": "Gruvbox, тёмная",
    "monokai": "Monokai, тёмная",
    "nord": "Nord, тёмная",
    "rose-pine": "Rosé Pine, тёмная",
    "rose-pine-dawn": "Rosé Pine Dawn, светлая",
    "rose-pine-moon": "Rosé Pine Moon, тёмная",
    "solarized-dark": "Solarized, тёмная",
    "solarized-light": "Solarized, светлая",
    "tokyo-night": "Tokyo Night, тёмная",
}


def theme_label(name: str) -> str:
    return f"{THEME_LABELS.get(name, name)} ({name})"


class RussianThemeProvider(ThemeProvider):
    """Textual's theme list with Russian labels; Textual's own shows bare English names."""

    def _labelled(self) -> list[tuple[str, str]]:
        return sorted((theme_label(name), name) for name in self.app.available_themes)

    def _pick(self, name: str) -> None:
        self.app.theme = name

    async def discover(self) -> Hits:
        for label, name in self._labelled():
            yield DiscoveryHit(label, partial(self._pick, name))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, name in self._labelled():
            if (score := matcher.match(label)) > 0:
                yield Hit(score, matcher.highlight(label), partial(self._pick, name))


THEME_PLACEHOLDER = "Тема оформления: начните вводить…"


class RussianCommandPalette(CommandPalette):
    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own adds «No matches found»; the same countdown with our line.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Ничего не найдено", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(app: FrmrApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """What Textual offers in every palette, in Russian, and through our own actions where
    we have one (the keys are in Помощь). Not «Выход»: the ctrl+q binding is listed already,
    and the palette showed it twice."""
    yield SystemCommand("Тема оформления", "Выбрать цвета интерфейса", app.action_change_theme)
    yield SystemCommand("Клавиши", "Все клавиши этого экрана и помощь (F1)", app.action_help)
    if screen.maximized is not None:
        yield SystemCommand(
            "Свернуть", "Вернуть развёрнутый элемент на место", screen.action_minimize
        )
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(
            "Развернуть", "Развернуть элемент с фокусом на весь экран", screen.action_maximize
        )
    yield SystemCommand(
        "Снимок экрана",
        "Сохранить снимок экрана в SVG (в папку загрузок)",
        lambda: app.set_timer(0.1, app.deliver_screenshot),
    )

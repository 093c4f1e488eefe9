"""A theme for 16-colour terminals (TERM=screen, the Linux console, plain tmux).

Textual's themes are made of true colours that a 16-colour terminal gets rounded to the
nearest of its 16: input fields' shades of grey all become black (the fields vanish), the
5% tint that marks focus disappears, and the default accent (orange) turns bright red, so
titles read as errors. This theme is made of the 16 colours themselves (Rich's standard
palette, which the rounding maps each to itself), and `colors-16` in screens.tcss gives fields a
background and the focused field a colour of its own.
"""

from __future__ import annotations

from rich.console import Console
from textual.theme import Theme

NAME = "frmr-16"
# A class on the app while this theme is on; screens.tcss styles fields and focus under it.
CLASS = "-colors-16"

THEME_16 = Theme(
    name=NAME,
    dark=True,
    primary="#0000aa",  # blue: the header, the table cursor
    secondary="#00aaaa",  # cyan
    accent="#55ffff",  # bright cyan: titles, not red
    warning="#ffff55",  # bright yellow
    error="#ff5555",  # bright red: errors only
    success="#55ff55",  # bright green
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#555555",  # bright black: fields, table headers
    boost="#555555",
    variables={
        "block-cursor-background": "#0000aa",
        "block-cursor-foreground": "#ffffff",
        "block-cursor-blurred-background": "#555555",
        "block-cursor-blurred-foreground": "#ffffff",
        "input-cursor-background": "#ffffff",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#00aaaa",
        "footer-background": "#555555",
        "footer-key-foreground": "#55ffff",
        "footer-description-foreground": "#ffffff",
        "border": "#55ffff",
        "border-blurred": "#555555",
        "text-muted": "#aaaaaa",
        "scrollbar": "#555555",
        "scrollbar-background": "#000000",
    },
)


def has_16_colours(console: Console) -> bool:
    """The terminal shows 16 colours or fewer (Rich read TERM and COLORTERM)."""
    return console.color_system in ("standard", "windows")

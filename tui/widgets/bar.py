"""A one-line bar drawn from text cells, used for quotas and the hours in the reporting period."""

from __future__ import annotations

from rich.text import Text

WIDTH = 20


def bar(value: int, limit: int, *, width: int = WIDTH, over_style: str = "bold red") -> Text:
    """`value` of `limit` as filled cells; past the limit the whole bar turns `over_style`."""
    limit = max(limit, 1)
    filled = min(width, round(width * value / limit))
    text = Text()
    style = over_style if value > limit else "bold"
    text.append("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    return text

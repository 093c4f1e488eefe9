"""A click group that imports a subcommand's module only when that subcommand runs.

`frmr --help` and `frmr apps list` must not pay for `frmr login`'s HTTP client or
`frmr doctor`'s ORM. The group knows each command by name, by where it lives, and by its
one-line help, so the list of commands prints without importing any of them;
tests/cli/test_lazy_cli.py holds the one-liners equal to the commands' own docstrings.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from gettext import gettext as _
from typing import Any

import click

from frmr.console.russian import russify


@dataclass(frozen=True)
class LazyCommand:
    target: str  # "package.module:attribute"
    summary: str  # the command's docstring's first line, shown by the group's --help

    def load(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


class LazyGroup(click.Group):
    def __init__(self, *args: Any, lazy_commands: Mapping[str, LazyCommand], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            loaded = self.lazy_commands[cmd_name].load()
            # What use_russian_cli did for the commands loaded at start, for this one.
            russify(loaded)
            self.add_command(loaded, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own listing, with each command's help taken from the table until loaded."""
        names = self.list_commands(ctx)
        if not names:
            return
        # As click.Group.format_commands: three times the default spacing.
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            # An unloaded command stands in as a bare one with its help, shortened as click does.
            shown = self.commands.get(name) or click.Command(
                name, help=self.lazy_commands[name].summary
            )
            if not shown.hidden:
                rows.append((name, shown.get_short_help_str(limit)))
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

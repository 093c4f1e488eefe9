"""`frmr --help` lists every command with its own help, without importing any of them."""

from __future__ import annotations

import click
from click.testing import CliRunner

from frmr.cli.lazy import LazyGroup
from frmr.cli.main import COMMANDS, cli


def _help(group: click.Group) -> str:
    result = CliRunner().invoke(group, ["--help"], prog_name="frmr", terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def test_help_from_the_table_is_the_commands_own() -> None:
    # A fresh copy of `frmr`: other tests in this process may have loaded commands into it.
    group = LazyGroup(
        "frmr",
        lazy_commands=COMMANDS,
        callback=cli.callback,
        params=cli.params,
        help=cli.help,
        context_settings=cli.context_settings,
    )
    from_table = _help(group)
    assert not group.commands, "--help loaded a command"
    with click.Context(group, info_name="frmr") as ctx:
        for name, lazy in COMMANDS.items():
            command = group.get_command(ctx, name)
            assert command is not None and command.help is not None
            assert lazy.summary == command.help.split("\n\n")[0].strip(), name
    # Loaded, the commands' own help fills the same listing.
    assert _help(group) == from_table
    for name in COMMANDS:
        assert f"\n  {name} " in from_table

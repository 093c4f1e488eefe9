"""`frmr-tui`: the personal account, full screen."""

from __future__ import annotations

import click

from frmr.console.russian import use_russian_cli
from frmr.tui import _start_time  # noqa: F401  (first import: startup is timed from here)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--offline", is_flag=True, help="Работать без сети: не запускать песочницу и демон.")
def main(offline: bool) -> None:
    """Личный кабинет медработника ФРМР в терминале."""
    # Textual is imported here, not at module level, so `--help` answers at once.
    from frmr.tui.app import make_app
    from frmr.tui.heap import collect_less_often

    collect_less_often()
    make_app(start_services=not offline, ask_login=not offline).run()


use_russian_cli(main)

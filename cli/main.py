"""`frmr`: the scriptable face of the account, over the same functions the TUI calls."""

from __future__ import annotations

import sys

import click

from frmr.cli.apps import apps
from frmr.cli.auth import login_cmd, logout_cmd
from frmr.cli.context import USER_ERROR_EXIT, Context
from frmr.cli.documents import documents
from frmr.cli.pack import pack_cmd
from frmr.cli.portfolio import portfolio
from frmr.cli.profile import profile
from frmr.cli.readiness import readiness_cmd, rules_cmd
from frmr.cli.report import report
from frmr.cli.store import doctor, export_cmd, import_cmd, positions, specialties
from frmr.model.cli_language import use_russian_cli
from frmr.model.disk import disk_message
from frmr.model.settings import load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="frmr", message="%(prog)s, версия %(version)s", help="Показать версию и выйти."
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Личный кабинет медработника ФРМР в терминале."""
    state = ctx.ensure_object(Context)
    ctx.call_on_close(state.close)


for command in (
    profile,
    portfolio,
    report,
    documents,
    apps,
    doctor,
    export_cmd,
    import_cmd,
    specialties,
    positions,
    readiness_cmd,
    rules_cmd,
    pack_cmd,
):
    cli.add_command(command)
for command in (login_cmd, logout_cmd):
    cli.add_command(command)


use_russian_cli(cli)


def main() -> None:
    try:
        cli(prog_name="frmr")
    except Exception as error:
        # A full or failing disk can surface from any write (SQLite, a blob, an export):
        # nothing was changed by the failed step, and the user is told so in Russian.
        message = disk_message(error, load_settings().home)
        if message is None:
            raise
        click.echo(f"Ошибка: {message}", err=True)
        sys.exit(USER_ERROR_EXIT)

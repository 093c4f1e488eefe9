"""`frmr`: the scriptable face of the account, over the same functions the TUI calls."""

from __future__ import annotations

import click

from frmr.cli.lazy import LazyCommand, LazyGroup

# Each subcommand's module is imported when it runs (cli/lazy.py says why).
COMMANDS = {
    "profile": LazyCommand("frmr.cli.profile:profile", "Карточка: личные данные."),
    "portfolio": LazyCommand("frmr.cli.portfolio:portfolio", "Портфолио и другие списки профиля."),
    "documents": LazyCommand("frmr.cli.documents:documents", "Библиотека документов."),
    "apps": LazyCommand("frmr.cli.apps:apps", "Заявления на аккредитацию."),
    "doctor": LazyCommand(
        "frmr.cli.store:doctor", "Проверить хранилище: пути, права, версию схемы, целостность."
    ),
    "export": LazyCommand(
        "frmr.cli.store:export_cmd", "Выгрузить все данные в JSON (в файл или на stdout)."
    ),
    "import": LazyCommand("frmr.cli.store:import_cmd", "Загрузить выгрузку в пустое хранилище."),
    "specialties": LazyCommand(
        "frmr.cli.store:specialties", "Справочник специальностей (код и название)."
    ),
    "positions": LazyCommand("frmr.cli.store:positions", "Справочник должностей (код и название)."),
    "login": LazyCommand(
        "frmr.cli.auth:login_cmd",
        "Войти в личный кабинет ФРМР: фоновая служба синхронизирует данные от вашего имени.",
    ),
    "logout": LazyCommand(
        "frmr.cli.auth:logout_cmd",
        "Выйти: удалить сохранённый токен; синхронизация остановится до следующего входа.",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="frmr")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Личный кабинет медработника ФРМР в терминале."""
    # Not needed by `frmr --help`, which answers before this runs.
    from frmr.cli.context import Context

    state = ctx.ensure_object(Context)
    ctx.call_on_close(state.close)


def main() -> None:
    cli(prog_name="frmr")

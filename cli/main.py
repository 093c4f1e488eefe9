"""`frmr`: the scriptable face of the account, over the same functions the TUI calls."""

from __future__ import annotations

import sys

import click

from frmr.cli.lazy import LazyCommand, LazyGroup
from frmr.console import collector
from frmr.console.russian import use_russian_cli

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
        "frmr.cli.store:specialties",
        "Справочник специальностей (код и название; «местный» — код не из НСИ).",
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
    "report": LazyCommand("frmr.cli.report:report", "Отчёт о профессиональной деятельности."),
    "readiness": LazyCommand(
        "frmr.cli.readiness:readiness_cmd",
        "Готовность к аккредитации по каждой специальности: сроки, часы, стаж, замечания.",
    ),
    "rules": LazyCommand(
        "frmr.cli.readiness:rules_cmd",
        "Правила аккредитации, по которым проверяется готовность, с источниками.",
    ),
    "pack": LazyCommand(
        "frmr.cli.pack:pack_cmd",
        "Сжать и объединить файлы (PDF, JPEG, PNG, HEIC) в один PDF в порядке перечисления.",
    ),
    "notify": LazyCommand(
        "frmr.cli.notify:notify",
        "Уведомления о решениях, отклонённых файлах и сроках: почта и своя команда.",
    ),
    "sandbox": LazyCommand(
        "frmr.cli.sandbox:sandbox",
        "Песочница: учебный регистр на этом компьютере (его запускает frmr-tui).",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    package_name="frmr", message="%(prog)s, версия %(version)s", help="Показать версию и выйти."
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Личный кабинет медработника ФРМР в терминале."""
    # Imported here: `frmr --help` never runs this callback and so never loads the store's
    # read path (model.store.reads and the rules it formats with), which is most of its cost.
    from frmr.cli.context import Context

    state = ctx.ensure_object(Context)
    ctx.call_on_close(state.close)


use_russian_cli(cli)


def main() -> None:
    collector.starting()
    try:
        cli(prog_name="frmr")
    except Exception as error:
        # A full or failing disk can surface from any write (SQLite, a blob, an export):
        # nothing was changed by the failed step, and the user is told so in Russian. A
        # bad setting surfaces wherever Settings is first needed.
        # Imported here: `frmr --help` loads neither settings nor the disk checks.
        from frmr.cli.context import USER_ERROR_EXIT
        from frmr.model.store.disk import disk_message
        from frmr.model.store.settings import SettingsInvalid, load_settings

        if isinstance(error, SettingsInvalid):
            message: str | None = error.user_text()
        else:
            try:
                message = disk_message(error, load_settings().home)
            except SettingsInvalid:
                message = None
        if message is None:
            raise
        click.echo(f"Ошибка: {message}", err=True)
        sys.exit(USER_ERROR_EXIT)

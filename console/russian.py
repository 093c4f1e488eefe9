"""Every command line of frmr in Russian: click's own words (usage, help, errors) included.

click translates its messages with gettext in the default domain («messages»). We ship a
Russian catalogue for that domain (console/locale/ru/LC_MESSAGES/messages.po, compiled with
`msgfmt` to the .mo beside it) and ask gettext for Russian: the product speaks Russian
whatever the machine's locale (servers usually run C.UTF-8), so LANGUAGE is set for the
process and the ones it starts (the daemon, the sandbox registry).

What click writes without gettext — the usage line's [OPTIONS] and COMMAND [ARGS]..., and
metavars such as TEXT or INTEGER made from its type names — is set on the commands
themselves: each face calls `use_russian_cli(its_command)` before running.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import click

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"  # gettext's default, the one click's `gettext.gettext` reads

OPTIONS_METAVAR = "[ПАРАМЕТРЫ]"
SUBCOMMAND_METAVAR = "КОМАНДА [АРГУМЕНТЫ]..."
# click's parameter types by their `name`, as the doctor should read them in `--help`.
TYPE_METAVARS = {
    "text": "ТЕКСТ",
    "integer": "ЧИСЛО",
    "float": "ЧИСЛО",
    "integer range": "ЧИСЛО",
    "float range": "ЧИСЛО",
    "boolean": "ДА|НЕТ",
    "path": "ПУТЬ",
    "filename": "ФАЙЛ",
    "file": "ФАЙЛ",
    "directory": "ПАПКА",
    "datetime": "ДАТА",
    "uuid": "UUID",
}
# Arguments are shown by their names; the names our commands use, as the doctor reads them.
ARGUMENT_METAVARS = {
    "app_id": "ЗАЯВЛЕНИЕ",
    "document_id": "ДОКУМЕНТ",
    "row_id": "ЗАПИСЬ",
    "field": "ПОЛЕ",
    "value": "ЗНАЧЕНИЕ",
    "values": "ЗНАЧЕНИЯ",
    "files": "ФАЙЛЫ",
    "target": "ФАЙЛ",
    "source": "ФАЙЛ",
    "code": "КОД",
    "directory": "ПАПКА",
}


def use_russian_messages() -> None:
    """gettext answers click's messages from our Russian catalogue."""
    os.environ["LANGUAGE"] = "ru"
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))


def use_russian_cli(command: click.Command) -> None:
    """Russian messages, and Russian metavars on `command` and every subcommand under it."""
    use_russian_messages()
    russify(command)


def russify(command: click.Command) -> None:
    """Russian metavars on `command` and every subcommand under it."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
    for param in command.params:
        if param.metavar is not None or isinstance(param.type, click.Choice):
            continue  # its own metavar, or its choices, say it already
        if isinstance(param, click.Argument):
            metavar = ARGUMENT_METAVARS.get(param.name or "")
            if metavar is not None:
                param.metavar = metavar + ("..." if param.nargs == -1 else "")
        elif isinstance(param, click.Option) and not param.is_flag:
            param.metavar = TYPE_METAVARS.get(param.type.name)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            russify(sub)

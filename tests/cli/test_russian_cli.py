"""Every command line speaks Russian: click's usage, help and errors included, for each of
frmr, frmr-daemon, frmr-tui and frmr-registry and every subcommand under them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from frmr.cli.main import cli
from frmr.console.russian import LOCALE_DIR
from frmr.daemon.cli import main as daemon_main
from frmr.registry.cli import main as registry_main
from frmr.tui.cli import main as tui_main

# click's own words, as it writes them untranslated (messages, metavars, the usage line);
# not inside an option's name (--version) or a command's.
ENGLISH = re.compile(
    r"(?<![-\w])(Usage|Options|Commands|Show this|Error|Try '|Invalid|Missing|No such|"
    r"unexpected|required|default|version|TEXT|INTEGER|FLOAT|PATH|FILENAME|FILE|DIRECTORY|"
    r"BOOLEAN|OPTIONS|COMMAND|ARGS)\b"
)
ENTRY_POINTS = {
    "frmr": cli,
    "frmr-daemon": daemon_main,
    "frmr-tui": tui_main,
    "frmr-registry": registry_main,
}


def _commands(name: str, command: click.Command) -> Iterator[tuple[str, list[str]]]:
    """Every command under `command`, through click's own lookup: a lazy group's
    subcommands exist only once `get_command` has loaded them, so `.commands` would hold
    none of them and the walk would stop at the group."""
    yield name, []
    if not isinstance(command, click.Group):
        return
    ctx = click.Context(command, info_name=name)
    for sub_name in command.list_commands(ctx):
        sub = command.get_command(ctx, sub_name)
        assert sub is not None, f"{name} lists {sub_name} but cannot load it"
        for path, args in _commands(f"{name} {sub_name}", sub):
            yield path, [sub_name, *args]


ALL = [
    (entry, args)
    for entry, command in ENTRY_POINTS.items()
    for _path, args in _commands(entry, command)
]


@pytest.mark.parametrize(("entry", "args"), ALL, ids=[" ".join([e, *a]) for e, a in ALL])
def test_help_has_no_english_click_words(entry: str, args: list[str]) -> None:
    result = CliRunner().invoke(ENTRY_POINTS[entry], [*args, "--help"], prog_name=entry)
    assert result.exit_code == 0, result.output
    assert "Использование:" in result.output
    assert not ENGLISH.search(result.output), result.output


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name(argv[0])
    # A server's usual locale: the answer is Russian whatever the machine speaks.
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.pop("LANGUAGE", None)
    return subprocess.run(
        [str(tool), *argv[1:]], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize(
    ("argv", "russian"),
    [
        (["frmr", "nosuch"], "Нет такой команды: 'nosuch'"),
        (["frmr", "apps", "list", "a", "b"], "Лишние аргументы (a b)"),
        (["frmr", "apps", "show"], "Не указан аргумент 'ЗАЯВЛЕНИЕ'"),
        (["frmr-registry", "serve", "--port", "x"], "'x' — не число"),
        (["frmr-daemon", "run", "--nosuch"], "Нет такого параметра: '--nosuch'"),
        (["frmr-tui", "extra"], "Лишний аргумент (extra)"),
    ],
)
def test_usage_errors_are_russian(argv: list[str], russian: str) -> None:
    result = _run(*argv)
    assert result.returncode == 2
    assert "Ошибка:" in result.stderr and russian in result.stderr, result.stderr
    assert "Использование:" in result.stderr and "Справка: «" in result.stderr
    assert not ENGLISH.search(result.stderr), result.stderr


def test_version_is_russian() -> None:
    assert _run("frmr", "--version").stdout.startswith("frmr, версия ")


def test_the_compiled_catalogue_is_the_po_file(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None, "msgfmt (Debian: gettext) compiles the catalogue"
    folder = LOCALE_DIR / "ru" / "LC_MESSAGES"
    subprocess.run(
        [msgfmt, "-o", str(tmp_path / "messages.mo"), str(folder / "messages.po")], check=True
    )
    assert (tmp_path / "messages.mo").read_bytes() == (folder / "messages.mo").read_bytes()


def test_registry_commands_print_russian_answers_and_no_log_lines(tmp_path: Path) -> None:
    db = str(tmp_path / "registry.db")
    added = _run(
        "frmr-registry",
        "employee",
        "add",
        "--db",
        db,
        "--snils",
        "112-233-445 95",
        "--last-name",
        "Иванова",
        "--first-name",
        "Мария",
        "--organization",
        "ГБУЗ ГКБ № 1",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Логин: 112-233-445 95")
    # The English log line («employee … entered by …») stays out of the terminal.
    assert added.stderr == ""

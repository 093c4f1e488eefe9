"""`frmr sandbox start|stop|status|approve`: the sandbox registry without reading a pid file."""

from __future__ import annotations

import click

from frmr.cli.context import Context, fail
from frmr.sync.sandbox import Sandbox, approve_qr, is_alive, read_info, stop_sandbox


@click.group()
def sandbox() -> None:
    """Песочница: учебный регистр на этом компьютере (его запускает frmr-tui)."""


@sandbox.command("status")
@click.pass_obj
def status_cmd(state: Context) -> None:
    """Работает ли песочница, её адрес и учётная запись демо-сотрудника."""
    info = read_info(state.settings)
    if not info or not is_alive(state.settings):
        click.echo("Песочница остановлена. Запуск: frmr sandbox start (или frmr-tui).")
        return
    click.echo(f"Песочница работает: {info.get('url')} (процесс {info.get('pid')})")
    if info.get("login"):
        click.echo(f"Логин: {info['login']}, пароль: {info.get('password')}")


@sandbox.command("start")
@click.pass_obj
def start_cmd(state: Context) -> None:
    """Запустить песочницу (уже работающая остаётся как есть)."""
    try:
        info, started = Sandbox(state.settings).keep_up()
    except RuntimeError as exc:
        fail(f"Песочница не запустилась: {exc}")
        return
    verb = "запущена" if started else "уже работает"
    click.echo(f"Песочница {verb}: {info.get('url')} (процесс {info.get('pid')})")


@sandbox.command("stop")
@click.pass_obj
def stop_cmd(state: Context) -> None:
    """Остановить песочницу (следующий frmr-tui запустит её снова)."""
    pid = stop_sandbox(state.settings)
    if pid is None:
        click.echo("Песочница не работала.")
    else:
        click.echo(f"Песочница остановлена (процесс {pid}).")


@sandbox.command("approve")
@click.argument("code")
@click.pass_obj
def approve_cmd(state: Context, code: str) -> None:
    """Подтвердить вход по QR-коду в песочнице: КОД показан под QR-кодом."""
    done = approve_qr(state.settings, code)
    if done.returncode != 0:
        fail(done.stderr.strip().removeprefix("Ошибка: ") or "Вход не подтверждён")
    click.echo(done.stdout.strip())

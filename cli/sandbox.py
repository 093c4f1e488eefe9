"""`frmr sandbox start|stop|status|approve|applications|review`: the sandbox registry without
reading a pid file or knowing where its database lives."""

from __future__ import annotations

import click

from frmr.cli.context import Context, fail
from frmr.model.rules.statuses import DECISIONS
from frmr.sync.registry_url import read_info
from frmr.sync.sandbox import (
    Sandbox,
    approve_qr,
    auto_review_text,
    is_alive,
    registry_admin,
    stop_sandbox,
)


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
    click.echo(auto_review_text(info))


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


def _run_admin(state: Context, *args: str) -> None:
    done = registry_admin(state.settings, *args)
    if done.returncode != 0:
        fail(done.stderr.strip().removeprefix("Ошибка: ") or "Команда песочницы не выполнена")
    click.echo(done.stdout.rstrip("\n"))


@sandbox.command("applications")
@click.pass_obj
def applications_cmd(state: Context) -> None:
    """Заявления в песочнице: номер, статус, дата и причина решения (как их видит регистр)."""
    _run_admin(state, "applications")


@sandbox.command("review")
@click.argument("number", metavar="НОМЕР")
@click.option(
    "--decision",
    required=True,
    type=click.Choice(sorted(s.value for s in DECISIONS)),
    help="passed — аккредитация пройдена, rejected — отклонено, refused — отказано.",
)
@click.option("--reason", default="", help="Причина решения (для rejected и refused — нужна).")
@click.pass_obj
def review_cmd(state: Context, number: str, decision: str, reason: str) -> None:
    """Решение по заявлению на рассмотрении в песочнице, как его вынес бы регистр.

    НОМЕР — номер заявления (ФРМР-2026-000001), как в frmr-tui и frmr sandbox applications.
    Фоновая служба получит решение при следующей синхронизации."""
    reason = reason or ("Аккредитация пройдена" if decision == "passed" else "")
    if not reason:
        fail("Укажите причину решения: --reason «…»")
    _run_admin(state, "review", number, "--decision", decision, "--reason", reason)

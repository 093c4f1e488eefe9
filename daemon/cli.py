"""`frmr-daemon`: run, start, stop, status, sync-now, install-service."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from frmr.console import collector
from frmr.console.russian import use_russian_cli
from frmr.daemon import control_client, launcher
from frmr.daemon.lock import AlreadyRunning
from frmr.daemon.logs import setup_logging
from frmr.daemon.protocol import DaemonStatus
from frmr.daemon.systemd import unit_path, unit_text
from frmr.model.rules.errors import FrmrError
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.rules.text import printable_lines
from frmr.model.store.settings import Settings, SettingsInvalid, load_settings

NOT_RUNNING = "Фоновая служба не запущена"


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsInvalid as error:
        click.echo(f"Ошибка: {error.user_text()}", err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Фоновая служба frmr: папка документов и синхронизация с ФРМР."""


@main.command()
@click.option("--quiet", is_flag=True, help="Писать журнал только в файл.")
def run(quiet: bool) -> None:
    """Работать на переднем плане (журнал — в stderr и в файл)."""
    # Imported here: the service (the store, watchdog; about 0.6 s of CPU) and the HTTP client
    # are not loaded by the other commands, a usage error or a refused registry address.
    from frmr.sync.registry_url import check_transport

    settings = _settings()
    setup_logging(settings.layout.daemon_log, to_stderr=not quiet)
    try:
        check_transport(settings.registry_url, settings.ca_bundle)
        from frmr.daemon.service import Daemon

        collector.started()
        code = Daemon(settings).run()
    except AlreadyRunning as error:
        click.echo(error.user_message, err=True)
        sys.exit(1)
    except FrmrError as error:
        click.echo(f"Ошибка: {error.user_text()}", err=True)
        sys.exit(2)
    sys.exit(code)


@main.command()
def start() -> None:
    """Запустить в фоне."""
    settings = _settings()
    already = launcher.is_running(settings)
    pid = launcher.start_detached(settings)
    click.echo(
        f"Фоновая служба уже работает (процесс {pid})"
        if already
        else f"Фоновая служба запущена (процесс {pid})"
    )


@main.command()
def stop() -> None:
    """Остановить фоновую службу."""
    settings = _settings()
    if not launcher.is_running(settings):
        click.echo(NOT_RUNNING)
        return
    if not launcher.stop(settings):
        click.echo("Фоновая служба не остановилась за 5 секунд", err=True)
        sys.exit(1)
    click.echo("Фоновая служба остановлена")


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone():%d.%m.%Y %H:%M:%S}" if moment else "—"


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Ответ в JSON.")
def status(as_json: bool) -> None:
    """Состояние фоновой службы."""
    settings = _settings()
    answer = control_client.status(settings.control_socket)
    if answer is None:
        if as_json:
            click.echo(json.dumps({"running": False}))
        else:
            click.echo(NOT_RUNNING)
        sys.exit(3)
    if as_json:
        shown = {"running": True, **answer.model_dump(mode="json")}
        click.echo(printable_lines(json.dumps(shown, ensure_ascii=False, indent=2)))
        return
    click.echo("\n".join(status_lines(answer)))


def status_lines(answer: DaemonStatus) -> list[str]:
    """`status` in Russian. Each line says only what the daemon knows: no «с ошибкой» before
    any sync ran, no error line without an error."""
    yes_no = {True: "да", False: "нет", None: "неизвестно"}
    if answer.last_sync_at is None:
        last_sync = "ещё не было" + (" (нужен вход)" if answer.login_required else "")
    else:
        outcome = {True: "успешно", False: "с ошибкой", None: "итог неизвестен"}
        last_sync = f"{_when(answer.last_sync_at)} ({outcome[answer.last_sync_ok]})"
    lines = [
        f"Процесс: {answer.pid}",
        f"ФРМР: {answer.registry_url or 'не задан'} "
        f"(доступен: {yes_no[answer.registry_reachable]})",
        f"Вход выполнен: {yes_no[answer.logged_in]}"
        + (" — нужен вход: frmr login" if answer.login_required else ""),
        f"Последняя синхронизация: {last_sync}",
        f"Не доставлено: {answer.not_delivered}, в очереди: {answer.queued}",
        f"Следующая попытка: {_when(answer.next_retry_at)}",
    ]
    if answer.last_error:
        # An error can quote a file name: escaped, never acted on by the terminal.
        lines.append(f"Последняя ошибка: {printable_lines(answer.last_error)}")
    lines += [
        f"Папка документов: {answer.watched_folder} (ждут приёма: {answer.pending_files})",
        f"Непринятых файлов: {answer.rejected_files}"
        + (f" — последний: {answer.last_rejected}" if answer.last_rejected else ""),
    ]
    if answer.reading is not None:
        lines.append(answer.reading.message)
    elif answer.read_queued:
        lines.append(f"Ожидают чтения: {answer.read_queued}")
    for code, n in sorted(answer.counts_by_status.items()):
        lines.append(f"  {ApplicationStatus(code).label}: {n}")
    return lines


@main.command("sync-now")
def sync_now() -> None:
    """Синхронизировать сейчас."""
    settings = _settings()
    if not control_client.sync_now(settings.control_socket):
        click.echo(NOT_RUNNING, err=True)
        sys.exit(3)
    click.echo("Синхронизация запущена")


@main.command("install-service")
@click.option("--path", "target", type=click.Path(path_type=Path), help="Куда записать unit.")
def install_service(target: Path | None) -> None:
    """Записать unit systemd --user (Type=notify, Restart=on-failure)."""
    settings = _settings()
    path = target or unit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(settings.home, settings.registry_url), encoding="utf-8")
    click.echo(f"Записан {path}")
    click.echo("Включите службу и оставьте её работать после выхода из SSH:")
    click.echo("  systemctl --user daemon-reload")
    click.echo(f"  systemctl --user enable --now {path.name}")
    click.echo(f"  loginctl enable-linger {Path.home().name}")


use_russian_cli(main)


def script() -> None:
    """The installed command (and `python -m`): tests run `main` in their own process."""
    collector.starting()
    main()


if __name__ == "__main__":
    script()

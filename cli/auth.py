"""`frmr login` / `frmr logout`: obtain the token the daemon syncs with, or forget it."""

from __future__ import annotations

import sys
import time

import click

from frmr.cli.context import Context, fail, pass_context, with_context

# The HTTP client and the wire contract (frmr.sync.auth, about 0.25 s of CPU) are imported
# once the address, the arguments and the credentials are accepted: a refused --login, a
# clear-text address or an unreadable login file costs none of it.

QR_POLL_SECONDS = 2.0


def _registry_url(state: Context) -> str:
    from frmr.sync.registry_url import resolve_registry_url

    url = resolve_registry_url(state.settings)
    if url is None:
        fail("не задан адрес ФРМР: укажите FRMR_REGISTRY_URL или запустите песочницу из frmr-tui")
    assert url is not None
    return url


def _first_line(path: str) -> str:
    """The first line of a file, or of stdin for «-» (the password, if it follows, is the next)."""
    if path == "-":
        return sys.stdin.readline().rstrip("\r\n")
    try:
        with open(path, encoding="utf-8") as file:
            return file.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        fail(f"не удалось прочитать логин из файла {path}: нет файла, нет доступа или не UTF-8")


@click.command("login")
# The login is a СНИЛС more often than not: on the command line every user of the machine
# sees it in `ps` and it stays in the shell's history. Kept only to say so and refuse.
@click.option("--login", "login_on_argv", hidden=True)
@click.option(
    "--login-file",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Прочитать логин из первой строки файла («-» — из stdin).",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Прочитать пароль из stdin (после логина, если и он читается из stdin).",
)
@click.option("--qr", is_flag=True, help="Войти по QR-коду из приложения Госуслуги.")
@with_context
def login_cmd(
    state: Context,
    login_on_argv: str | None,
    login_file: str | None,
    password_stdin: bool,
    qr: bool,
) -> None:
    """Войти в личный кабинет ФРМР: фоновая служба синхронизирует данные от вашего имени.

    Логин и пароль спрашиваются, не попадая в командную строку (её видят все
    пользователи компьютера); для скриптов — --login-file и --password-stdin.
    """
    if login_on_argv is not None:
        fail(
            "логин в командной строке видят все пользователи компьютера (ps) и история "
            "оболочки: не указывайте его в --login — программа спросит его сама, "
            "или передайте файлом: --login-file ФАЙЛ (или --login-file - для stdin)"
        )
    from frmr.sync.registry_url import check_transport

    url = _registry_url(state)
    ca_bundle = state.settings.ca_bundle
    # Before the password is asked for: it must not be typed for a URL we won't use.
    check_transport(url, ca_bundle)
    if qr:
        from frmr.sync.auth import poll_qr, start_qr

        challenge = start_qr(url, ca_bundle=ca_bundle)
        click.echo("Отсканируйте QR-код в приложении Госуслуги или откройте ссылку:")
        click.echo(challenge.url)
        click.echo(f"Код: {challenge.code}")
        while (token := poll_qr(url, challenge.code, ca_bundle=ca_bundle)) is None:
            time.sleep(QR_POLL_SECONDS)
    else:
        if login_file is not None:
            login_name = _first_line(login_file)
        else:
            login_name = click.prompt("Логин (СНИЛС, телефон или e-mail)")
        if not login_name.strip():
            fail("логин пуст: укажите СНИЛС, телефон или e-mail")
        password = _first_line("-") if password_stdin else click.prompt("Пароль", hide_input=True)
        from frmr.sync.auth import login

        token = login(url, login_name, password, ca_bundle=ca_bundle)
    from frmr.sync.auth import save_token

    save_token(state.settings.token_path, token)
    click.echo("Вход выполнен. Фоновая служба продолжит синхронизацию.")


@click.command("logout")
@pass_context
def logout_cmd(state: Context) -> None:
    """Выйти: удалить сохранённый токен; синхронизация остановится до следующего входа."""
    from frmr.sync.auth import clear_token

    clear_token(state.settings.token_path)
    click.echo("Выход выполнен.")

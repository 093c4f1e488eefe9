"""``frmr-registry``: serve the registry, enter employees, review, inject faults."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from frmr.console import collector
from frmr.console.russian import use_russian_cli
from frmr.contract.protocol import ADMIN_TOKEN, API_PREFIX, Faults, Paths
from frmr.model.rules.errors import EMPLOYEE_NOT_FOUND, FrmrError
from frmr.model.rules.snils import format_snils, normalize_snils
from frmr.model.rules.statuses import DECISIONS, ApplicationStatus
from frmr.model.rules.text import full_name, printable, printable_lines
from frmr.registry.passwords import one_time_password
from frmr.registry.settings import RegistrySettings, database_url

# The database, the web app and the HTTP client are imported by the commands that use them:
# `seed-demo` or `employee add` need neither FastAPI nor httpx, and a usage error needs
# nothing (about 0.5 and 1 s of CPU less a call).
if TYPE_CHECKING:
    import httpx

    from frmr.registry.db import Database

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    return click.option(
        "--db",
        envvar="FRMR_REGISTRY_DB",
        help="Файл SQLite или адрес postgresql+psycopg:// (по умолчанию — в папке данных).",
    )(func)


ADMIN_TOKEN_ENV = "FRMR_REGISTRY_ADMIN_TOKEN"


def admin_token_option(func: F) -> F:
    """The admin token comes from a file or the environment, never from the command line:
    any local user can read another's arguments in `ps`."""
    return click.option(
        "--admin-token-file",
        envvar="FRMR_REGISTRY_ADMIN_TOKEN_FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Файл с токеном администратора для /admin (или переменная {ADMIN_TOKEN_ENV}).",
    )(func)


def read_admin_token(path: Path | None) -> str | None:
    if path is None:
        return os.environ.get(ADMIN_TOKEN_ENV) or None
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise click.ClickException(
            f"Не удалось прочитать файл токена администратора {path}: {error.strerror}"
        ) from None
    if not token:
        raise click.ClickException(f"Файл токена администратора {path} пуст")
    return token


def _open(db: str | None, *, create: bool = False) -> Database:
    """The registry's database; only `serve`, `seed-demo` and `employee add` create one."""
    from frmr.registry.db import prepare_database

    try:
        url = database_url(db, create=create)
    except FrmrError as error:
        raise click.ClickException(error.user_text()) from None
    return prepare_database(RegistrySettings(db_url=url))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Регистр ФРМР для frmr: песочница и эталонный сервер протокола."""
    # Logs are English and for the operator: a command's terminal shows only its Russian
    # answer and warnings; `serve` raises the level for its request log.
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Адрес для подключений.")
@click.option(
    "--port", default=8000, show_default=True, type=int, help="Порт; 0 — любой свободный."
)
@click.option("--port-file", type=click.Path(path_type=Path), help="Записать сюда выбранный порт.")
@db_option
@click.option(
    "--auto-review",
    "auto_review",
    type=float,
    help="Решать по заявлениям сами через столько секунд.",
)
@admin_token_option
@click.option("--sandbox", is_flag=True, help="Сообщать в /health, что это песочница.")
@click.option("--workers", default=1, show_default=True, type=int, help="Число процессов.")
def serve(
    host: str,
    port: int,
    port_file: Path | None,
    db: str | None,
    auto_review: float | None,
    admin_token_file: Path | None,
    sandbox: bool,
    workers: int,
) -> None:
    """Запустить регистр (HTTP)."""
    from frmr.registry.serving import serve_app

    logging.getLogger().setLevel(logging.INFO)
    settings = RegistrySettings.load(
        db_url=database_url(db),
        sandbox=sandbox,
        admin_token=read_admin_token(admin_token_file),
        auto_review_seconds=auto_review,
    )
    if workers == 1:
        # This process serves: the app is built here, its database prepared once, before
        # anything listens.
        from frmr.registry.app import create_app

        app = create_app(settings)
        collector.started()
        serve_app(app, host, port, workers, port_file)
        return
    from frmr.registry.db import prepare_database

    prepare_database(settings).engine.dispose()  # the schema exists before workers start
    os.environ.update(settings.to_env())
    serve_app("frmr.registry.app:create_app_from_env", host, port, workers, port_file, factory=True)


@main.group()
def employee() -> None:
    """Сотрудники, внесённые организацией (войти могут только они)."""


# A password on the command line is visible to every user of the machine (`ps`) and stays
# in the shell's history: it comes from stdin or a file instead.
password_stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Прочитать пароль из первой строки stdin."
)
password_file_option = click.option(
    "--password-file",
    type=click.Path(dir_okay=False),
    help="Прочитать пароль из первой строки файла.",
)


def _given_password(stdin: bool, path: str | None) -> str | None:
    """The password from stdin or a file, None when neither is given; refuses an empty one."""
    if stdin and path:
        raise click.UsageError("укажите что-то одно: --password-stdin или --password-file")
    if stdin:
        line = sys.stdin.readline()
    elif path:
        try:
            with open(path, encoding="utf-8") as file:
                line = file.readline()
        except (OSError, UnicodeDecodeError):
            raise click.ClickException(
                f"не удалось прочитать пароль из файла {path}: нет файла, нет доступа или не UTF-8"
            ) from None
    else:
        return None
    password = line.rstrip("\r\n")
    if not password:
        raise click.ClickException("пароль пуст: первая строка должна содержать пароль")
    return password


@employee.command("add")
@db_option
@click.option("--snils", required=True, help="СНИЛС.")
@click.option("--last-name", required=True, help="Фамилия.")
@click.option("--first-name", required=True, help="Имя.")
@click.option("--patronymic", help="Отчество.")
@click.option("--organization", required=True, help="Организация.")
@click.option("--position", help="Должность.")
@click.option("--phone", help="Телефон.")
@click.option("--email", help="Электронная почта.")
@password_stdin_option
@password_file_option
def employee_add(
    db: str | None, password_stdin: bool, password_file: str | None, **fields: str | None
) -> None:
    """Внести сотрудника; печатает логин и пароль (одноразовый, если свой не передан)."""
    password = _given_password(password_stdin, password_file)
    # After the password is read: a refused one costs no database import.
    from frmr.registry.employees import EmployeeExists, NewEmployee, add_employee

    secret = password or one_time_password()
    try:
        with _open(db, create=True).write() as session:
            added = add_employee(session, NewEmployee(**fields), secret)  # type: ignore[arg-type]
    except FrmrError as error:
        raise click.ClickException(error.user_text()) from None
    except EmployeeExists:
        raise click.ClickException("Сотрудник с этим СНИЛС уже внесён") from None
    click.echo(f"Логин: {format_snils(added.snils)}")
    if password is None:
        click.echo(f"Одноразовый пароль: {secret}")


@employee.command("list")
@db_option
def employee_list(db: str | None) -> None:
    """Внесённые сотрудники: СНИЛС, ФИО, организация."""
    from frmr.registry.employees import active_employees

    with _open(db).read() as session:
        for person in active_employees(session):
            card = person.card
            name = full_name(
                card.get("last_name", ""), card.get("first_name", ""), card.get("patronymic")
            )
            # Stored text is data: escaped, so a name can't drive the operator's terminal.
            fields = (format_snils(person.snils), name, person.organization)
            click.echo("\t".join(printable(field) for field in fields))


@employee.command("remove")
@db_option
@click.option("--snils", required=True, help="СНИЛС.")
@click.option("--reason", required=True, help="Причина удаления.")
def employee_remove(db: str | None, snils: str, reason: str) -> None:
    """Удалить запись о сотруднике (по запросу организации)."""
    from frmr.registry.employees import remove_employee

    try:
        with _open(db).write() as session:
            removed = remove_employee(session, snils, reason)
    except FrmrError as error:
        raise click.ClickException(error.user_text()) from None
    if removed is None:
        raise click.ClickException(EMPLOYEE_NOT_FOUND)
    click.echo(f"Удалён: {format_snils(removed.snils)}")


@main.command("seed-demo")
@db_option
@password_stdin_option
@password_file_option
def seed_demo_command(db: str | None, password_stdin: bool, password_file: str | None) -> None:
    """Внести демо-сотрудника с заполненным портфолио; печатает логин и пароль."""
    password = _given_password(password_stdin, password_file)
    from frmr.registry.seed import seed_demo

    secret = password or one_time_password()
    with _open(db, create=True).write() as session:
        demo = seed_demo(session, secret)
    click.echo(f"Логин: {format_snils(demo.snils)}")
    if password is None:
        click.echo(f"Пароль: {secret}")


@main.command()
@db_option
@click.argument("app_id", metavar="НОМЕР")
@click.option(
    "--decision",
    required=True,
    type=click.Choice(sorted(s.value for s in DECISIONS)),
    help="passed — пройдена, rejected — отклонено, refused — отказано.",
)
@click.option("--reason", required=True, help="Причина решения.")
def review(db: str | None, app_id: str, decision: str, reason: str) -> None:
    """Решение по заявлению на рассмотрении (НОМЕР — его номер, ФРМР-2026-000001, или id)."""
    from frmr.registry.errors import ApiError
    from frmr.registry.review import decide

    try:
        decided = decide(_open(db), app_id, ApplicationStatus(decision), reason)
    except FrmrError as error:
        raise click.ClickException(error.user_text()) from None
    except ApiError as error:
        raise click.ClickException(error.message) from None
    click.echo(printable(f"{decided.number}: {ApplicationStatus(decided.status).label}"))


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Вывести JSON.")
def applications(db: str | None, as_json: bool) -> None:
    """Все заявления: номер, статус, дата и причина решения (ключи — в --json)."""
    from sqlmodel import col, select

    from frmr.registry.tables import Application, Employee, IdempotencyRecord

    with _open(db).read() as session:
        rows = session.exec(select(Application).order_by(col(Application.created_at))).all()
        keys: dict[str, list[str]] = {}
        for record in session.exec(
            select(IdempotencyRecord).order_by(col(IdempotencyRecord.created_at))
        ).all():
            if record.application_id:
                keys.setdefault(record.application_id, []).append(record.key)
        snils = dict(session.exec(select(Employee.id, Employee.snils)).all())
    listing: list[dict[str, Any]] = [
        {
            "id": a.id,
            "number": a.number,
            "person_snils": snils.get(a.person_id),
            "status": a.status,
            "status_reason": a.status_reason,
            "idempotency_keys": keys.get(a.id, []),
            "created_at": a.created_at.isoformat(),
        }
        for a in rows
    ]
    if as_json:
        click.echo(printable_lines(json.dumps(listing, ensure_ascii=False, indent=2)))
        return
    click.echo(_applications_table(listing))


def _applications_table(listing: list[dict[str, Any]]) -> str:
    """Aligned columns a person reads at 80 columns: a tab-separated line ran the status into
    the next field, and the idempotency keys (kept in --json) mean nothing to a reviewer."""
    if not listing:
        return "Заявлений нет."
    header = ("Номер", "Статус", "Создано", "Причина")
    rows = [
        (
            item["number"] or item["id"],
            ApplicationStatus(item["status"]).label,
            item["created_at"][:10],
            item["status_reason"] or "",
        )
        for item in listing
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(3)]
    return "\n".join(
        printable(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
        ).rstrip()
        for row in (header, *rows)
    )


def _admin(url: str, token: str | None) -> httpx.Client:
    import httpx

    if not token:
        raise click.ClickException(
            f"Укажите --admin-token-file или переменную окружения {ADMIN_TOKEN_ENV}"
        )
    return httpx.Client(base_url=url, headers={ADMIN_TOKEN: token}, timeout=10)


def _echo_faults(response: httpx.Response) -> None:
    if response.is_error:
        raise click.ClickException(printable(f"{response.status_code}: {response.text}"))
    click.echo(json.dumps(response.json(), indent=2))


@main.group()
@click.option(
    "--url",
    envvar="FRMR_REGISTRY_URL",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Адрес регистра.",
)
@admin_token_option
@click.pass_context
def faults(ctx: click.Context, url: str, admin_token_file: Path | None) -> None:
    """Сбои работающего регистра (через его /admin)."""
    ctx.obj = (url, read_admin_token(admin_token_file))


@faults.command("show")
@click.pass_obj
def faults_show(obj: tuple[str, str | None]) -> None:
    """Показать действующие сбои."""
    with _admin(*obj) as client:
        _echo_faults(client.get(Paths.ADMIN_FAULTS))


@faults.command("set")
@click.option("--error-rate", type=float, default=0.0, help="Доля ответов с ошибкой.")
@click.option(
    "--error-status", type=click.Choice(["500", "503"]), default="503", help="Код ошибки."
)
@click.option("--latency-ms", type=int, default=0, help="Задержка ответа, мс.")
@click.option("--rate-limit-rate", type=float, default=0.0, help="Доля ответов 429.")
@click.option("--retry-after", "retry_after_s", type=int, default=1, help="Retry-After, с.")
@click.option("--drop-before-rate", type=float, default=0.0, help="Доля разрывов до обработки.")
@click.option(
    "--drop-after-commit-rate", type=float, default=0.0, help="Доля разрывов после записи."
)
@click.option("--delivery-failure-rate", type=float, default=0.0, help="Доля «Не доставлено».")
@click.option("--path-prefix", default=API_PREFIX, show_default=True, help="Только для этих путей.")
@click.option("--budget", type=int, help="Остановиться после стольких сбоев.")
@click.pass_obj
def faults_set(obj: tuple[str, str | None], /, error_status: str, **fields: Any) -> None:
    """Заменить действующие сбои (не указанные выключаются)."""
    body = Faults(error_status=int(error_status), **fields)
    with _admin(*obj) as client:
        _echo_faults(client.put(Paths.ADMIN_FAULTS, json=body.model_dump(mode="json")))


@faults.command("clear")
@click.pass_obj
def faults_clear(obj: tuple[str, str | None]) -> None:
    """Выключить все сбои."""
    with _admin(*obj) as client:
        _echo_faults(client.delete(Paths.ADMIN_FAULTS))


@main.group()
def qr() -> None:
    """Вход по QR-коду (в песочнице — вместо приложения Госуслуги)."""


@qr.command("approve")
@db_option
@click.argument("code")
@click.option("--snils", help="СНИЛС подтверждающего (по умолчанию — единственный сотрудник).")
def qr_approve(db: str | None, code: str, snils: str | None) -> None:
    """Подтвердить вход по КОДУ, показанному под QR-кодом."""
    from frmr.registry.auth import approve_qr
    from frmr.registry.employees import active_employees

    with _open(db).write() as session:
        people = active_employees(session)
        if snils:
            wanted = normalize_snils(snils)
            people = [p for p in people if p.snils == wanted]
        if len(people) != 1:
            raise click.ClickException(
                "Укажите --snils сотрудника" if people else "Сотрудник не найден"
            )
        if not approve_qr(session, code, people[0].id):
            raise click.ClickException("Код входа не найден или истёк")
    click.echo(f"Вход подтверждён: {format_snils(people[0].snils)}")


use_russian_cli(main)


def script() -> None:
    """The installed command (and `python -m`): tests run `main` in their own process."""
    collector.starting()
    main()


if __name__ == "__main__":
    script()

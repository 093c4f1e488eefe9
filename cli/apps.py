"""`frmr apps`: accreditation applications.

The ORM-backed actions (model.actions.*) are imported inside the commands that change
applications; `list`, `show` and `history` read through model.store.reads.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from frmr.cli.context import Context, echo_json, when, with_context
from frmr.cli.documents import EXISTING_FILE
from frmr.model.rules.dates import format_date
from frmr.model.rules.education import EducationLevel
from frmr.model.rules.limits import quota_text
from frmr.model.rules.statuses import ApplicationKind
from frmr.model.rules.text import printable, printable_lines
from frmr.model.store.reads.applications import (
    ApplicationView,
    application_view,
    application_views,
    find_application_id,
)

if TYPE_CHECKING:
    from frmr.model.readiness.findings import Finding


def _line(view: ApplicationView) -> str:
    a = view.app
    number = a.number or "—"
    updated = format_date(a.updated_at.astimezone().date())
    return (
        f"{a.id[:8]}  {number:<18} {a.kind.label[:13]:<13}  {a.specialty_name[:28]:<28}  "
        f"{a.status.label:<22} {updated}"
    )


def _details(view: ApplicationView) -> None:
    a = view.app
    click.echo(f"Заявление {a.number or 'без номера'} ({a.id})")
    click.echo(f"  Вид: {a.kind.label}")
    click.echo(f"  Специальность: {a.specialty_name} ({a.specialty_code})")
    if a.education_level:
        click.echo(f"  Образование: {EducationLevel(a.education_level).label}")
    click.echo(f"  Статус: {a.status.label} — {a.status.meaning}")
    if a.status_reason:
        click.echo(f"  Причина: {printable_lines(a.status_reason)}")
    click.echo(f"  Телефон: {a.phone}, e-mail: {a.email}")
    click.echo(f"  Согласование отчёта: {'Да' if view.report_agreed else 'Нет'} (из отчёта)")
    if view.portfolio_documents:
        click.echo(f"  Дополнительные документы портфолио ({len(view.portfolio_documents)}):")
        for item in view.portfolio_documents:
            name, file_name = printable(item.name), printable(item.file_name)
            click.echo(f"    {item.part.label} часть: {name} — файл {file_name}")
    if a.comment:
        click.echo(f"  Комментарий: {printable_lines(a.comment)}")
    click.echo(f"  Папка для файлов: {view.folder}")
    click.echo(f"  Файлы ({quota_text(len(view.documents), view.total_bytes)}):")
    for d in view.documents:
        click.echo(f"    {printable(d.file_name)}")


@click.group()
def apps() -> None:
    """Заявления на аккредитацию."""


@apps.command("list")
@click.option("--json", "as_json", is_flag=True)
@with_context
def list_cmd(ctx: Context, as_json: bool) -> None:
    """Все заявления."""
    with ctx.reader() as read:
        views = application_views(read.conn, read.layout.documents_dir)
    if as_json:
        echo_json([v.as_json() for v in views])
        return
    for view in views:
        click.echo(_line(view))


@apps.command("show")
@click.argument("app_id")
@click.option("--json", "as_json", is_flag=True)
@with_context
def show(ctx: Context, app_id: str, as_json: bool) -> None:
    """Заявление подробно."""
    from frmr.cli.documents import rejected_json
    from frmr.model.rules.replacements import describe
    from frmr.model.store.reads.intake import refused_files, replacement_json, replacements

    with ctx.reader() as read:
        view = application_view(read.conn, read.layout.documents_dir, app_id)
        refused = refused_files(read.conn, application_id=view.app.id)
        replaced = replacements(read.conn, view.app.id)
    if as_json:
        echo_json(
            {
                **view.as_json(),
                "rejected_files": [rejected_json(r) for r in refused],
                "replacements": [replacement_json(r) for r in replaced],
            }
        )
        return
    _details(view)
    if refused:
        click.echo(f"  Не приняты из папки ({len(refused)}):")
        for r in refused:
            click.echo(f"    {printable(r.file_name)} — {when(r.at)}: {printable(r.reason)}")
    if replaced:
        click.echo(f"  Замены файлов ({len(replaced)}):")
        for row in replaced:
            click.echo(f"    {when(row.at)} {printable(describe(row))}")


@apps.command("new")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in ApplicationKind]),
    default=ApplicationKind.PERIODIC.value,
    show_default=True,
)
@click.option("--specialty", required=True, help="Код или название («Терапия»).")
@click.option("--phone", required=True)
@click.option("--email", required=True)
@click.option(
    "--education-level",
    type=click.Choice([level.value for level in EducationLevel]),
    default=None,
    help="По умолчанию — по специальности.",
)
@click.option("--comment", default=None)
@with_context
def new(
    ctx: Context,
    kind: str,
    specialty: str,
    phone: str,
    email: str,
    education_level: str | None,
    comment: str | None,
) -> None:
    """Добавить заявление (черновик); печатает его идентификатор."""
    from frmr.model.applications.lifecycle import new_application

    view = new_application(
        ctx.account,
        kind=ApplicationKind(kind),
        specialty=specialty,
        phone=phone,
        email=email,
        education_level=education_level,
        comment=comment,
    )
    click.echo(view.app.id)


@apps.command("attach")
@click.argument("app_id")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@with_context
def attach(ctx: Context, app_id: str, files: tuple[Path, ...]) -> None:
    """Приложить файлы (не более 5 и 10 МБ на заявление; PDF, JPEG, PNG)."""
    from frmr.model.documents.library import attach_files

    docs = attach_files(ctx.account, app_id, list(files))
    for d in docs:
        click.echo(f"Приложен: {printable(d.file_name)}")


@apps.command("detach")
@click.argument("app_id")
@click.argument("document_id")
@with_context
def detach(ctx: Context, app_id: str, document_id: str) -> None:
    """Открепить документ (он остаётся в библиотеке)."""
    from frmr.model.documents.library import detach_document

    detach_document(ctx.account, app_id, document_id)
    click.echo("Откреплён")


@apps.command("check")
@click.argument("app_id")
@with_context
def check(ctx: Context, app_id: str) -> None:
    """Проверить заявление, ничего не меняя.

    Код выхода 0 — «Готово»; 1 — «Готово с оговорками» или «Не готово».
    """
    from frmr.model.applications.lifecycle import check_application
    from frmr.model.readiness.findings import Verdict

    checked = check_application(ctx.account, app_id)
    click.echo(f"Готовность: {checked.verdict.label}")
    for p in checked.problems:
        click.echo(f"✗ {p.message}: {p.detail}\n  Что сделать: {p.fix}")
    _echo_caveats(checked.caveats)
    sys.exit(0 if checked.verdict is Verdict.READY else 1)


def _echo_caveats(caveats: Sequence[Finding]) -> None:
    for f in caveats:
        click.echo(f"! Оговорка: {f.message}: {f.detail}\n  Что сделать: {f.fix}")
        click.echo(f"  Правило: {f.source}")


@apps.command("form")
@click.argument("app_id")
@with_context
def form(ctx: Context, app_id: str) -> None:
    """Сформировать заявление (с проверками портфолио и готовности)."""
    from frmr.model.applications.lifecycle import check_application, form_application

    view = form_application(ctx.account, app_id)
    click.echo(f"Статус: {view.app.status.label}")
    checked = check_application(ctx.account, app_id)
    click.echo(f"Готовность: {checked.verdict.label}")
    _echo_caveats(checked.caveats)


@apps.command("submit")
@click.argument("app_id")
@with_context
def submit(ctx: Context, app_id: str) -> None:
    """Подать заявление: демон отправит его в регистр."""
    from frmr.model.applications.lifecycle import submit_application

    view = submit_application(ctx.account, app_id)
    click.echo(f"Статус: {view.app.status.label}")


@apps.command("cancel")
@click.argument("app_id")
@click.option("--reason", default=None)
@click.option("--yes", is_flag=True, help="Не спрашивать подтверждения.")
@with_context
def cancel(ctx: Context, app_id: str, reason: str | None, yes: bool) -> None:
    """Отменить заявление."""
    from frmr.model.applications.lifecycle import cancel_application

    if not yes:
        click.confirm("Отменить заявление? Это нельзя вернуть", abort=True)
    view = cancel_application(ctx.account, app_id, reason)
    click.echo(f"Статус: {view.app.status.label}")


@apps.command("history")
@click.argument("app_id")
@click.option("--json", "as_json", is_flag=True)
@with_context
def history(ctx: Context, app_id: str, as_json: bool) -> None:
    """История статусов."""
    from frmr.model.store.reads.transitions import read_history

    with ctx.reader() as read:
        entries = read_history(read.conn, find_application_id(read.conn, app_id))
    if as_json:
        echo_json([e.as_json() for e in entries])
        return
    for e in entries:
        line = f"{when(e.at)}  {e.to_status.label:<22} ({e.actor.label})"
        click.echo(line + (f" — {printable_lines(e.reason)}" if e.reason else ""))


@apps.command("package")
@click.argument("app_id")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_context
def package(ctx: Context, app_id: str, directory: Path | None) -> None:
    """Собрать папку для подачи на портале: файлы PDF и ПОДАЧА.txt с полями заявления."""
    from frmr.model.applications.portal_package import build_package, write_package
    from frmr.model.rules.limits import format_size

    settings = ctx.settings
    ready = build_package(
        ctx.account,
        app_id,
        template=settings.pack_name_template,
        profile=settings.pack_profile,
    )
    app = ready.application
    target = directory or Path.cwd() / f"Заявление {app.number or app.id[:8]}"
    write_package(ready, target)
    click.echo(f"Папка для подачи: {target}")
    for f in ready.files:
        click.echo(f"  {printable(f.name)}  ({f.pages} л., {format_size(f.size)})")
    click.echo(f"  ПОДАЧА.txt — что ввести на портале; всего {format_size(ready.total_bytes)}")

"""`frmr portfolio`: education, courses, certificates, employment, skills, additional
documents, report, addresses."""

from __future__ import annotations

import click

from frmr.cli.context import (
    Context,
    echo_json,
    fail,
    field_values,
    pass_context,
    reports_errors,
)
from frmr.cli.proposals import proposals
from frmr.model.portfolio.edits import (
    COLLECTIONS,
    add_row,
    collection,
    delete_row,
    list_rows,
    portfolio_summary,
    row_as_dict,
    update_row,
)
from frmr.model.portfolio.library_links import document_names
from frmr.model.rules.dates import format_date

SECTION = click.Choice(list(COLLECTIONS))


@click.group()
def portfolio() -> None:
    """Портфолио и другие списки профиля."""


portfolio.add_command(proposals)


@portfolio.command("list")
@click.argument("section", type=SECTION)
@click.option("--json", "as_json", is_flag=True)
@pass_context
@reports_errors
def list_cmd(ctx: Context, section: str, as_json: bool) -> None:
    """Показать записи раздела."""
    spec = collection(section)
    rows = list_rows(ctx.account, section)
    if as_json:
        echo_json([row_as_dict(spec, r) for r in rows])
        return
    # As the TUI shows them: labels for choices, dates as dd.mm.yyyy, a library document by
    # its file name rather than its id.
    names = document_names(ctx.account, {getattr(r, f) for r in rows for f in spec.documents})
    for row in rows:
        shown = []
        for f in spec.fields:
            value = getattr(row, f.name)
            if value in (None, ""):
                continue
            text = names.get(value, value) if f.name in spec.documents else f.display(value)
            shown.append(f"{f.label}: {text}")
        click.echo(f"{row.id[:8]}  {', '.join(shown)}")


@portfolio.command("fields")
@click.argument("section", type=SECTION)
def fields(section: str) -> None:
    """Поля раздела (для add и edit)."""
    spec = collection(section)
    for f in spec.fields:
        hint = " — номер из «frmr documents list»" if f.name in spec.documents else ""
        click.echo(f"{f.name:<16} {f.label}{' (обязательно)' if f.required else ''}{hint}")


@portfolio.command("add")
@click.argument("section", type=SECTION)
@click.argument("values", nargs=-1, required=True)
@pass_context
@reports_errors
def add(ctx: Context, section: str, values: tuple[str, ...]) -> None:
    """Добавить запись: поле=значение …

    Пример: frmr portfolio add employment organization="ГБУЗ ГКБ №1" position=Врач-терапевт
    position_type=main begin_date=01.02.2020

    Дополнительный документ (файл — из «frmr documents list»): frmr portfolio add
    additional-documents name="Смирнов А.В. трудовая книжка на 3 л." part=professional
    document_id=1a2b3c4d
    """
    row = add_row(ctx.account, section, field_values(values))
    click.echo(row.id)


@portfolio.command("edit")
@click.argument("section", type=SECTION)
@click.argument("row_id")
@click.argument("values", nargs=-1, required=True)
@click.option(
    "--if-version",
    type=click.IntRange(min=0),
    help="Сохранить, только если версия записи всё ещё эта (см. list --json).",
)
@pass_context
@reports_errors
def edit(
    ctx: Context, section: str, row_id: str, values: tuple[str, ...], if_version: int | None
) -> None:
    """Изменить запись (с --if-version — не поверх чужого изменения)."""
    from frmr.model.rules.record_version import RecordChanged

    try:
        update_row(ctx.account, section, row_id, field_values(values), if_version=if_version)
    except RecordChanged as changed:
        fail(
            f"{changed.user_message}: версия записи сейчас {changed.current}, "
            f"а не {changed.expected}. Перечитайте её (frmr portfolio list {section} --json) "
            "и повторите изменение с новой версией"
        )
    click.echo("Сохранено")


@portfolio.command("remove")
@click.argument("section", type=SECTION)
@click.argument("row_id")
@pass_context
@reports_errors
def remove(ctx: Context, section: str, row_id: str) -> None:
    """Удалить запись."""
    delete_row(ctx.account, section, row_id)
    click.echo("Удалено")


@portfolio.command("summary")
@click.option("--json", "as_json", is_flag=True)
@pass_context
@reports_errors
def summary(ctx: Context, as_json: bool) -> None:
    """Стаж, отчётный период и часы обучения в нём."""
    s = portfolio_summary(ctx.account)
    if as_json:
        echo_json(
            {
                "seniority": {
                    "years": s.seniority.years,
                    "months": s.seniority.months,
                    "days": s.seniority.days,
                    "total_days": s.seniority.total_days,
                },
                "period": {
                    "specialty": s.period.specialty,
                    "start": s.period.period.start.isoformat(),
                    "end": s.period.period.end.isoformat(),
                },
                "hours_in_period": s.hours_in_period,
                "last_accreditation": s.last_accreditation.isoformat()
                if s.last_accreditation
                else None,
            }
        )
        return
    click.echo(f"Стаж: {s.seniority}")
    click.echo(f"Отчётный период {s.period}")
    if s.last_accreditation:
        click.echo(f"Последняя аккредитация: {format_date(s.last_accreditation)}")
    if s.hours_in_period is None:
        click.echo(s.hours_label)
    else:
        click.echo(f"{s.hours_label}: {s.hours_in_period} из {s.hours_required}")

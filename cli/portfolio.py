"""`frmr portfolio`: education, courses, certificates, employment, skills, additional
documents, report, addresses.

`list` and `summary` read through model.store.reads; the ORM-backed editors are imported by
the commands that change a row.
"""

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
from frmr.cli.lazy import LazyCommand, LazyGroup
from frmr.model.portfolio.collections import COLLECTIONS, collection, row_as_dict
from frmr.model.rules.dates import format_date

SECTION = click.Choice(list(COLLECTIONS))


@click.group(
    cls=LazyGroup,
    lazy_commands={
        # Its module reads and writes proposals through the ORM: loaded when it runs.
        "proposals": LazyCommand(
            "frmr.cli.proposals:proposals",
            "Курсы, предложенные из документов: подтвердить, исправить или отклонить.",
        )
    },
)
def portfolio() -> None:
    """Портфолио и другие списки профиля."""


@portfolio.command("list")
@click.argument("section", type=SECTION)
@click.option("--json", "as_json", is_flag=True)
@pass_context
@reports_errors
def list_cmd(ctx: Context, section: str, as_json: bool) -> None:
    """Показать записи раздела."""
    from frmr.model.store.reads.portfolio import read_listing

    spec = collection(section)
    with ctx.reader() as read:
        listing = read_listing(read.conn, section)
    if as_json:
        echo_json([row_as_dict(spec, r) for r in listing.rows])
        return
    # As the TUI shows them: labels for choices, dates as dd.mm.yyyy, a library document by
    # its file name rather than its id.
    names = listing.linked
    for row in listing.rows:
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
    from frmr.model.portfolio.edits import add_row

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
    from frmr.model.portfolio.edits import update_row
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
    from frmr.model.portfolio.edits import delete_row

    delete_row(ctx.account, section, row_id)
    click.echo("Удалено")


@portfolio.command("summary")
@click.option("--json", "as_json", is_flag=True)
@pass_context
@reports_errors
def summary(ctx: Context, as_json: bool) -> None:
    """Стаж, отчётный период и часы обучения в нём."""
    from frmr.model.portfolio.summary import portfolio_summary
    from frmr.model.readiness.rules import load_rules
    from frmr.model.rules.clock import today

    settings = ctx.settings
    rules = load_rules(pk_hours=settings.readiness_pk_hours, window=settings.readiness_window)
    with ctx.reader() as read:
        s = portfolio_summary(read.conn, rules, today())
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

"""`frmr report`: the report on professional activity — show, edit, PDF, DOCX, attach.

`show`, `pdf` and `docx` read through model.store.reads when the report's facts need no
refresh; the ORM-backed model.report.record is imported only to write a refresh, or to change the
report.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from frmr.cli.context import Context, echo_json, fail, field_values, with_context
from frmr.model.report.blocks import BLOCKS, FACTS, SIGNER_FIELDS, all_field_names
from frmr.model.report.variant import ReportVariant
from frmr.model.report.view import ReportView
from frmr.model.rules.clock import today
from frmr.model.rules.text import printable
from frmr.model.store.reads.report import read_report


def _view(ctx: Context) -> ReportView:
    """The report as shown and printed: from sqlite3 when nothing needs saving."""
    with ctx.reader() as read:
        view = read_report(read.conn, today())
    if view is None:
        from frmr.model.report.record import load_report

        view = load_report(ctx.account)
    return view


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Producing a file once and exiting: the cyclic collector ran ≈ 145 times and took
    0.10–0.15 s (13–16 % of the CPU) of a `frmr report pdf`, nearly all while fpdf2 and
    fontTools import, to free some 230 objects (peak memory the same, 57 MiB). Mercurial's
    `util.nogc` pauses it the same way while it builds large structures."""
    gc.disable()
    try:
        yield
    finally:
        # Re-enabled as it was, the next collection would walk everything made meanwhile.
        gc.freeze()
        gc.enable()


@click.group()
def report() -> None:
    """Отчёт о профессиональной деятельности."""


@report.command("show")
@click.option("--json", "as_json", is_flag=True)
@with_context
def show(ctx: Context, as_json: bool) -> None:
    """Показать отчёт: сведения, блоки, согласование."""
    view = _view(ctx)
    if as_json:
        echo_json(view.as_json())
        return
    r = view.report
    click.echo(f"Специальность: {view.specialty or 'не указана'}")
    for fact in FACTS:
        mark = " (изменено вами)" if fact.name in view.edited else ""
        click.echo(f"{fact.label}: {view.value(fact.name) or '—'}{mark}")
    for block in BLOCKS:
        text = getattr(r, block.name)
        click.echo(f"\n{block.title} ({len(text)} симв.):")
        click.echo(text or "  —")
    click.echo(f"\nСогласование: {r.variant.label} ({'Да' if r.agreed else 'Нет'})")
    if r.signer_name or r.signer_position:
        click.echo(f"Подписывает: {r.signer_position} {r.signer_name}".rstrip())


@report.command("fields")
def fields() -> None:
    """Поля отчёта (для set)."""
    for fact in FACTS:
        click.echo(f"{fact.name:18} {fact.label}")
    for block in BLOCKS:
        click.echo(f"{block.name:18} {block.title}")
    variants = ", ".join(v.value for v in ReportVariant)
    click.echo(f"{'variant':18} Согласование: {variants}")
    for name, label in SIGNER_FIELDS.items():
        click.echo(f"{name:18} {label}")


@report.command("set")
@click.argument("assignments", nargs=-1)
@click.option(
    "--file",
    "files",
    type=(str, click.File("r", encoding="utf-8")),
    multiple=True,
    metavar="ПОЛЕ ФАЙЛ",
    help="Взять текст поля из файла («-» — из стандартного ввода).",
)
@with_context
def set_cmd(
    ctx: Context, assignments: tuple[str, ...], files: tuple[tuple[str, object], ...]
) -> None:
    """Изменить поля: поле=значение…; пустое значение сведения вернёт его из портфолио."""
    values = field_values(assignments)
    for name, handle in files:
        values[name] = handle.read()  # type: ignore[attr-defined]
    if not values:
        fail("укажите поля: поле=значение. Поля: " + ", ".join(all_field_names()))
    from frmr.model.report.record import update_report

    update_report(ctx.account, values)
    click.echo("Отчёт сохранён")


@report.command("pdf")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@with_context
def pdf(ctx: Context, output: Path | None) -> None:
    """Сформировать PDF для печати и подписи; печатает путь к файлу."""
    from frmr.model.report.files import write_pdf

    with _no_cycle_collection():
        click.echo(write_pdf(_view(ctx), output).path)


@report.command("docx")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@with_context
def docx(ctx: Context, output: Path | None) -> None:
    """Сформировать DOCX для правки в отделе кадров; печатает путь к файлу."""
    from frmr.model.report.files import write_docx

    with _no_cycle_collection():
        click.echo(write_docx(_view(ctx), output).path)


@report.command("attach")
@click.argument("application")
@with_context
def attach(ctx: Context, application: str) -> None:
    """Приложить PDF отчёта к заявлению (заменяет приложенный ранее отчёт)."""
    from frmr.model.report.output import attach_report

    document = attach_report(ctx.account, application)
    click.echo(f"Приложен: {printable(document.file_name)}")

"""`frmr doctor`, `export`, `import`, `specialties`: the store and the reference books."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from frmr.cli.context import Context, echo_json, fail, pass_context, reports_errors
from frmr.model.actions.health import run_checks
from frmr.model.actions.transfer import export_store, import_store, write_export
from frmr.model.reference import (
    ReferenceBook,
    bundled_specialties,
    install_specialties,
    load_positions,
    load_specialties,
    parse_nsi_export,
)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--deep", is_flag=True, help="Перечитать все файлы документов и сверить их контрольные суммы."
)
@pass_context
@reports_errors
def doctor(ctx: Context, as_json: bool, deep: bool) -> None:
    """Проверить хранилище: пути, права, версию схемы, целостность."""
    checks = run_checks(ctx.account, deep=deep)
    if as_json:
        echo_json([{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks])
    else:
        for c in checks:
            click.echo(f"{'ok ' if c.ok else 'ОШИБКА'}  {c.name:<10} {c.detail}")
    if not all(c.ok for c in checks):
        sys.exit(1)


@click.command("export")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path), default="-")
@click.option(
    "--with-files",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Скопировать файлы документов в эту папку (по хешу).",
)
@pass_context
@reports_errors
def export_cmd(ctx: Context, target: Path, with_files: Path | None) -> None:
    """Выгрузить все данные в JSON (в файл или на stdout)."""
    if str(target) == "-":
        echo_json(export_store(ctx.account, with_files))
    else:
        write_export(ctx.account, target, with_files)


@click.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--files",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Папка с файлами документов из export --with-files.",
)
@pass_context
@reports_errors
def import_cmd(ctx: Context, source: Path, files: Path | None) -> None:
    """Загрузить выгрузку в пустое хранилище."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"не удалось прочитать {source}: {exc}")
    count = import_store(ctx.account, data, files)
    click.echo(f"Загружено записей: {count}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--load",
    "load_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Заменить справочник выгрузкой НСИ 1.2.643.5.1.13.13.11.1066 (JSON, XML или CSV).",
)
@pass_context
@reports_errors
def specialties(ctx: Context, as_json: bool, load_file: Path | None) -> None:
    """Справочник специальностей (код и название; «местный» — код не из НСИ)."""
    if load_file is not None:
        book = parse_nsi_export(load_file.read_bytes(), bundled_specialties())
        target = install_specialties(ctx.settings.home, book)
        click.echo(f"Загружено специальностей: {len(book.items)} ({target})")
        return
    _show_book(load_specialties(ctx.settings.home), as_json)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@pass_context
def positions(ctx: Context, as_json: bool) -> None:
    """Справочник должностей (код и название)."""
    _show_book(load_positions(ctx.settings.home), as_json)


def _show_book(book: ReferenceBook, as_json: bool) -> None:
    if as_json:
        echo_json(
            [{"code": i.code, "name": i.name, "level": i.level, "nsi": i.nsi} for i in book.items]
        )
        return
    for item in book.items:
        local = "" if item.nsi else "  (местный код)"
        click.echo(f"{item.code:>5}  {item.name}{local}")

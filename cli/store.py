"""`frmr doctor`, `export`, `import`, `specialties`: the store and the reference books."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from frmr.cli.context import Context, echo_json, fail, pass_context, with_context
from frmr.model.store.health import run_checks
from frmr.model.store.reference import (
    ReferenceBook,
    bundled_specialties,
    install_specialties,
    load_positions,
    load_specialties,
    parse_nsi_export,
)
from frmr.model.store.transfer import export_store, import_store, write_export


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--deep", is_flag=True, help="Перечитать все файлы документов и сверить их контрольные суммы."
)
@with_context
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
@with_context
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
@with_context
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
@click.option(
    "--summary", is_flag=True, help="Сколько специальностей каждого уровня и откуда коды."
)
@with_context
def specialties(ctx: Context, as_json: bool, load_file: Path | None, summary: bool) -> None:
    """Справочник специальностей (код и название; «местный» — код не из НСИ)."""
    if summary:
        _summary(load_specialties(ctx.settings.home), as_json)
        return
    if load_file is not None:
        book = parse_nsi_export(load_file.read_bytes(), bundled_specialties())
        target = install_specialties(ctx.settings.home, book)
        click.echo(f"Загружено специальностей: {len(book.items)} ({target})")
        return
    _show_book(load_specialties(ctx.settings.home), as_json, specialties=True)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@pass_context
def positions(ctx: Context, as_json: bool) -> None:
    """Справочник должностей (код и название)."""
    _show_book(load_positions(ctx.settings.home), as_json)


def _summary(book: ReferenceBook, as_json: bool) -> None:
    levels = {
        "higher": "высшее образование",
        "secondary": "среднее образование",
        None: "уровень не указан",
    }
    counts = {level: sum(i.level == level for i in book.items) for level in levels}
    both = sorted({i.name for i in book.items if book.label(i) != i.name})
    nsi = sum(i.nsi for i in book.items)
    v021 = sum(i.v021 is not None for i in book.items)
    inferred = sum(i.v021_inferred for i in book.items)
    nsi_1066 = sum(bool(i.nsi_1066) for i in book.items)
    if as_json:
        echo_json(
            {
                "oid": book.oid,
                "total": len(book.items),
                "higher": counts["higher"],
                "secondary": counts["secondary"],
                "no_level": counts[None],
                "at_both_levels": both,
                "nsi_codes": nsi,
                "v021": v021,
                "v021_inferred": inferred,
                "nsi_1066": nsi_1066,
            }
        )
        return
    click.echo(f"Специальностей: {len(book.items)} (справочник {book.oid})")
    for level, label in levels.items():
        if counts[level]:
            click.echo(f"  {label}: {counts[level]}")
    click.echo("  на обоих уровнях: " + ", ".join(both))
    click.echo(
        f"Коды: из НСИ {nsi}, местные {len(book.items) - nsi}; код V021 известен для {v021} "
        f"(из них {inferred} выведены по порядку классификатора), коды НСИ 1066 — для {nsi_1066}"
    )


def _show_book(book: ReferenceBook, as_json: bool, *, specialties: bool = False) -> None:
    if as_json:
        rows: list[dict[str, object]] = []
        for i in book.items:
            row: dict[str, object] = {"code": i.code, "name": i.name}
            if specialties:
                row.update(
                    level=i.level,
                    nsi=i.nsi,
                    label=book.label(i),
                    oid=book.oid,
                    v021=i.v021,
                    v021_inferred=i.v021_inferred,
                    nsi_1066=list(i.nsi_1066),
                )
            rows.append(row)
        echo_json(rows)
        return
    for item in book.items:
        local = "" if item.nsi else "  (местный код)"
        click.echo(f"{item.code:>5}  {book.label(item)}{local}")

"""`frmr pack`: files into one PDF that fits the portal's limits."""

from __future__ import annotations

from pathlib import Path

import click

from frmr.cli.context import Context, fail, with_context
from frmr.cli.documents import EXISTING_FILE
from frmr.model.documents.pack_actions import pack_inputs, read_inputs
from frmr.model.profile.card import get_person
from frmr.model.rules.limits import MAX_TOTAL_BYTES, format_size

MIB = 1024 * 1024


@click.command("pack")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@click.option(
    "--budget",
    type=click.FloatRange(min=0.01),
    default=MAX_TOTAL_BYTES / MIB,
    show_default=True,
    help="Предельный размер, МБ.",
)
@click.option("--title", default=None, help="Название документа для имени файла.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, path_type=Path),
    default=None,
    help="Файл или папка для результата (по умолчанию — текущая папка).",
)
@with_context
def pack_cmd(
    ctx: Context, files: tuple[Path, ...], budget: float, title: str | None, output: Path | None
) -> None:
    """Сжать и объединить файлы (PDF, JPEG, PNG, HEIC) в один PDF в порядке перечисления."""
    settings = ctx.settings
    packed = pack_inputs(
        read_inputs(files),
        budget=int(budget * MIB),
        person=get_person(ctx.account),
        template=settings.pack_name_template,
        profile=settings.pack_profile,
        title=title,
    )
    target = output or Path.cwd()
    if target.is_dir():
        target = target / packed.name
    if target.exists():
        fail(f"Файл «{target}» уже есть: укажите другое имя (-o)")
    target.write_bytes(packed.result.data)
    result = packed.result
    click.echo(f"Готово: {target}")
    click.echo(f"  страниц: {result.pages}, {format_size(result.size_after)}")
    click.echo(f"  {result.summary()}")

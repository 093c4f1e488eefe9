"""`frmr documents`: the document library.

The listings read through model.store.reads; the ORM-backed actions are imported inside each
command: `frmr apps` imports this module for EXISTING_FILE, and must not pay for them
(cli/lazy.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from frmr.cli.context import Context, echo_json, when, with_context
from frmr.model.rules.limits import format_size
from frmr.model.rules.text import printable

if TYPE_CHECKING:
    from frmr.model.store.reads.intake import RefusedFile

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def documents() -> None:
    """Библиотека документов."""


@documents.command("list")
@click.option("--json", "as_json", is_flag=True)
@with_context
def list_cmd(ctx: Context, as_json: bool) -> None:
    """Все документы библиотеки."""

    from frmr.model.store.reads.documents import library_documents

    with ctx.reader() as read:
        docs = library_documents(read.conn)
    if as_json:
        echo_json(
            [
                {
                    "id": d.id,
                    "sha256": d.sha256,
                    "file_name": d.file_name,
                    "size": d.size,
                    "kind": d.kind.value,
                    "imported_at": d.imported_at.isoformat(),
                }
                for d in docs
            ]
        )
        return
    for d in docs:
        click.echo(
            f"{d.id[:8]}  {d.kind.label:<4}  {format_size(d.size):>8}  {printable(d.file_name)}"
        )


@documents.command("add")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@with_context
def add(ctx: Context, files: tuple[Path, ...]) -> None:
    """Добавить файлы в библиотеку (исходные файлы не меняются)."""
    from frmr.model.documents.library import import_file

    for path in files:
        result = import_file(ctx.account, path)
        note = "добавлен" if result.created else "уже был в библиотеке"
        click.echo(f"{result.document.id[:8]}  {printable(path.name)}: {note}")


def rejected_json(r: RefusedFile) -> dict[str, Any]:
    return {
        "file_name": r.file_name,
        "reason": r.reason,
        "at": r.at.isoformat(),
        "application_id": r.application_id,
        "rejected_path": r.rejected_path,
    }


@documents.command("rejected")
@click.option("--json", "as_json", is_flag=True)
@with_context
def rejected(ctx: Context, as_json: bool) -> None:
    """Файлы, которые не были приняты из папки документов, с причинами (новые сверху)."""
    from frmr.model.store.reads.intake import refused_files

    with ctx.reader() as read:
        refused = refused_files(read.conn)
    if as_json:
        echo_json([rejected_json(r) for r in refused])
        return
    if not refused:
        click.echo("Непринятых файлов нет")
        return
    for r in refused:
        click.echo(f"{when(r.at)}  {printable(r.file_name)}")
        click.echo(f"    {printable(r.reason)}")
        click.echo(f"    Файл и причина: {printable(r.rejected_path)}")


@documents.command("tag")
@click.argument("document_id")
@click.argument("item", required=False)
@with_context
def tag(ctx: Context, document_id: str, item: str | None) -> None:
    """Отметить, какой пункт списка документов покрывает файл (без ПУНКТА — угадать по имени).

    Пункты: identity, accreditation, retraining, diploma, training, report, employment.
    """
    from frmr.model.readiness.from_store import tag_document

    document = tag_document(ctx.account, document_id, item)
    click.echo(f"{printable(document.file_name)}: {item or 'по имени файла'}")

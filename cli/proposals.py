"""`frmr portfolio proposals`: courses read from dropped documents, to confirm, correct or
dismiss."""

from __future__ import annotations

from pathlib import Path

import click

from frmr.cli.context import Context, echo_json, field_values, with_context
from frmr.model.portfolio.proposal_view import FROM_PORTFOLIO, Proposal, ProposedField
from frmr.model.rules.text import printable
from frmr.model.store.reads.proposals import read_proposals


def _confidence(value: float) -> str:
    return f"{round(value * 100)} %"


def _evidence(field: ProposedField) -> str | None:
    """Where on the scan the value was read: the page and the words around it, the value
    in brackets (bold and underlined on a terminal)."""
    if field.source is None:
        if field.raw == FROM_PORTFOLIO:
            return "не напечатано в документе: взято из портфолио"
        if field.value is not None and not field.corrected:
            return "где на скане прочитано, не записано (прочитано до обновления)"
        return None
    before, value, after = field.source.excerpt()
    marked = click.style(f"[{printable(value)}]", bold=True, underline=True)
    return f"скан, стр. {field.source.page}: {printable(before)}{marked}{printable(after)}"


def _show(proposal: Proposal, *, status: bool = False) -> None:
    kind = proposal.course_kind.label if proposal.course_kind else "—"
    state = f" [{proposal.status.label}]" if status else ""
    click.echo(
        f"{proposal.id[:8]}  {proposal.label} — файл «{printable(proposal.file_name)}»{state}"
    )
    click.echo(f"    Вид курса: {kind}")
    for f in proposal.fields:
        if f.value is None:
            shown = "не прочитано"
        elif f.corrected:
            shown = f"{printable(f.shown)} (исправлено)"
        else:
            shown = f"{printable(f.shown)} (уверенность {_confidence(f.confidence)})"
        click.echo(f"    {f.label} [{f.name}]: {shown}")
        evidence = _evidence(f)
        if evidence is not None:
            click.echo(f"        {evidence}")
    if proposal.limits_note:
        click.echo(f"    Внимание: {proposal.limits_note}")
    click.echo(f"    Картинка скана: frmr portfolio proposals scan {proposal.id[:8]} [поле]")


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Вывести в JSON.")
@click.option("--all", "everything", is_flag=True, help="И решённые, и нераспознанные.")
@click.pass_context
def proposals(click_ctx: click.Context, as_json: bool, everything: bool) -> None:
    """Курсы, предложенные из документов: подтвердить, исправить или отклонить."""
    if click_ctx.invoked_subcommand is not None:
        return
    click_ctx.invoke(_list, as_json=as_json, everything=everything)


@with_context
def _list(ctx: Context, as_json: bool, everything: bool) -> None:
    with ctx.reader() as read:
        rows = read_proposals(read.conn, everything=everything)
    if as_json:
        echo_json([p.as_dict() for p in rows])
        return
    if not rows:
        click.echo("Предложений нет: положите скан удостоверения или сертификата НМО в папку")
        return
    for proposal in rows:
        if everything and proposal.doc_type is None:
            why = f": {printable(proposal.error)}" if proposal.error else ""
            name = printable(proposal.file_name)
            click.echo(f"{proposal.id[:8]}  файл «{name}» [{proposal.status.label}]{why}")
            continue
        _show(proposal, status=everything)


@proposals.command("confirm")
@click.argument("proposal_id")
@click.argument("values", nargs=-1)
@with_context
def confirm_cmd(ctx: Context, proposal_id: str, values: tuple[str, ...]) -> None:
    """Подтвердить предложение (с исправлениями поле=значение …): курс войдёт в портфолио.

    Пример: frmr portfolio proposals confirm 1a2b3c4d hours=72 date_to=01.03.2025
    """
    from frmr.model.portfolio.proposals import confirm

    course_id = confirm(ctx.account, proposal_id, field_values(values))
    click.echo(f"Курс добавлен в портфолио: {course_id[:8]}")


@proposals.command("correct")
@click.argument("proposal_id")
@click.argument("values", nargs=-1, required=True)
@with_context
def correct_cmd(ctx: Context, proposal_id: str, values: tuple[str, ...]) -> None:
    """Исправить поля предложения (поле=значение …), не подтверждая его.

    Поля — в квадратных скобках в «frmr portfolio proposals»; вид курса: kind=dpp_pk,
    nmo_module или nmo_event.
    """
    from frmr.model.portfolio.proposals import correct

    _show(correct(ctx.account, proposal_id, field_values(values)))


@proposals.command("dismiss")
@click.argument("proposal_id")
@with_context
def dismiss_cmd(ctx: Context, proposal_id: str) -> None:
    """Отклонить предложение: документ останется в библиотеке, курса не будет."""
    from frmr.model.portfolio.proposals import dismiss

    dismiss(ctx.account, proposal_id)
    click.echo("Предложение отклонено")


@proposals.command("scan")
@click.argument("proposal_id")
@click.argument("field", required=False)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Куда записать (по умолчанию — папка кэша frmr).",
)
@with_context
def scan_cmd(ctx: Context, proposal_id: str, field: str | None, folder: Path | None) -> None:
    """Записать картинку скана: страницу с обведёнными полями, а с полем — и его фрагмент
    крупно (PNG), чтобы сверить поле с документом.

    Пример: frmr portfolio proposals scan 1a2b3c4d hours --folder .
    """
    from frmr.model.portfolio.proposal_scans import write_scan

    for path in write_scan(ctx.account, proposal_id, field, folder):
        click.echo(str(path))

"""`frmr profile`: the person card.

`frmr profile show` reads through model.store.reads; the ORM-backed actions are imported
to make the card the first time, or to change it.
"""

from __future__ import annotations

import click

from frmr.cli.context import Context, echo_json, fail, pass_context, reports_errors
from frmr.model.profile.card_fields import (
    PROFILE_FIELDS,
    display_value,
    parse_profile_field,
    profile_as_dict,
)
from frmr.model.store.reads.card import read_card


@click.group()
def profile() -> None:
    """Карточка: личные данные."""


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Машиночитаемый вывод.")
@pass_context
@reports_errors
def show(ctx: Context, as_json: bool) -> None:
    """Показать карточку."""
    with ctx.reader() as read:
        person = read_card(read.conn)
    if as_json:
        echo_json(profile_as_dict(person))
        return
    width = max(len(spec.label) for spec in PROFILE_FIELDS.values())
    for name, spec in PROFILE_FIELDS.items():
        value = display_value(name, getattr(person, name)) or "—"
        click.echo(f"{spec.label:<{width}}  {value}")


@profile.command("set")
@click.argument("field", type=click.Choice(list(PROFILE_FIELDS)))
@click.argument("value")
@click.option(
    "--if-version",
    type=click.IntRange(min=0),
    help="Сохранить, только если версия карточки всё ещё эта (см. profile show --json).",
)
@pass_context
@reports_errors
def set_field(ctx: Context, field: str, value: str, if_version: int | None) -> None:
    """Изменить поле карточки (значение проверяется; неверное не сохраняется).

    С --if-version изменение не запишется поверх чужого: если карточку с тех пор
    изменили, команда откажет (код 2) и назовёт текущую версию.
    """
    # Checked before the store is opened: a refused value costs the caller no ORM import
    # (about 0.6 s of CPU); update_profile checks it again inside its transaction.
    parse_profile_field(field, value)
    from frmr.model.profile.card import set_profile_field
    from frmr.model.rules.record_version import RecordChanged

    try:
        person = set_profile_field(ctx.account, field, value, if_version=if_version)
    except RecordChanged as changed:
        fail(
            f"{changed.user_message}: версия карточки сейчас {changed.current}, "
            f"а не {changed.expected}. Перечитайте её (frmr profile show --json) "
            "и повторите изменение с новой версией"
        )
    click.echo(f"{PROFILE_FIELDS[field].label}: {display_value(field, getattr(person, field))}")

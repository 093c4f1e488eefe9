"""`frmr notify`: send a test notification, show the outbox, choose which events go where."""

from __future__ import annotations

import click

from frmr.cli.context import Context, fail, pass_context, when, with_context
from frmr.model.notifications.events import CHOOSABLE, Channel, EventKind, trial_event
from frmr.model.rules.clock import utcnow
from frmr.model.store.reads.notifications import outbox_status, read_choices, recent
from frmr.sync.notice_hook import HookFailed, run_hook
from frmr.sync.notice_mail import MailFailed, configured_channels, password_exposed, send_mail


@click.group("notify")
def notify() -> None:
    """Уведомления о решениях, отклонённых файлах и сроках: почта и своя команда."""


@notify.command("test")
@with_context
def test_cmd(state: Context) -> None:
    """Отправить проверочное уведомление по всем настроенным каналам сейчас."""
    channels = configured_channels(state.settings)
    if not channels.enabled:
        fail(
            "уведомления не настроены: укажите notify_email и smtp_host или notify_command "
            "в файле настроек (README, «Уведомления»)"
        )
    event = trial_event(utcnow())
    failed = False
    if channels.command:
        try:
            run_hook(channels.command, event, state.settings.notify_command_timeout)
            click.echo("Команда: выполнена успешно.")
        except HookFailed as error:
            failed = True
            click.echo(f"Команда: не удалось — {error}", err=True)
    if channels.mail is not None:
        if password_exposed(channels.mail):
            click.echo(
                f"Внимание: файл с паролем {channels.mail.password_file} могут читать другие "
                "пользователи — выполните «chmod 600» для него.",
                err=True,
            )
        try:
            send_mail(channels.mail, [event])
            click.echo(f"Эл. почта: письмо отправлено на {channels.mail.to}.")
        except MailFailed as error:
            failed = True
            click.echo(f"Эл. почта: не удалось — {error}", err=True)
    if failed:
        raise SystemExit(1)


@notify.command("status")
@with_context
def status_cmd(state: Context) -> None:
    """Что настроено, что отправлено, что ждёт повторной попытки."""
    channels = configured_channels(state.settings)
    settings = state.settings
    mail = channels.mail
    click.echo(
        "Эл. почта: "
        + (f"{mail.to} через {mail.host}:{mail.port} ({mail.security})" if mail else "не настроена")
    )
    click.echo("Команда: " + (channels.command or "не задана"))
    if settings.notify_digest_minutes:
        click.echo(f"Сводка: одно письмо за {settings.notify_digest_minutes:g} мин.")
    with state.reader() as read:
        outbox, on_by_kind, rows = (
            outbox_status(read.conn),
            read_choices(read.conn),
            recent(read.conn, 10),
        )
    for line in outbox:
        parts = [f"отправлено {line.sent}", f"ждут {line.waiting}"]
        if line.last_sent_at:
            parts.append(f"последнее {when(line.last_sent_at)}")
        if line.failing:
            parts.append(f"с ошибкой {line.failing}")
        if line.next_attempt_at:
            parts.append(f"повтор {when(line.next_attempt_at)}")
        click.echo(f"  {line.channel.label}: " + ", ".join(parts))
        if line.last_error:
            click.echo(f"    последняя ошибка: {line.last_error}")
    click.echo("События:")
    for kind in CHOOSABLE:
        on = [c.label for c in Channel if on_by_kind[kind][c]]
        click.echo(f"  {kind.value:22} {kind.label}: {', '.join(on) or 'выключено'}")
    if rows:
        click.echo("Последние уведомления:")
    for row in rows:
        state_text = "отправлено" if row.sent_at else f"ждёт (попыток: {row.attempts})"
        click.echo(f"  {when(row.created_at)} {row.channel:5} {row.kind}: {state_text}")


@notify.command("set")
@click.argument("kind", type=click.Choice([k.value for k in CHOOSABLE]))
@click.option("--email/--no-email", default=None, help="Присылать ли это событие письмом.")
@click.option("--hook/--no-hook", default=None, help="Запускать ли для него notify_command.")
@pass_context
def set_cmd(state: Context, kind: str, email: bool | None, hook: bool | None) -> None:
    """Выбрать, куда сообщать о событии KIND (список — в «frmr notify status»)."""
    if email is None and hook is None:
        fail("укажите --email/--no-email и/или --hook/--no-hook")
    # The ORM only here, where the choice is written: `status` reads without it.
    from frmr.model.notifications.outbox import set_choice

    store = state.account.store
    for channel, on in ((Channel.EMAIL, email), (Channel.HOOK, hook)):
        if on is not None:
            set_choice(store, EventKind(kind), channel, on)
    click.echo("Сохранено.")

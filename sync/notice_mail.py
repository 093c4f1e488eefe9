"""E-mail notifications over SMTP: STARTTLS or TLS, always verified.

The password is read from a file (0600, like the token) at each send and handed only to
smtplib: never argv, never the log, never the store. No keyring: the daemon runs headless
under systemd --user, where a Secret Service is usually locked or absent.
"""

from __future__ import annotations

import base64
import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from frmr.model.notifications.events import Channel, Event
from frmr.model.rules.errors import FrmrError
from frmr.model.rules.russian import plural_ru
from frmr.model.store.settings import Settings

DEFAULT_PORTS = {"starttls": 587, "tls": 465}


class MailNotConfigured(FrmrError):
    code = "mail_not_configured"


class MailFailed(Exception):
    """A send that failed; its text is English, for the log and the outbox row."""


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    security: str
    to: str
    sender: str
    user: str | None
    password_file: Path | None
    ca_bundle: Path | None
    timeout: float

    def __repr__(self) -> str:
        return f"MailConfig({self.user or '-'}@{self.host}:{self.port}, {self.security})"


def mail_config(settings: Settings) -> MailConfig | None:
    """The SMTP settings, or None when e-mail is not configured (no address or no server)."""
    if not settings.notify_email or not settings.smtp_host:
        return None
    if settings.smtp_user and settings.smtp_password_file is None:
        raise MailNotConfigured(
            "Для входа на почтовый сервер не задан файл с паролем",
            "smtp_user is set without smtp_password_file",
            fix="Укажите smtp_password_file — путь к файлу с паролем (права 0600)",
        )
    return MailConfig(
        host=settings.smtp_host,
        port=settings.smtp_port or DEFAULT_PORTS[settings.smtp_security],
        security=settings.smtp_security,
        to=settings.notify_email,
        sender=settings.smtp_from or settings.smtp_user or settings.notify_email,
        user=settings.smtp_user,
        password_file=settings.smtp_password_file.expanduser()
        if settings.smtp_password_file
        else None,
        ca_bundle=settings.smtp_ca_bundle.expanduser() if settings.smtp_ca_bundle else None,
        timeout=settings.smtp_timeout,
    )


@dataclass(frozen=True)
class Channels:
    """The channels configured now; one that is not configured queues nothing."""

    mail: MailConfig | None
    command: str | None

    @property
    def enabled(self) -> list[Channel]:
        out = []
        if self.mail is not None:
            out.append(Channel.EMAIL)
        if self.command:
            out.append(Channel.HOOK)
        return out


def configured_channels(settings: Settings) -> Channels:
    """The channels `settings` configure; raises MailNotConfigured for half an SMTP setup."""
    return Channels(mail=mail_config(settings), command=settings.notify_command)


def password_exposed(config: MailConfig) -> bool:
    """Whether others than its owner may read the password file (it should be 0600)."""
    if config.password_file is None:
        return False
    try:
        return bool(config.password_file.stat().st_mode & 0o077)
    except OSError:
        return False


def _password(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MailFailed(f"smtp_password_file {path} can't be read: {error.strerror}") from None
    # A trailing newline from `echo` or an editor is not part of the password.
    return text.rstrip("\r\n")


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; a Cyrillic password goes as RFC 4616 PLAIN in
    UTF-8, which is what that mechanism specifies."""
    try:
        (user + password).encode("ascii")
    except UnicodeEncodeError:
        client.ehlo_or_helo_if_needed()
        blob = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
        code, answer = client.docmd("AUTH", "PLAIN " + blob)
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, answer) from None
        return
    client.login(user, password)


def message_id(keys: Sequence[str]) -> str:
    """The same for every send of the same events: a resend after a crash between sending
    and recording it is recognised as the same message by mail clients that check."""
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:32]
    return f"<{digest}@frmr.notify>"


def compose(config: MailConfig, events: Sequence[Event]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = config.to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id([e.key for e in events])
    if len(events) == 1:
        (event,) = events
        message["Subject"] = f"ФРМР: {event.title}"
        body = f"{event.text}\n\nЧто сделать: {event.todo}\n"
    else:
        count = plural_ru(len(events), "уведомление", "уведомления", "уведомлений")
        message["Subject"] = f"ФРМР: {len(events)} {count}"
        parts = [
            f"{n}. {e.title}\n\n{e.text}\n\nЧто сделать: {e.todo}\n"
            for n, e in enumerate(events, 1)
        ]
        body = "\n\n".join(parts)
    footer = (
        "\n--\nЭто письмо отправила фоновая служба frmr. Какие события присылать, "
        "настраивается в frmr-tui (уведомления) или командой «frmr notify».\n"
    )
    message.set_content(body + footer)
    return message


def send_mail(config: MailConfig, events: Sequence[Event]) -> None:
    """Send one message telling `events`; raises MailFailed (English, no secrets)."""
    context = ssl.create_default_context(cafile=str(config.ca_bundle) if config.ca_bundle else None)
    message = compose(config, events)
    try:
        if config.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            if config.security == "starttls":
                client.starttls(context=context)
            if config.user:
                assert config.password_file is not None
                _login(client, config.user, _password(config.password_file))
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise MailFailed(f"SMTP login as {config.user} refused: {error.smtp_code}") from None
    except smtplib.SMTPNotSupportedError:
        raise MailFailed(f"SMTP server {config.host} offers no STARTTLS") from None
    except smtplib.SMTPResponseException as error:
        answer = error.smtp_error
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
        raise MailFailed(
            f"SMTP server {config.host} answered {error.smtp_code}: {text[:200]}"
        ) from None
    except ssl.SSLCertVerificationError as error:
        raise MailFailed(
            f"SMTP server {config.host}: certificate not trusted ({error.verify_message})"
        ) from None
    except (TimeoutError, smtplib.SMTPException, ssl.SSLError, OSError) as error:
        raise MailFailed(
            f"SMTP {config.host}:{config.port}: {type(error).__name__}: {error}"
        ) from None

"""The notification channels against the real thing: an SMTP server on loopback with
STARTTLS and a password, and hook scripts that hang or fail; and the digest from the outbox."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from frmr.cli.main import cli
from frmr.model.notifications.events import Channel, Event, EventKind, trial_event
from frmr.model.notifications.outbox import due, enqueue, mark_failed, mark_sent, set_choice
from frmr.model.rules.clock import utcnow
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import Notification
from frmr.sync.notice_hook import HookFailed, run_hook
from frmr.sync.notice_mail import MailFailed, configured_channels, mail_config, send_mail
from frmr.sync.notice_outbox import deliver_due
from tests.support.cli_imports import heavy_modules_loaded
from tests.support.daemon_process import wait_for
from tests.support.smtp_server import (
    SMTP_USER,
    Mailbox,
    free_port,
    make_certificate,
    smtp_server,
)

PASSWORD = "correct-horse-9"


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frmr_home: Path) -> tuple[Mailbox, Path]:
    cert, key = make_certificate(tmp_path)
    port = free_port()
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD + "\n")
    password_file.chmod(0o600)
    for name, value in {
        "FRMR_NOTIFY_EMAIL": "doctor@example.org",
        "FRMR_SMTP_HOST": "127.0.0.1",
        "FRMR_SMTP_PORT": str(port),
        "FRMR_SMTP_USER": SMTP_USER,
        "FRMR_SMTP_PASSWORD_FILE": str(password_file),
        "FRMR_SMTP_CA_BUNDLE": str(cert),
        "FRMR_SMTP_TIMEOUT": "5",
    }.items():
        monkeypatch.setenv(name, value)
    with smtp_server(cert, key, PASSWORD, port) as mailbox:
        yield mailbox, cert


def _event(n: int) -> Event:
    return Event(
        key=f"refused:{n}",
        kind=EventKind.FILE_REFUSED,
        title=f"Файл «скан-{n}.pdf» не принят",
        text="Файл не принят: больше 10 МиБ",
        todo="Сожмите файл и положите его снова.",
        at=utcnow(),
    )


def test_test_message_arrives_in_russian_over_verified_starttls(
    smtp: tuple[Mailbox, Path],
) -> None:
    mailbox, _ = smtp
    result = CliRunner().invoke(cli, ["notify", "test"])
    assert result.exit_code == 0, result.output
    assert "письмо отправлено на doctor@example.org" in result.output
    (message,) = mailbox.messages
    assert message["Subject"] == "ФРМР: Проверка уведомлений frmr"
    assert "Что сделать: Ничего делать не нужно." in mailbox.bodies()[0]
    assert mailbox.logins == [SMTP_USER]


def test_an_untrusted_certificate_is_refused_without_the_ca_bundle(
    smtp: tuple[Mailbox, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox, _ = smtp
    monkeypatch.delenv("FRMR_SMTP_CA_BUNDLE")
    config = mail_config(load_settings())
    assert config is not None
    with pytest.raises(MailFailed, match="certificate not trusted"):
        send_mail(config, [_event(1)])
    assert mailbox.messages == [] and mailbox.logins == []


def test_a_wrong_password_fails_without_showing_it(
    smtp: tuple[Mailbox, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox, _ = smtp
    wrong = tmp_path / "wrong"
    wrong.write_text("Неверный-пароль-77")
    monkeypatch.setenv("FRMR_SMTP_PASSWORD_FILE", str(wrong))
    result = CliRunner().invoke(cli, ["notify", "test"])
    assert result.exit_code == 1
    assert "SMTP login as doctor@example.org refused: 535" in result.output
    assert "Неверный-пароль-77" not in result.output
    assert mailbox.messages == []


def test_digest_sends_one_message_for_events_of_its_period(
    smtp: tuple[Mailbox, Path], account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox, _ = smtp
    monkeypatch.setenv("FRMR_NOTIFY_DIGEST_MINUTES", "10")
    settings = load_settings()
    channels = configured_channels(settings)
    with account.store.write() as session:
        assert enqueue(session, [_event(1), _event(2)], [Channel.EMAIL]) == 2
        assert enqueue(session, [_event(1)], [Channel.EMAIL]) == 0
    wake = deliver_due(account.store, settings, channels)
    assert mailbox.messages == []
    assert wake is not None and wake - utcnow() > timedelta(minutes=9)
    with account.store.write() as session:
        for row in session.exec(select(Notification)):
            row.created_at -= timedelta(minutes=11)
            session.add(row)
    assert deliver_due(account.store, settings, channels) is None
    (message,) = mailbox.messages
    assert message["Subject"] == "ФРМР: 2 уведомления"
    body = mailbox.bodies()[0]
    assert "1. Файл «скан-1.pdf» не принят" in body and "2. Файл «скан-2.pdf» не принят" in body
    assert deliver_due(account.store, settings, channels) is None
    assert len(mailbox.messages) == 1


def test_an_event_switched_off_for_email_is_not_queued_for_it(account: Account) -> None:
    set_choice(account.store, EventKind.FILE_REFUSED, Channel.EMAIL, False)
    with account.store.write() as session:
        assert enqueue(session, [_event(1)], [Channel.EMAIL, Channel.HOOK]) == 1
        (row,) = session.exec(select(Notification)).all()
    assert row.channel == "hook"


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "hook.sh"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_hook_gets_the_event_on_stdin_and_in_its_environment(tmp_path: Path) -> None:
    out = tmp_path / "out"
    hook = _script(tmp_path, f"cat > {out}.json; env | grep ^FRMR_EVENT_ > {out}.env\n")
    run_hook(str(hook), _event(7), timeout=10)
    payload = json.loads(Path(f"{out}.json").read_text())
    assert payload["key"] == "refused:7" and payload["kind"] == "file_refused"
    env = Path(f"{out}.env").read_text()
    assert "FRMR_EVENT_ID=refused:7" in env and "FRMR_EVENT_KIND=file_refused" in env


def test_a_hanging_hook_and_its_children_are_killed_at_the_limit(tmp_path: Path) -> None:
    child = tmp_path / "child.pid"
    hook = _script(tmp_path, f"sleep 60 &\necho $! > {child}\nsleep 60\n")
    with pytest.raises(HookFailed, match=r"past its 0\.5 s limit"):
        run_hook(str(hook), trial_event(utcnow()), timeout=0.5)
    # The background child was in the hook's process group: it is killed too.
    pid = int(child.read_text())

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")

    wait_for(gone, timeout=10)


def test_a_failing_hook_reports_its_exit_and_stderr(tmp_path: Path) -> None:
    hook = _script(tmp_path, "echo 'no route to pager' >&2; exit 4\n")
    with pytest.raises(HookFailed, match="exited with 4: no route to pager"):
        run_hook(str(hook), trial_event(utcnow()), timeout=10)


def test_notify_set_and_status_show_the_choice_and_the_outbox(
    smtp: tuple[Mailbox, Path], account: Account
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["notify", "set", "file_refused", "--no-email"])
    assert result.exit_code == 0, result.output
    with account.store.write() as session:
        enqueue(session, [_event(1)], [Channel.EMAIL, Channel.HOOK])
        enqueue(
            session,
            [trial_event(utcnow())],
            [Channel.EMAIL],
        )
    result = runner.invoke(cli, ["notify", "status"])
    assert result.exit_code == 0, result.output
    assert "Эл. почта: doctor@example.org через 127.0.0.1:" in result.output
    assert "Файл не принят в папке документов: команда" in result.output
    assert "Решение ФРМР по заявлению: эл. почта, команда" in result.output
    assert "эл. почта: отправлено 0, ждут 1\n" in result.output
    assert "команда: отправлено 0, ждут 1\n" in result.output
    # One try of the e-mail failed and waits its retry; the hook's went.
    with account.store.read() as session:
        mail_ids = [n.id for n in due(session, Channel.EMAIL, utcnow())]
        hook_ids = [n.id for n in due(session, Channel.HOOK, utcnow())]
    mark_failed(account.store, mail_ids, "SMTP 451 try later", base=60, cap=600)
    mark_sent(account.store, hook_ids)
    # Read without the ORM (model.store.reads.notifications).
    assert heavy_modules_loaded([["notify", "status"]]) == []
    result = runner.invoke(cli, ["notify", "status"])
    assert result.exit_code == 0, result.output
    assert "эл. почта: отправлено 0, ждут 1, с ошибкой 1, повтор " in result.output
    assert "    последняя ошибка: SMTP 451 try later" in result.output
    assert "команда: отправлено 1, ждут 0, последнее " in result.output
    assert "Последние уведомления:" in result.output
    result = runner.invoke(cli, ["notify", "set", "file_refused"])
    assert result.exit_code != 0 and "укажите --email" in result.output


def test_a_running_hook_is_ended_when_the_daemon_stops(tmp_path: Path) -> None:
    started = tmp_path / "started"
    hook = _script(tmp_path, f"touch {started}\nsleep 60\n")
    stopping = threading.Event()
    failures: list[Exception] = []

    def run() -> None:
        try:
            run_hook(str(hook), trial_event(utcnow()), timeout=120, stopping=stopping)
        except HookFailed as error:
            failures.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    wait_for(started.exists)
    stopping.set()
    worker.join(10)
    assert not worker.is_alive()
    assert [str(e) for e in failures] == ["notify_command was stopped with the daemon"]

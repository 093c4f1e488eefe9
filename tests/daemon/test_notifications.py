"""Notifications from a real daemon to a real SMTP server on loopback and a real hook script:
each event told exactly once across SIGKILL and restart, failures retried with backoff and
logged while sync goes on, and the SMTP password nowhere in clear."""

from __future__ import annotations

import json
import shlex
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from frmr.model.portfolio.edits import add_row
from frmr.model.readiness.cycle import add_months
from frmr.model.readiness.from_store import account_rules
from frmr.model.rules.clock import today as local_today
from frmr.model.rules.dates import format_date
from frmr.model.store.tables import Notification
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.reads import stored_application
from tests.support.smtp_server import SMTP_USER, free_port, make_certificate, smtp_server
from tests.support.world import World

pytestmark = pytest.mark.real_process

HOOK = """#!/bin/sh
# A doctor's hook: fails while the flag file exists, else records the event it was given.
dir="$1"
if [ -e "$dir/hook-fails" ]; then echo "hook: mailbox full" >&2; exit 3; fi
payload=$(cat)
printf '%s\\t%s\\t%s\\n' "$FRMR_EVENT_ID" "$FRMR_EVENT_KIND" "$payload" >> "$dir/hook.log"
"""

REASON = "Отсутствуют сведения об организации"


def _rows(world: World) -> list[Notification]:
    with world.account.store.read() as session:
        return list(session.exec(select(Notification)).all())


def _hook_lines(tmp: Path) -> list[tuple[str, str, dict[str, object]]]:
    log = tmp / "hook.log"
    if not log.exists():
        return []
    out = []
    for line in log.read_text().splitlines():
        key, kind, payload = line.split("\t", 2)
        out.append((key, kind, json.loads(payload)))
    return out


@pytest.fixture
def notify_env(tmp_path: Path) -> tuple[dict[str, str], Path, Path, Path, str, int]:
    cert, key = make_certificate(tmp_path)
    password = "Пароль-9f3c1e77-smtp"
    password_file = tmp_path / "smtp-password"
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    hook = tmp_path / "hook.sh"
    hook.write_text(HOOK)
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    port = free_port()
    env = {
        "FRMR_NOTIFY_COMMAND": f"{shlex.quote(str(hook))} {shlex.quote(str(tmp_path))}",
        "FRMR_NOTIFY_COMMAND_TIMEOUT": "10",
        "FRMR_NOTIFY_EMAIL": "doctor@example.org",
        "FRMR_SMTP_HOST": "127.0.0.1",
        "FRMR_SMTP_PORT": str(port),
        "FRMR_SMTP_SECURITY": "starttls",
        "FRMR_SMTP_USER": SMTP_USER,
        "FRMR_SMTP_PASSWORD_FILE": str(password_file),
        "FRMR_SMTP_CA_BUNDLE": str(cert),
        "FRMR_SMTP_TIMEOUT": "5",
        "FRMR_NOTIFY_RETRY_BASE_SECONDS": "0.3",
        "FRMR_NOTIFY_RETRY_CAP_SECONDS": "1",
    }
    return env, cert, key, tmp_path, password, port


def test_each_event_once_across_sigkill_and_failures_retried_while_sync_goes_on(
    world: World, notify_env: tuple[dict[str, str], Path, Path, Path, str, int]
) -> None:
    env, cert, key, tmp, password, port = notify_env
    (tmp / "hook-fails").touch()  # and no SMTP server listens yet
    daemon = DaemonProcess(world.settings, env=env)
    documents = world.settings.documents_dir
    try:
        daemon.start()
        (documents / "заметки.txt").write_text("не документ")
        app_id = world.new_filed_application()
        wait_for(lambda: world.status_of(app_id) == "under_review", timeout=30)
        world.registry.cli("review", app_id, "--decision", "rejected", "--reason", REASON)
        # Sync goes on while both channels fail: the decision is pulled.
        wait_for(lambda: world.status_of(app_id) == "rejected", timeout=30)

        def retried() -> bool:
            rows = _rows(world)
            return len(rows) == 4 and all(r.attempts >= 2 and r.sent_at is None for r in rows)

        wait_for(retried, timeout=30)
        log = world.settings.layout.daemon_log.read_text()
        assert "hook failed (try 2)" in log and "hook: mailbox full" in log
        assert "e-mail failed (try 2)" in log and "ConnectionRefusedError" in log
        assert {r.kind for r in _rows(world)} == {"status_decided", "file_refused"}
        assert all(r.next_attempt_at is not None and r.last_error for r in _rows(world))

        daemon.kill()
        (tmp / "hook-fails").unlink()
        with smtp_server(cert, key, password, port) as mailbox:
            daemon.start()
            wait_for(lambda: len(mailbox.messages) == 2 and len(_hook_lines(tmp)) == 2)
            # Killed again after sending, then a new event: the old ones are not repeated.
            wait_for(lambda: all(r.sent_at is not None for r in _rows(world)))
            daemon.kill()
            daemon.start()
            (documents / "второй.txt").write_text("тоже не документ")
            wait_for(lambda: len(mailbox.messages) == 3 and len(_hook_lines(tmp)) == 3)
            daemon.sync_now()
            wait_for(
                lambda: all(r.sent_at is not None for r in _rows(world)) and len(_rows(world)) == 6
            )
            assert daemon.terminate() == 0
            subjects = mailbox.subjects()
            bodies = mailbox.bodies()
            ids = [str(m["Message-ID"]) for m in mailbox.messages]
            logins = list(mailbox.logins)
    finally:
        daemon.kill()

    assert len(set(ids)) == 3
    assert logins == [SMTP_USER] * 3
    number = _number(world, app_id)
    decision = [b for s, b in zip(subjects, bodies, strict=True) if "Отклонено" in s]
    assert len(decision) == 1
    assert f"№ {number}" in decision[0] and REASON in decision[0]
    assert "Что сделать: Исправьте ошибки" in decision[0]
    refused = [b for b in bodies if "не принят" in b]
    assert len(refused) == 2
    hooks = _hook_lines(tmp)
    assert len({key for key, _, _ in hooks}) == 3
    assert sorted(kind for _, kind, _ in hooks) == [
        "file_refused",
        "file_refused",
        "status_decided",
    ]
    for key, kind, payload in hooks:
        assert payload["key"] == key and payload["kind"] == kind
        if kind == "file_refused":
            assert Path(str(payload["reason_path"])).is_file()
            assert Path(str(payload["path"])).is_file()
        else:
            assert payload["application_number"] == number and payload["reason"] == REASON

    # The password: never in the log, stderr, the store or a process's argv.
    secret = password.encode()
    home = world.settings.home
    for path in [*home.rglob("*"), daemon.stderr]:
        if path.is_file():
            assert secret not in path.read_bytes(), path


def _number(world: World, app_id: str) -> str:
    number = stored_application(world.account, app_id).app.number
    assert number
    return number


def test_password_is_not_in_the_daemons_argv_or_environment(
    world: World, notify_env: tuple[dict[str, str], Path, Path, Path, str, int]
) -> None:
    env, cert, key, tmp, password, port = notify_env
    with smtp_server(cert, key, password, port) as mailbox:
        daemon = DaemonProcess(world.settings, env=env)
        try:
            process = daemon.start()
            (world.settings.documents_dir / "заметки.txt").write_text("не документ")
            wait_for(lambda: len(mailbox.messages) == 1 and len(_hook_lines(tmp)) == 1)
            proc = Path("/proc") / str(process.pid)
            assert password.encode() not in (proc / "cmdline").read_bytes()
            assert password.encode() not in (proc / "environ").read_bytes()
            assert mailbox.logins == [SMTP_USER]
        finally:
            daemon.kill()


def test_undelivered_and_deadline_events_each_once_across_sigkill(
    world: World, notify_env: tuple[dict[str, str], Path, Path, Path, str, int]
) -> None:
    env, cert, key, tmp, password, port = notify_env
    env = {**env, "FRMR_NOTIFY_DELIVERY_HOURS": "0.0005"}  # 1.8 s
    account = world.account
    rules = account_rules(account)
    today = local_today()
    # Педиатрия (not in the registry's demo portfolio): its window is open and closes in
    # 20 days; its accreditation expires then.
    add_row(
        account,
        "certificates",
        {
            "number": "7722 000000001",
            "kind": "accreditation",
            "specialty_name": "Педиатрия",
            "pass_date": format_date(today - timedelta(days=1500)),
            "end_date": format_date(today + timedelta(days=20)),
        },
    )
    # Неврология: its window opens in 10 days.
    opens = today + timedelta(days=10)
    expires = (
        add_months(opens, rules.window_months)
        if rules.window_months is not None
        else opens + timedelta(days=rules.window_days or 0)
    )
    add_row(
        account,
        "certificates",
        {
            "number": "7722 000000002",
            "kind": "accreditation",
            "specialty_name": "Неврология",
            "pass_date": format_date(today - timedelta(days=1000)),
            "end_date": format_date(expires),
        },
    )
    world.registry.set_faults(delivery_failure_rate=1.0)
    with smtp_server(cert, key, password, port) as mailbox:
        daemon = DaemonProcess(world.settings, env=env)
        try:
            daemon.start()
            app_id = world.new_filed_application()
            wait_for(lambda: world.status_of(app_id) == "not_delivered", timeout=30)
            wanted = {
                "delivery_failing",
                "window_opening",
                "window_closing",
                "certificate_expiring",
            }

            def told() -> set[str]:
                return {kind for _, kind, _ in _hook_lines(tmp)}

            wait_for(lambda: wanted <= told(), timeout=30)
            wait_for(lambda: len(mailbox.messages) == len(_hook_lines(tmp)))
            # Killed once what was sent is recorded so (a kill between the server's answer
            # and that record sends the message again: README, «Notifications»).
            wait_for(lambda: all(r.sent_at is not None for r in _rows(world)))
            daemon.kill()
            daemon.start()
            # A new event after the restart: everything before it was looked at again.
            (world.settings.documents_dir / "после.txt").write_text("не документ")
            wait_for(lambda: "file_refused" in told(), timeout=30)
            wait_for(lambda: len(mailbox.messages) == len(_hook_lines(tmp)))
            assert daemon.terminate() == 0
        finally:
            daemon.kill()
            world.registry.clear_faults()
        subjects = mailbox.subjects()
    kinds = sorted(kind for _, kind, _ in _hook_lines(tmp))
    # Терапия's and Кардиология's windows are months from closing: not told.
    assert kinds == sorted([*wanted, "file_refused"]), kinds
    assert len({key for key, _, _ in _hook_lines(tmp)}) == len(kinds) == len(subjects)
    assert "ФРМР: Аккредитация № 7722 000000001 истекает " in "\n".join(subjects)
    assert any("Педиатрия" in s and "закрывается" in s for s in subjects)
    assert any("Неврология" in s and "открывается" in s for s in subjects)
    assert any("не доставлено в ФРМР" in s for s in subjects)

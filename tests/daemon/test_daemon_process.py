"""The daemon as a process: one instance, SIGTERM, control socket, status JSON, masked logs."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from frmr.daemon import control_client
from frmr.daemon.cli import main as daemon_cli
from frmr.daemon.protocol import DaemonEvent
from frmr.model.documents.library import list_documents
from frmr.model.store.account import open_account
from tests.samples import ELF_HEAD, make_file, make_pdf
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.world import World

pytestmark = pytest.mark.real_process


def test_second_instance_says_so_and_exits_1(world: World) -> None:
    first = DaemonProcess(world.settings)
    first.start()
    try:
        second = subprocess.run(
            [sys.executable, "-m", "frmr.daemon.cli", "run"],
            env=first.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 1
        assert "уже запущена" in second.stderr
    finally:
        first.kill()


def test_sigterm_finishes_the_step_and_exits_0(world: World) -> None:
    daemon = DaemonProcess(world.settings)
    daemon.start()
    world.new_filed_application()
    # The 5 s promise is kept by bounded joins in the daemon (sync thread 3 s, watcher 1 s);
    # tests don't time it, because a loaded CI machine stretches any wall-clock bound.
    assert daemon.terminate(timeout=60) == 0
    assert not world.settings.control_socket.exists()


def test_control_socket_status_sync_now_and_subscribe(world: World) -> None:
    daemon = DaemonProcess(world.settings)
    daemon.start()
    events: list[DaemonEvent] = []

    subscribed = threading.Event()

    def listen() -> None:
        for event in control_client.subscribe(world.settings.control_socket, subscribed.set):
            events.append(event)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    try:
        assert world.settings.control_socket.stat().st_mode & 0o777 == 0o600
        assert subscribed.wait(20), "the daemon never acknowledged the subscription"
        make_pdf(world.settings.documents_dir / "new.pdf")
        make_file(world.settings.documents_dir / "bad.pdf", ELF_HEAD, 10)
        app_id = world.new_filed_application()
        assert daemon.sync_now()
        wait_for(lambda: world.status_of(app_id) == "under_review")
        # sync_finished is published after the cycle's status_changed: wait for it too.
        wanted = {"file_imported", "file_rejected", "status_changed", "sync_finished"}
        wait_for(lambda: wanted <= {e.event for e in events})
        changed = next(e for e in events if e.event == "status_changed")
        assert changed.application_id == app_id and changed.to_status is not None
        status = daemon.status()
        assert status is not None
        assert status.logged_in is True and status.registry_reachable is True
        assert status.counts_by_status["under_review"] >= 1
        assert status.rejected_files == 1
        # The status command is a client of the socket: it runs in-process.
        cli = CliRunner(env=daemon.env).invoke(daemon_cli, ["status", "--json"])
        assert cli.exit_code == 0, cli.output
        answer = json.loads(cli.stdout)
        for key in ("pid", "last_sync_at", "not_delivered", "next_retry_at", "watched_folder"):
            assert key in answer
        assert daemon.terminate() == 0
        listener.join(5)
        assert not listener.is_alive()  # subscribe ends when the daemon goes away
    finally:
        daemon.kill()


def test_no_unmasked_snils_or_passport_in_logs(world: World) -> None:
    daemon = DaemonProcess(world.settings)
    daemon.start()
    try:
        make_file(world.settings.documents_dir / "СНИЛС 112-233-445 95.pdf", ELF_HEAD, 10)
        make_pdf(world.settings.documents_dir / "11223344595.pdf")
        make_file(world.settings.documents_dir / "паспорт 4510 123456.pdf", ELF_HEAD, 10)
        # All three taken (two refused, one imported), so all three were logged.
        with open_account(world.settings) as account:
            wait_for(
                lambda: (
                    (s := daemon.status()) is not None
                    and s.rejected_files == 2
                    and len(list_documents(account)) == 1
                )
            )
        assert daemon.terminate() == 0
    finally:
        daemon.kill()
    text = world.settings.layout.daemon_log.read_text() + daemon.stderr.read_text()
    assert "445 95" in text  # the masked form is there, so the lines were written
    assert "112-233-445 95" not in text and "11223344595" not in text
    assert "***456" in text and "123456" not in text


def test_status_on_a_fresh_home_claims_no_failed_sync_and_no_error(tmp_path) -> None:
    """Before any login nothing was synced: «ещё не было», not «— (с ошибкой)» beside
    «Последняя ошибка: —»."""
    from frmr.model.store.settings import load_settings

    home = tmp_path / "home"
    settings = load_settings(home=home, registry_url="http://127.0.0.1:9", runtime_dir=home / "run")
    daemon = DaemonProcess(settings, env={"FRMR_RUNTIME_DIR": str(home / "run")})
    daemon.start()
    try:
        cli = CliRunner(env=daemon.env).invoke(daemon_cli, ["status"])
        assert cli.exit_code == 0, cli.output
        assert "Последняя синхронизация: ещё не было (нужен вход)" in cli.output
        assert "с ошибкой" not in cli.output
        assert "Последняя ошибка" not in cli.output
    finally:
        daemon.kill()

"""The notifier keeps hearing the hub after a burst filled its queue while a hook ran."""

from __future__ import annotations

import stat
from pathlib import Path

from frmr.daemon.events import SUBSCRIBER_QUEUE, EventHub
from frmr.daemon.notifier import Notifier
from frmr.model.notifications.outbox import SINCE_KEY
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import RejectedFile, SyncState
from tests.support.daemon_process import wait_for


def _began(account: Account) -> bool:
    with account.store.read() as session:
        return session.get(SyncState, SINCE_KEY) is not None


def test_a_burst_during_a_slow_hook_does_not_deafen_the_notifier(
    account: Account, tmp_path: Path
) -> None:
    hook = tmp_path / "hook.sh"
    log = tmp_path / "hook.log"
    gate = tmp_path / "gate"
    running = tmp_path / "running"
    # The first run waits for the gate: the notifier is busy while the hub floods it.
    hook.write_text(
        f"#!/bin/sh\ntouch {running}\nwhile [ ! -e {gate} ]; do sleep 0.05; done\n"
        f'echo "$FRMR_EVENT_ID" >> {log}\n'
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    settings = load_settings(notify_command=str(hook), notify_retry_base_seconds=0.2)
    hub = EventHub()
    notifier = Notifier(settings, account, hub)
    notifier.start()
    try:
        # Its first look records when notifications began; what is older is history.
        wait_for(lambda: _began(account))

        def refuse(name: str) -> None:
            with account.store.write() as session:
                session.add(
                    RejectedFile(file_name=name, rejected_path=str(tmp_path / name), reason="x")
                )
            hub.publish("file_rejected", {"message": name})

        refuse("первый.txt")
        wait_for(running.exists)  # the notifier is inside the hook, reading nothing
        deaf = notifier._events
        for n in range(SUBSCRIBER_QUEUE + 10):
            hub.publish("sync_started", {"message": str(n)})
        assert not hub.is_subscribed(deaf)  # the hub dropped the full queue
        gate.touch()
        wait_for(lambda: log.exists() and len(log.read_text().splitlines()) == 1)
        wait_for(lambda: notifier._events is not deaf and hub.is_subscribed(notifier._events))
        refuse("второй.txt")
        wait_for(lambda: log.exists() and len(log.read_text().splitlines()) == 2)
    finally:
        hub.close()
        notifier.stop(5)

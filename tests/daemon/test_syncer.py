"""The sync thread waits for what it needs without spinning."""

from __future__ import annotations

import time

import pytest

from frmr.daemon.events import EventHub
from frmr.daemon.syncer import Syncer
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from tests.support.daemon_process import wait_for


def test_without_a_token_file_it_waits_for_a_login_without_spinning(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(registry_url="http://127.0.0.1:9")
    assert not settings.token_path.exists()
    syncer = Syncer(settings, account.store, EventHub())
    steps: list[float] = []
    step = syncer._step

    def counted() -> None:
        steps.append(time.monotonic())
        step()

    monkeypatch.setattr(syncer, "_step", counted)
    syncer.start()
    syncer.wake(force=True)
    wait_for(lambda: steps)
    syncer.token_changed()  # an event in the data dir that brings no token file
    time.sleep(0.2)
    syncer.stop(2.0)
    assert syncer.status.login_required
    assert len(steps) <= 2

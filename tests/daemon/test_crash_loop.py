"""SIGKILL the daemon at random moments during intake and sync, over and over; at the end
nothing is lost, nothing is duplicated, and the store is intact."""

from __future__ import annotations

import os
import random
import time
from collections import Counter

import pytest

from frmr.model.documents.library import list_documents
from tests.samples import make_pdf
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.world import World

pytestmark = pytest.mark.real_process

KILLS = int(os.environ.get("FRMR_TEST_KILLS", "100"))


def test_hundred_sigkills_lose_and_duplicate_nothing(world: World) -> None:
    rng = random.Random(4)
    world.registry.set_faults(error_rate=0.2, drop_after_commit_rate=0.2)
    daemon = DaemonProcess(world.settings)
    dropped: list[str] = []
    app_ids: list[str] = []
    try:
        for i in range(KILLS):
            name = f"scan-{i:03}.pdf"
            make_pdf(world.settings.documents_dir / name, size=rng.randint(1_000, 300_000))
            dropped.append(name)
            if i % 10 == 0:
                app_ids.append(world.new_filed_application(1000 + i))
            daemon.start(wait=False)
            # Startup, intake and sync all take part of this window: kills land in each.
            time.sleep(rng.uniform(0.2, 1.2))
            daemon.kill()
        world.registry.clear_faults()
        daemon.start()
        wait_for(lambda: all(world.status_of(a) == "under_review" for a in app_ids), timeout=60)
        names = wait_for(
            lambda: (
                (found := {d.file_name for d in list_documents(world.account)}) >= set(dropped)
                and found
            ),
            timeout=60,
        )
        assert set(dropped) <= names
        assert daemon.terminate() == 0
    finally:
        daemon.kill()
    listed = Counter(a["id"] for a in world.registry.applications())
    assert all(listed[a] == 1 for a in app_ids)
    shas = Counter(d.sha256 for d in list_documents(world.account))
    assert max(shas.values()) == 1
    assert world.account.store.integrity_check() == ["ok"]

"""The issue's "done when": log in, start the daemon, scp files into an application's folder,
submit, stop the registry → «Не доставлено», start it again → «На рассмотрении», untouched."""

from __future__ import annotations

import shutil

import pytest

from frmr.model.applications import lifecycle as apps
from tests.samples import add_listed_scans, make_pdf
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.reads import stored_application, stored_history
from tests.support.world import World

pytestmark = pytest.mark.real_process


def test_unplugged_registry_application_is_delivered_by_itself_after_restart(
    world: World,
) -> None:
    daemon = DaemonProcess(world.settings)
    daemon.start()
    try:
        view = apps.new_application(
            world.account,
            specialty="Терапия",
            phone="+79161234567",
            email="demo@example.org",
            education_level="Высшее",
        )
        folder = world.settings.documents_dir / view.app.folder_name
        for i in range(2):  # what scp does: write the file in place
            source = make_pdf(world.settings.home.parent / f"scan-{i}.pdf", size=50_000)
            shutil.copy(source, folder / source.name)
        wait_for(lambda: len(stored_application(world.account, view.app.id).documents) == 2)
        add_listed_scans(world.account, world.settings.home.parent / "scans")
        apps.form_application(world.account, view.app.id)

        world.registry.stop()
        apps.submit_application(world.account, view.app.id)
        wait_for(lambda: world.status_of(view.app.id) == "not_delivered", timeout=30)
        status = wait_for(lambda: daemon.status())
        assert status.registry_reachable is False or status.not_delivered == 1

        world.registry.start()
        wait_for(lambda: world.status_of(view.app.id) == "under_review", timeout=30)
        # Read once: the registry commits before it answers, and the daemon records the answer.
        listed = [a for a in world.registry.applications() if a["id"] == view.app.id]
        assert len(listed) == 1
        assert listed[0]["status"] == "under_review"
        history = [h.to_status.value for h in stored_history(world.account, view.app.id)]
        assert history[-3:] == ["queued", "not_delivered", "under_review"]
        assert daemon.terminate() == 0
    finally:
        daemon.kill()

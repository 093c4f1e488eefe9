"""What the sync engine tells F6, against a real registry: a submission that reached the
registry says so, and so does a cancellation sent to it — the status was «Отменено» here
already, so no status change would have said it."""

from __future__ import annotations

from typing import Any

from frmr.model.applications import lifecycle as apps
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.engine import SyncEngine
from frmr.sync.link import Schedule
from tests.support.reads import stored_application
from tests.support.world import World

FAST = Schedule(resubmit_base=0.05, resubmit_cap=0.2)


def _sync(world: World) -> list[tuple[str, dict[str, Any]]]:
    said: list[tuple[str, dict[str, Any]]] = []
    token = load_token(world.settings.token_path)
    assert token is not None
    with RegistryClient(world.registry.url, token=token.access_token, timeouts=Timeouts()) as c:
        engine = SyncEngine(
            world.account.store, c, schedule=FAST, emit=lambda e, f: said.append((e, f))
        )
        engine.run_cycle()
    return said


def test_a_delivery_and_a_cancellation_each_leave_a_line_for_f6(world: World) -> None:
    app_id = world.new_filed_application(files=0)
    said = _sync(world)
    number = stored_application(world.account, app_id).app.number
    assert number
    delivered = [f for e, f in said if e == "status_changed" and f["application_id"] == app_id]
    assert [f["message"] for f in delivered] == [
        f"Заявление {number} доставлено в ФРМР: «На рассмотрении»"
    ]

    apps.cancel_application(world.account, app_id)
    said = _sync(world)
    assert ("cancel_sent", {
        "application_id": app_id,
        "number": number,
        "message": f"Заявление {number}: отмена передана в ФРМР",
    }) in said  # fmt: skip
    # Sent once: the next cycle has nothing to say about it.
    assert not [e for e, _ in _sync(world) if e == "cancel_sent"]


def test_a_draft_cancelled_before_it_was_sent_tells_the_registry_nothing(world: World) -> None:
    view = apps.new_application(
        world.account, specialty="Терапия", phone="+79161234567", email="demo@example.org"
    )
    apps.cancel_application(world.account, view.app.id)
    assert not [e for e, _ in _sync(world) if e == "cancel_sent"]

"""The engine against the real registry while it injects faults: every application ends
delivered exactly once, «Не доставлено» ones are resubmitted by themselves."""

from __future__ import annotations

import contextlib
import time
from collections import Counter

import pytest
from sqlmodel import select

from frmr.model.rules.clock import utcnow
from frmr.model.store.tables import Application, StatusChange
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.engine import SyncEngine
from frmr.sync.errors import LoginRequired, RegistryUnavailable
from frmr.sync.link import Schedule
from tests.support.world import World

pytestmark = pytest.mark.real_process

FAST = Schedule(resubmit_base=0.05, resubmit_cap=0.2)


def engine_for(world: World, client: RegistryClient) -> SyncEngine:
    return SyncEngine(world.account.store, client, schedule=FAST)


def client_for(world: World, token: str | None = None) -> RegistryClient:
    saved = load_token(world.settings.token_path)
    assert saved is not None
    return RegistryClient(
        world.registry.url,
        token=token or saved.access_token,
        timeouts=Timeouts(read=3.0, deadline=1.5),
    )


def sync_until_delivered(world: World, app_ids: list[str], rounds: int = 60) -> None:
    with client_for(world) as client:
        engine = engine_for(world, client)
        for _ in range(rounds):
            with contextlib.suppress(RegistryUnavailable):
                engine.run_cycle()
            if all(world.status_of(a) == "under_review" for a in app_ids):
                return
            time.sleep(0.1)
    raise AssertionError({a: world.status_of(a) for a in app_ids})


def assert_delivered_once(world: World, app_ids: list[str]) -> None:
    listed = Counter(a["id"] for a in world.registry.applications())
    assert all(listed[a] == 1 for a in app_ids), listed
    statuses = {a["id"]: a["status"] for a in world.registry.applications()}
    assert all(statuses[a] == "under_review" for a in app_ids)


@pytest.mark.parametrize(
    "faults",
    [
        {"error_rate": 0.5, "error_status": 500, "budget": 12},
        {"error_rate": 0.5, "error_status": 503, "budget": 12},
        {"rate_limit_rate": 0.5, "retry_after_s": 1, "budget": 4},
        {"drop_before_rate": 0.4, "budget": 10},
        {"drop_after_commit_rate": 0.5, "budget": 10},
        {"latency_ms": 200, "budget": 20},
    ],
    ids=["500", "503", "429", "reset", "lost-after-commit", "latency"],
)
def test_every_application_is_delivered_exactly_once_through_faults(
    world: World, faults: dict[str, object]
) -> None:
    app_ids = [world.new_filed_application(n) for n in range(3)]
    world.registry.set_faults(**faults)
    sync_until_delivered(world, app_ids)
    assert_delivered_once(world, app_ids)


def test_registry_not_delivered_answer_is_resubmitted_under_a_new_key(world: World) -> None:
    app_ids = [world.new_filed_application(n) for n in range(2)]
    world.registry.set_faults(delivery_failure_rate=1.0, budget=2)
    sync_until_delivered(world, app_ids)
    assert_delivered_once(world, app_ids)
    keys = {a["id"]: a["idempotency_keys"] for a in world.registry.applications()}
    for app_id in app_ids:
        assert f"{app_id}:2" in keys[app_id]  # the resubmission's own key
    with world.account.store.read() as session:
        moves = session.exec(
            select(StatusChange.to_status).where(StatusChange.application_id == app_ids[0])
        ).all()
    assert [m.value for m in moves][-2:] == ["not_delivered", "under_review"]


def test_crash_after_send_asks_the_registry_before_resending(world: World) -> None:
    app_id = world.new_filed_application()
    with client_for(world) as client:
        engine = engine_for(world, client)
        engine.run_cycle()
    # As if the daemon died after the answer committed but before it was recorded.
    with world.account.store.write() as session:
        app = session.get(Application, app_id)
        assert app is not None
        app.status = app.status.__class__("queued")
        app.submit_key = f"{app_id}:1"
        app.sync_attempts = 1
        session.add(app)
    with client_for(world) as client:
        engine_for(world, client).run_cycle()
    assert world.status_of(app_id) == "under_review"
    keys = [a["idempotency_keys"] for a in world.registry.applications() if a["id"] == app_id]
    assert keys == [[app_id, f"{app_id}:1"]]


def test_decisions_are_pulled_with_reason_and_history(world: World) -> None:
    app_id = world.new_filed_application()
    sync_until_delivered(world, [app_id])
    world.registry.cli(
        "review",
        app_id,
        "--decision",
        "rejected",
        "--reason",
        "Отсутствуют сведения об организации",
    )
    with client_for(world) as client:
        engine_for(world, client).run_cycle()
    with world.account.store.read() as session:
        app = session.get(Application, app_id)
        assert app is not None
        assert app.status.value == "rejected"
        assert app.status_reason == "Отсутствуют сведения об организации"
        last = session.exec(
            select(StatusChange)
            .where(StatusChange.application_id == app_id)
            .order_by(StatusChange.at.desc())  # type: ignore[attr-defined]
        ).first()
        assert last is not None and last.actor.value == "registry"


def test_expired_token_stops_sync_with_login_required(world: World) -> None:
    with client_for(world, token="not-a-token") as client, pytest.raises(LoginRequired):
        engine_for(world, client).run_cycle()


def test_unreachable_registry_marks_due_submissions_not_delivered(world: World) -> None:
    app_id = world.new_filed_application()
    unreachable = RegistryClient("http://127.0.0.1:9", token="x", timeouts=Timeouts(deadline=0.5))
    started = utcnow()
    with unreachable as c, pytest.raises(RegistryUnavailable):
        engine_for(world, c).run_cycle()
    with world.account.store.read() as session:
        app = session.get(Application, app_id)
        assert app is not None
        assert app.status.value == "not_delivered"
        assert app.submit_attempts == 1
        # Later than when the cycle began (FAST waits a few ms only: "now" may be past it).
        assert app.next_attempt_at is not None and app.next_attempt_at > started

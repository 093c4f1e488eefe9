"""What the sync thread tells the TUI's log: a scheduled pull that moved nothing after a
good cycle is routine (the sandbox pulls every 5 s), a sync a person asked for, one after a
failure, and one that sent or received something are not; the last says what moved."""

from __future__ import annotations

import queue
from dataclasses import replace

from frmr.daemon.events import EventHub
from frmr.daemon.protocol import DaemonEvent, EventKind
from frmr.daemon.syncer import Syncer
from frmr.model.profile.card import update_profile
from tests.support.world import World

SYNC_EVENTS = (EventKind.SYNC_STARTED, EventKind.SYNC_FINISHED)


def _told(events: queue.Queue[DaemonEvent | None]) -> list[DaemonEvent]:
    told = []
    while not events.empty():
        event = events.get_nowait()
        assert event is not None
        if event.event in SYNC_EVENTS:
            told.append(event)
    return told


def _cycle(syncer: Syncer, events: queue.Queue[DaemonEvent | None]) -> list[DaemonEvent]:
    syncer._next_pull = 0.0
    syncer._step()
    told = _told(events)
    assert [e.event for e in told] == list(SYNC_EVENTS)
    return told


def test_only_a_sync_that_moved_something_or_was_asked_for_is_logged(world: World) -> None:
    hub = EventHub()
    events = hub.subscribe()
    syncer = Syncer(world.settings, world.account.store, hub)

    syncer.wake(force=True)  # the daemon's start, or «s» on Синхронизация
    asked = _cycle(syncer, events)
    assert [e.routine for e in asked] == [False, False]
    assert asked[1].message == "Синхронизация завершена"

    pulled = _cycle(syncer, events)
    assert [e.routine for e in pulled] == [True, True]

    update_profile(world.account, {"phone": "+79160000001"})
    pushed = _cycle(syncer, events)
    assert [e.routine for e in pushed] == [False, False]
    assert pushed[1].pushed == 1
    assert pushed[1].message == "Синхронизация завершена: отправлено изменений: 1"

    assert [e.routine for e in _cycle(syncer, events)] == [True, True]


def test_the_first_good_sync_after_a_failure_is_logged(world: World) -> None:
    hub = EventHub()
    events = hub.subscribe()
    # A short retry budget: the failing cycle gives up at once instead of after 20 s.
    settings = replace(world.settings, retry_budget_seconds=0.5)
    syncer = Syncer(settings, world.account.store, hub)
    syncer.wake(force=True)
    _cycle(syncer, events)
    _cycle(syncer, events)

    world.registry.set_faults(error_rate=1.0)
    syncer._step()
    assert [(e.event, e.ok, e.routine) for e in _told(events)] == [
        (EventKind.SYNC_STARTED, None, True),
        (EventKind.SYNC_FINISHED, False, None),
    ]
    world.registry.clear_faults()
    syncer._backoff_until = 0.0
    recovered = _cycle(syncer, events)
    assert [e.routine for e in recovered] == [False, False]

"""The status's last error: shown until what caused it says it is over, never after; events
from several threads reach a subscriber in the order of their times."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from frmr.daemon import events
from frmr.daemon.events import EventHub
from frmr.model.rules.clock import utcnow


def test_a_recovered_error_stops_being_the_last_error() -> None:
    hub = EventHub()
    hub.publish("error", {"message": "Нет места на диске", "source": "disk"})
    hub.publish("sync_finished", {"ok": True})  # another source's good news changes nothing
    assert hub.last_error == "Нет места на диске"
    hub.publish("disk_ok", {"message": "Место на диске есть"})
    assert hub.last_error is None

    hub.publish("error", {"message": "ФРМР недоступен", "source": "sync"})
    hub.publish("sync_finished", {"ok": False})
    assert hub.last_error == "ФРМР недоступен"
    hub.publish("sync_finished", {"ok": True})
    assert hub.last_error is None


def test_an_error_no_event_ends_stays_the_last_error() -> None:
    hub = EventHub()
    hub.publish("error", {"message": "Заявление отклонено ФРМР", "application_id": "a"})
    hub.publish("sync_finished", {"ok": True})
    hub.publish("disk_ok", {})
    assert hub.last_error == "Заявление отклонено ФРМР"


def test_events_from_two_threads_arrive_in_the_order_of_their_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The intake's thread is stamped first and then paused (the scheduler's doing, forced
    here) while the syncer's thread publishes: the subscriber still gets the intake's first."""
    hub = EventHub()
    subscriber = hub.subscribe()
    first_stamped, second_published = threading.Event(), threading.Event()

    def stamp() -> datetime:
        now = utcnow()
        if threading.current_thread().name == "intake":
            first_stamped.set()
            # Long enough for the other thread to overtake where it can; where it can't
            # (it waits for this publish), the wait runs out.
            second_published.wait(1.0)
        return now

    monkeypatch.setattr(events, "utcnow", stamp)

    def publish_second() -> None:
        hub.publish("sync_started", {"message": "Синхронизация с ФРМР…"})
        second_published.set()

    intake = threading.Thread(
        target=hub.publish, args=("file_imported", {"message": "Файл принят"}), name="intake"
    )
    syncer = threading.Thread(target=publish_second, name="syncer")
    intake.start()
    assert first_stamped.wait(5.0)
    syncer.start()
    intake.join(5.0)
    syncer.join(5.0)

    received = [subscriber.get_nowait(), subscriber.get_nowait()]
    assert [event.message for event in received] == ["Файл принят", "Синхронизация с ФРМР…"]
    assert received[0].at <= received[1].at

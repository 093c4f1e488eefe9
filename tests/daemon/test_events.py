"""The status's last error: shown until what caused it says it is over, never after."""

from __future__ import annotations

from frmr.daemon.events import EventHub


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

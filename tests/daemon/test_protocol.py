"""The control socket's typed protocol: what the daemon sends is what the client reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from frmr.daemon.events import EventHub
from frmr.daemon.protocol import DaemonEvent, EventKind, StatusAnswer
from tests.support.daemon_process import a_daemon_status


def test_a_status_with_unknowns_reads_back_the_same() -> None:
    status = a_daemon_status()
    line = StatusAnswer(ok=True, status=status).line()
    assert StatusAnswer.model_validate_json(line).status == status
    assert status.registry_url is None and status.packing is None


def test_the_daemon_cannot_send_a_field_the_protocol_lacks() -> None:
    with pytest.raises(TypeError, match="queued_files"):
        a_daemon_status(queued_files=3)
    hub = EventHub()
    with pytest.raises(TypeError, match="progress"):
        hub.publish("file_packed", {"message": "готово", "progress": 0.5})
    with pytest.raises(ValueError, match="file_exploded"):
        hub.publish("file_exploded", {})


def test_a_client_a_version_behind_reads_a_newer_daemon() -> None:
    newer = json.loads(StatusAnswer(ok=True, status=a_daemon_status()).line())
    newer["status"]["something_new"] = {"nested": True}
    read = StatusAnswer.model_validate_json(json.dumps(newer))
    assert read.status is not None and read.status.pending_files == 0


def test_events_reach_every_subscriber_typed_with_the_wire_names() -> None:
    hub = EventHub()
    first, second = hub.subscribe(), hub.subscribe()
    hub.publish(
        "status_changed",
        {"application_id": "a1", "from": "queued", "to": "not_delivered", "message": "x"},
    )
    for queue in (first, second):
        event = queue.get_nowait()
        assert isinstance(event, DaemonEvent)
        assert event.event is EventKind.STATUS_CHANGED and event.to_status == "not_delivered"
        wire = json.loads(event.line())
        assert wire["from"] == "queued" and "path" not in wire
        assert DaemonEvent.model_validate_json(event.line()) == event
    hub.publish("error", {"message": "Регистр не отвечает"})
    assert hub.last_error == "Регистр не отвечает"


def test_only_events_that_follow_a_commit_ask_the_screens_to_reload() -> None:
    at = datetime.now(UTC)
    assert DaemonEvent.build(event="file_imported", at=at).changes_store
    assert not DaemonEvent.build(event="sync_started", at=at).changes_store

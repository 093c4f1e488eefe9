"""The control socket's typed protocol: what the daemon sends is what the client reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from frmr.daemon.events import EventHub
from frmr.daemon.protocol import DaemonEvent, DaemonStatus, EventKind, StatusAnswer


def _status(**changes: object) -> DaemonStatus:
    fields: dict[str, object] = {
        "pid": 7,
        "version": "1",
        "registry_url": None,
        "registry_reachable": None,
        "logged_in": False,
        "login_required": False,
        "last_sync_at": None,
        "last_sync_ok": None,
        "counts_by_status": {"draft": 2},
        "queued": 0,
        "not_delivered": 0,
        "next_retry_at": None,
        "last_error": None,
        "disk_problem": None,
        "watched_folder": "/home/d/documents",
        "watching": "inotify",
        "pending_files": 1,
        "rejected_files": 0,
    }
    return DaemonStatus.build(**(fields | changes))


def test_a_status_with_unknowns_reads_back_the_same() -> None:
    status = _status()
    line = StatusAnswer(ok=True, status=status).line()
    assert StatusAnswer.model_validate_json(line).status == status


def test_the_daemon_cannot_send_a_field_the_protocol_lacks() -> None:
    with pytest.raises(TypeError, match="queued_files"):
        _status(queued_files=3)
    hub = EventHub()
    with pytest.raises(TypeError, match="progress"):
        hub.publish("file_packed", {"message": "готово", "progress": 0.5})
    with pytest.raises(ValueError, match="file_exploded"):
        hub.publish("file_exploded", {})


def test_a_client_a_version_behind_reads_a_newer_daemon() -> None:
    newer = json.loads(StatusAnswer(ok=True, status=_status()).line())
    newer["status"]["something_new"] = {"nested": True}
    read = StatusAnswer.model_validate_json(json.dumps(newer))
    assert read.status is not None and read.status.pending_files == 1


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

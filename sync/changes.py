"""Pulling the registry's decisions: statuses and reasons from the changes feed, since the
stored cursor, which commits in the same transaction as the changes it covers."""

from __future__ import annotations

from frmr.contract.protocol import ChangesOut, Paths
from frmr.model.applications import delivery
from frmr.model.rules.statuses import Actor, ApplicationStatus
from frmr.model.store import sync_rows
from frmr.model.store.tables import Application
from frmr.sync.link import CycleReport, Link

CURSOR_KEY = "changes_cursor"


def pull_changes(link: Link, report: CycleReport) -> None:
    while True:
        cursor = sync_rows.sync_state(link.store, CURSOR_KEY)
        params = {"since": cursor} if cursor else None
        response = link.client.send("GET", Paths.CHANGES, params=params)
        page = ChangesOut.model_validate_json(response.content)
        if not page.changes:
            return
        events: list[tuple[str, str | None, ApplicationStatus, ApplicationStatus]] = []
        with link.store.write() as session:
            for change in page.changes:
                app = session.get(Application, change.application_id)
                if app is None:
                    continue
                if not app.number:
                    app.number = change.number
                    session.add(app)
                before = app.status
                status = ApplicationStatus(change.status)
                if status is ApplicationStatus.NOT_DELIVERED:
                    if before is ApplicationStatus.QUEUED:
                        delivery.record_not_delivered(
                            session,
                            app,
                            actor=Actor.REGISTRY,
                            reason=change.reason,
                            delay=link.schedule.resubmit_delay(app),
                        )
                else:
                    actor = Actor(change.actor)
                    delivery.apply_registry_status(session, app, status, change.reason, actor)
                if app.status is not before:
                    events.append((app.id, app.number, before, app.status))
                    report.pulled += 1
            sync_rows.set_sync_state(session, CURSOR_KEY, page.cursor)
        for app_id, number, before, after in events:
            link.status_changed(app_id, number, before, after)

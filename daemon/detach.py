"""Detaching a document whose file left an application's folder, in the store."""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from frmr.model.statuses import ApplicationStatus
from frmr.model.tables import Application, Attachment

log = logging.getLogger(__name__)


def detach_deleted_file(session: Session, folder_name: str, document_id: str) -> str | None:
    """Detach `document_id` from the application owning `folder_name` while that application
    is still editable; returns the application's id when something was detached."""
    app = session.exec(
        select(Application).where(
            Application.folder_name == folder_name,
            Application.deleted == False,  # noqa: E712
        )
    ).first()
    if app is None:
        return None
    if app.status not in (ApplicationStatus.DRAFT, ApplicationStatus.FORMED):
        log.info("deletion in the folder of filed application %s ignored", app.id)
        return None
    link = session.exec(
        select(Attachment).where(
            Attachment.application_id == app.id,
            Attachment.document_id == document_id,
            Attachment.deleted == False,  # noqa: E712
        )
    ).first()
    if link is None:
        return None
    if link.synced_version == 0:
        session.delete(link)  # the registry never heard of it
    else:
        link.deleted = True
        link.touch()
        session.add(link)
    app.touch()
    session.add(app)
    return app.id

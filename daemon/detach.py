"""Detaching a document from an application whose folder lost (or replaced) its file."""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from frmr.model.tables import Application, Attachment

log = logging.getLogger(__name__)


def detach_deleted_file(session: Session, folder_name: str, document_id: str) -> str | None:
    """Detach `document_id` from the application owning `folder_name` while its folder still
    changes its set (a draft); returns the application's id when something was detached."""
    app = session.exec(
        select(Application).where(
            Application.folder_name == folder_name,
            Application.deleted == False,  # noqa: E712
        )
    ).first()
    if app is None:
        return None
    if not app.status.takes_files:
        log.info("deletion in the folder of %s application %s ignored", app.status.value, app.id)
        return None
    return app.id if detach_link(session, app, document_id) else None


def detach_link(session: Session, app: Application, document_id: str) -> bool:
    """Remove the attachment of `document_id` to `app`, if there is one; True if there was."""
    link = session.exec(
        select(Attachment).where(
            Attachment.application_id == app.id,
            Attachment.document_id == document_id,
            Attachment.deleted == False,  # noqa: E712
        )
    ).first()
    if link is None:
        return False
    if link.synced_version == 0:
        session.delete(link)  # the registry never heard of it
    else:
        link.deleted = True
        link.touch()
        session.add(link)
    app.touch()
    session.add(app)
    return True

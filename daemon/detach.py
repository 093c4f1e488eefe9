"""Detaching a document whose file left an application's folder, in the store."""

from __future__ import annotations

import logging

from sqlmodel import Session

from frmr.model.actions.documents import detach_in_session
from frmr.model.actions.lookup import application_in_folder

log = logging.getLogger(__name__)


def detach_deleted_file(session: Session, folder_name: str, document_id: str) -> str | None:
    """Detach `document_id` from the application owning `folder_name` while that application
    is still editable; returns the application's id when something was detached."""
    app = application_in_folder(session, folder_name)
    if app is None:
        return None
    if not app.status.is_editable:
        log.info("deletion in the folder of filed application %s ignored", app.id)
        return None
    return app.id if detach_in_session(session, app, document_id) else None

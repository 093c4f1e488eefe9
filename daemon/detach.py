"""Detaching a document from an application whose folder lost (or replaced) its file."""

from __future__ import annotations

import logging

from sqlmodel import Session

from frmr.model.documents.library import detach_in_session
from frmr.model.store.lookup import application_in_folder

log = logging.getLogger(__name__)


def detach_deleted_file(session: Session, folder_name: str, document_id: str) -> str | None:
    """Detach `document_id` from the application owning `folder_name` while its folder still
    changes its set (a draft); returns the application's id when something was detached."""
    app = application_in_folder(session, folder_name)
    if app is None:
        return None
    if not app.status.takes_files:
        log.info("deletion in the folder of %s application %s ignored", app.status.value, app.id)
        return None
    return app.id if detach_in_session(session, app, document_id) else None

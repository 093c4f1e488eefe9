"""One path is one attachment: a file of an application's folder that changed replaces the
attachment it was, in one step, and the history says so — or, when its new version is
refused, the old attachment stays and the history says that too."""

from __future__ import annotations

from sqlmodel import Session

from frmr.model.documents.library import attach_in_session, attached_documents, detach_in_session
from frmr.model.rules.limits import check_attachment_set
from frmr.model.rules.statuses import check_attachments_open
from frmr.model.store.tables import (
    Application,
    AttachmentReplacement,
    Document,
    ReplacementOutcome,
)


def replace_in_session(
    session: Session, app: Application, old_document_id: str, new: Document, *, path: str
) -> None:
    """Attach `new` in the place of `old_document_id` inside an open write transaction.

    The limits count the set without the old version; when the new one does not fit this
    raises UploadLimitExceeded before anything changed, so the old attachment stays."""
    check_attachments_open(app.status, app.id)
    current = attached_documents(session, app.id)
    old = next((d for d in current if d.id == old_document_id), None)
    remaining = [d for d in current if d.id != old_document_id]
    if all(d.id != new.id for d in remaining):
        check_attachment_set([d.size for d in remaining], [new.size])
    if old is None:
        # Detached meanwhile (by hand): there is nothing to replace, only a file to attach.
        attach_in_session(session, app, [new])
        return
    detach_in_session(session, app, old.id)
    attach_in_session(session, app, [new])
    session.add(
        AttachmentReplacement(
            application_id=app.id,
            file_name=_name(path),
            source_path=path,
            outcome=ReplacementOutcome.REPLACED,
            old_document_id=old.id,
            old_sha256=old.sha256,
            old_size=old.size,
            new_document_id=new.id,
            new_sha256=new.sha256,
            new_size=new.size,
        )
    )


def record_kept(
    session: Session,
    application_id: str,
    old_document_id: str,
    *,
    path: str,
    new_size: int | None,
    reason: str,
) -> None:
    """The file at `path` changed but its new version was refused for `reason`: say that the
    attachment it was stays (when it still does)."""
    old = session.get(Document, old_document_id)
    attached = {d.id for d in attached_documents(session, application_id)}
    if old is None or old.id not in attached:
        return
    session.add(
        AttachmentReplacement(
            application_id=application_id,
            file_name=_name(path),
            source_path=path,
            outcome=ReplacementOutcome.KEPT,
            old_document_id=old.id,
            old_sha256=old.sha256,
            old_size=old.size,
            new_size=new_size,
            reason=reason,
        )
    )


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]

"""Producing the report's files from the store and attaching the PDF to an application as its
report item."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from frmr.model.documents.library import (
    attach_in_session,
    attached_documents,
    import_file,
)
from frmr.model.report.files import Produced, write_docx, write_pdf
from frmr.model.report.record import load_report
from frmr.model.rules.limits import check_attachment_set
from frmr.model.store.account import Account
from frmr.model.store.engine import make_private_dir
from frmr.model.store.lookup import find_application
from frmr.model.store.reads.documents import LibraryDocument
from frmr.model.store.tables import Attachment, Document

# The title of the document in the library and on the application: one report item each.
REPORT_TITLE = "Отчёт о профессиональной деятельности"


def produce_pdf(account: Account, target: Path | None, today: date | None = None) -> Produced:
    """Write the PDF of the report as the store holds it (its facts refreshed) to `target`."""
    return write_pdf(load_report(account, today), target)


def produce_docx(account: Account, target: Path | None, today: date | None = None) -> Produced:
    return write_docx(load_report(account, today), target)


def reports_folder(account: Account) -> Path:
    """Where the TUI and attaching put the files: beside the store, private (personal data),
    and outside the watched documents folder, so the daemon does not import them again."""
    folder = account.home / "reports"
    make_private_dir(folder)
    return folder


def attach_report(
    account: Account, application_ref: str, today: date | None = None
) -> LibraryDocument:
    """Produce the PDF and attach it as the application's report item, in one action.

    A report attached before is replaced, not added to; the new file counts against the
    5 files / 10 MiB like any other (model/rules/limits.py).
    """
    with account.store.read() as session:
        app = find_application(session, application_ref)
        app_id = app.id
    produced = produce_pdf(account, reports_folder(account), today)
    with account.store.read() as session:
        others = [d.size for d in attached_documents(session, app_id) if d.title != REPORT_TITLE]
    check_attachment_set(others, [produced.path.stat().st_size])
    document = import_file(account, produced.path, title=REPORT_TITLE).document
    with account.store.write() as session:
        app = find_application(session, app_id)
        links = session.exec(
            select(Attachment, Document)
            .join(Document, Attachment.document_id == Document.id)  # type: ignore[arg-type]
            .where(
                Attachment.application_id == app_id,
                Attachment.deleted == False,  # noqa: E712
                Document.title == REPORT_TITLE,
                Document.id != document.id,
            )
        ).all()
        for link, _old in links:
            if link.synced_version == 0:
                session.delete(link)
            else:
                link.deleted = True
                link.touch()
                session.add(link)
        session.flush()
        attach_in_session(session, app, [document])
    return document

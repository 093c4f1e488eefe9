"""Producing the report's files and attaching the PDF to an application as its report item."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import select

from frmr.model.account import Account
from frmr.model.actions.documents import attach_in_session, attached_documents, import_file
from frmr.model.actions.lookup import find_application
from frmr.model.limits import check_attachment_set
from frmr.model.report import ReportView, load_report
from frmr.model.report_document import build_document, initials_first
from frmr.model.store import make_private_dir
from frmr.model.tables import Attachment, Document

# The title of the document in the library and on the application: one report item each.
REPORT_TITLE = "Отчёт о профессиональной деятельности"


@dataclass(frozen=True)
class Produced:
    path: Path
    pages: int | None


def file_name(view: ReportView, suffix: str, pages: int | None = None) -> str:
    """«Иванова М.П. отчёт о профессиональной деятельности на 3 л.pdf», the naming the
    accreditation centres ask for (mediator-med.ru: «Смирнов А.В. трудовая книжка на 3 л.»)."""
    who = initials_first(view.author)
    # «И.О. Фамилия» is for signatures; a file name leads with the surname.
    parts = who.split(" ", 1)
    who = f"{parts[1]} {parts[0]}" if len(parts) == 2 else who
    # The abbreviation's dot would run into the extension's: «на 3 л.pdf».
    sheets = f" на {pages} л" if pages else ""
    name = f"{who} отчёт о профессиональной деятельности{sheets}".strip()
    return f"{name}.{suffix}"


def _write_private(path: Path, data: bytes) -> None:
    """Personal data: the file is the worker's alone (0600), whoever's umask runs us."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


def produce_pdf(account: Account, target: Path | None, today: date | None = None) -> Produced:
    """Write the PDF to `target` (a file or a folder; the working folder when None)."""
    from frmr.model.report_pdf import render_pdf

    view = load_report(account, today)
    rendered = render_pdf(build_document(view), view.report.updated_at)
    path = _target(target, file_name(view, "pdf", rendered.pages))
    _write_private(path, rendered.data)
    return Produced(path, rendered.pages)


def produce_docx(account: Account, target: Path | None, today: date | None = None) -> Produced:
    from frmr.model.report_docx import render_docx

    view = load_report(account, today)
    data = render_docx(build_document(view), view.report.updated_at)
    path = _target(target, file_name(view, "docx"))
    _write_private(path, data)
    return Produced(path, None)


def reports_folder(account: Account) -> Path:
    """Where the TUI and attaching put the files: beside the store, private (personal data),
    and outside the watched documents folder, so the daemon does not import them again."""
    folder = account.home / "reports"
    make_private_dir(folder)
    return folder


def _target(target: Path | None, name: str) -> Path:
    if target is None:
        return Path.cwd() / name
    if target.is_dir():
        return target / name
    return target


def attach_report(account: Account, application_ref: str, today: date | None = None) -> Document:
    """Produce the PDF and attach it as the application's report item, in one action.

    A report attached before is replaced, not added to; the new file counts against the
    5 files / 10 MiB like any other (model/limits.py).
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

"""The report's PDF and DOCX as files: named as the accreditation centres ask, private.

No store here: the view comes from model.report.record (the ORM, which may save a refresh) or from
model.store.reads (sqlite3), and the renderers are imported only when a file is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frmr.model.report.document import build_document, initials_first
from frmr.model.report.view import ReportView
from frmr.model.store.private_files import write_private


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


def _target(target: Path | None, name: str) -> Path:
    if target is None:
        return Path.cwd() / name
    if target.is_dir():
        return target / name
    return target


def write_pdf(view: ReportView, target: Path | None) -> Produced:
    """Write the PDF to `target` (a file or a folder; the working folder when None)."""
    from frmr.model.report.pdf_file import render_pdf

    # The report's last change dates the file, so the same report gives the same bytes.
    rendered = render_pdf(build_document(view), view.report.updated_at)
    path = _target(target, file_name(view, "pdf", rendered.pages))
    # Personal data: the worker's alone (0600) whoever's umask runs us, whole or not at all.
    write_private(path, rendered.data)
    return Produced(path, rendered.pages)


def write_docx(view: ReportView, target: Path | None) -> Produced:
    from frmr.model.report.docx_file import render_docx

    data = render_docx(build_document(view), view.report.updated_at)
    path = _target(target, file_name(view, "docx"))
    write_private(path, data)
    return Produced(path, None)

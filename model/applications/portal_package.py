"""The ready set for the real portal: the files to upload and the sheet of values to type.

The real personal account (lkmr.egisz.rosminzdrav.ru) can't be reached from here, so a
worker uploads by hand. This builds exactly what to upload — every attachment as a PDF
(the portal asks for PDF with a lowercase extension, mediator-med.ru), named by the
template, within 5 files and 10 MiB together — and ПОДАЧА.txt, which walks the form
«Добавить заявление» in the portal's order (docs/domain.md, «The application»).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from frmr.model.applications.json_shape import PortfolioDocument
from frmr.model.documents.pack_actions import packed_name
from frmr.model.documents.packing import PackInput, PackProfile, merge, pack
from frmr.model.rules.contacts import format_phone
from frmr.model.rules.education import EducationLevel
from frmr.model.rules.errors import FrmrError
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import MAX_FILES, MAX_TOTAL_BYTES, check_attachment_set, format_size
from frmr.model.rules.snils import format_snils
from frmr.model.store.account import Account
from frmr.model.store.engine import make_private_dir, session_connection
from frmr.model.store.private_files import write_private
from frmr.model.store.reads.applications import ApplicationRow, AttachedFile, application_view
from frmr.model.store.reads.card import Card, read_card

SHEET_NAME = "ПОДАЧА.txt"
# «Дополнительные документы» in the form is a list of named items (kdpconsulting.ru).
PORTAL_ITEM = "Дополнительные документы"


@dataclass(frozen=True)
class PortalFile:
    name: str
    data: bytes
    title: str
    pages: int
    source: str
    # What packing did, when it did more than wrap or copy.
    note: str | None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class PortalPackage:
    application: ApplicationRow
    files: list[PortalFile]
    sheet: str

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def _title(document: AttachedFile) -> str:
    return (document.title or "").strip() or Path(document.file_name).stem


def _unique(name: str, taken: set[str]) -> str:
    stem, number = name.removesuffix(".pdf"), 2
    while name.casefold() in taken:
        name = f"{stem} ({number}).pdf"
        number += 1
    taken.add(name.casefold())
    return name


def _as_pdfs(
    account: Account, documents: list[AttachedFile], budgets: list[int] | None, profile: PackProfile
) -> list[tuple[bytes, int, str | None]]:
    out: list[tuple[bytes, int, str | None]] = []
    for index, document in enumerate(documents):
        data = account.store.blobs.path_for(document.sha256).read_bytes()
        item = [PackInput(document.file_name, data)]
        if budgets is None:
            if document.kind is FileKind.PDF:
                merged, pages = data, _page_count(data)
            else:
                merged, pages = merge(item)
            out.append((merged, pages, None))
            continue
        result = pack(item, budgets[index], profile=profile, title=_title(document))
        out.append((result.data, result.pages, result.summary() if result.compressed else None))
    return out


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def build_package(
    account: Account, ref: str, *, template: str, profile: PackProfile
) -> PortalPackage:
    """Everything to upload for one application, in memory, ready to show or to write."""
    with account.store.read() as session:
        conn = session_connection(session)
        view = application_view(conn, account.documents_dir, ref)
        person = read_card(conn)
    documents = view.documents
    check_attachment_set([], [d.size for d in documents])
    pdfs = _as_pdfs(account, documents, None, profile)
    total = sum(len(data) for data, _, _ in pdfs)
    if total > MAX_TOTAL_BYTES:
        # Images wrapped as PDF can outgrow the limit the originals kept; then each file
        # gets a share of 10 MiB in proportion to its size and is packed into it.
        budgets = [MAX_TOTAL_BYTES * len(data) // total for data, _, _ in pdfs]
        pdfs = _as_pdfs(account, documents, budgets, profile)
    taken: set[str] = set()
    files = [
        PortalFile(
            name=_unique(packed_name(template, person, _title(d), pages), taken),
            data=data,
            title=_title(d),
            pages=pages,
            source=d.file_name,
            note=note,
        )
        for d, (data, pages, note) in zip(documents, pdfs, strict=True)
    ]
    sheet = submission_sheet(view.app, person, files, view.report_agreed, view.portfolio_documents)
    return PortalPackage(view.app, files, sheet)


def submission_sheet(
    app: ApplicationRow,
    person: Card,
    files: list[PortalFile],
    report_agreed: bool,
    portfolio_documents: list[PortfolioDocument] | None = None,
) -> str:
    """ПОДАЧА.txt: each field of «Добавить заявление» in the portal's order, with its value."""
    level = EducationLevel(app.education_level).label if app.education_level else "—"
    lines = [
        f"Подача заявления на аккредитацию в личном кабинете ФРМР — {app.specialty_name}",
        "Портал: https://lkmr.egisz.rosminzdrav.ru → «Аккредитация» → «Добавить заявление».",
        "Поля заполняйте в этом порядке.",
        "",
        "1. Сведения о специалисте (подставляются из ФРМР; сверьте):",
        f"   ФИО: {person.full_name or '—'}",
        f"   СНИЛС: {format_snils(person.snils) if person.snils else '—'}",
        f"2. Вид аккредитации: {app.kind.label}",
        f"3. Контактный телефон: {format_phone(app.phone)}",
        f"4. Адрес электронной почты: {app.email}",
        f"5. Специальность: {app.specialty_name} (код {app.specialty_code})",
        f"6. Уровень образования: {level}",
        "7. Портфолио: подставляется из раздела «Портфолио»; проверьте, что он заполнен.",
        *_portfolio_documents_lines(portfolio_documents or []),
        "8. Согласование отчёта о профессиональной деятельности: "
        + ("Да" if report_agreed else "Нет"),
        f"9. {PORTAL_ITEM} (файлов {len(files)} из {MAX_FILES}, "
        f"{format_size(sum(f.size for f in files))} из {format_size(MAX_TOTAL_BYTES)}):",
    ]
    if not files:
        lines.append("   нет файлов")
    for number, f in enumerate(files, 1):
        lines.append(f"   {number}) пункт «{f.title}» — файл «{f.name}» ({format_size(f.size)})")
        if f.note:
            lines.append(f"      из «{f.source}»; {f.note}")
    lines += [
        f"10. Комментарий: {app.comment or '— (оставьте пустым)'}",
        "",
        "Затем нажмите «Сформировать заявление», а в меню строки заявления — «Подать заявление».",
        "",
    ]
    return "\n".join(lines)


def _portfolio_documents_lines(items: list[PortfolioDocument]) -> list[str]:
    """The portfolio's additional documents: they go in «Портфолио», each part's own list,
    not among the application's files."""
    if not items:
        return []
    lines = ["   Дополнительные документы портфолио (в разделе «Портфолио», в своей части):"]
    for item in items:
        lines.append(
            f"   — {item.part.label.lower()} часть: «{item.name}» (файл «{item.file_name}»)"
        )
    return lines


def write_package(package: PortalPackage, dest: Path) -> Path:
    """Write the set into ``dest`` (new or empty), all at once: a folder with anything else
    in it could be uploaded by mistake, and a half-written one must not look finished."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FrmrError(
            f"Папка «{dest}» уже существует и не пуста",
            f"package destination {dest} exists and is not empty",
            code="package_destination_taken",
            fix="Укажите новую папку: в ней должны быть только файлы для портала",
        )
    make_private_dir(dest.parent)
    staging = Path(tempfile.mkdtemp(prefix=".frmr-package-", dir=dest.parent))
    try:
        for f in package.files:
            write_private(staging / f.name, f.data)
        write_private(staging / SHEET_NAME, package.sheet.encode())
        if dest.exists():
            dest.rmdir()
        os.replace(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dest

"""Intake of the watched folder: take each complete file once, refuse the rest with a reason.

Watcher events are only hints (Syncthing's rule): a hinted path waits until its size and
mtime have not changed for the settle window, is re-checked, and only then imported. A
rescan at start and on a long timer catches whatever the events missed.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select

from model.account import Account
from model.actions.documents import (
    attach_in_session,
    attached_documents,
    check_source_file,
    import_file,
)
from model.blobs import hash_file
from model.errors import UploadLimitExceeded, UploadRefused
from model.limits import check_attachment_set
from model.snils import mask_personal_data
from model.statuses import ApplicationStatus
from model.store import make_private_dir
from model.tables import Application, Attachment, Document, RejectedFile

log = logging.getLogger(__name__)

TEMP_SUFFIXES = (".part", ".crdownload", ".tmp", ".swp", ".partial")
REASON_SUFFIX = ".причина.txt"
REJECTED = "rejected"

Emit = Callable[[str, dict[str, Any]], None]


def is_temp_name(name: str) -> bool:
    """Names of files still being written: rsync's `.name.XXXXXX`, browser downloads, Office
    lock files, editors' swap files; dotfiles in general."""
    return name.startswith((".", "~$")) or name.endswith(TEMP_SUFFIXES)


@dataclass
class Seen:
    size: int
    mtime_ns: int
    changed_at: float


@dataclass(frozen=True)
class Place:
    """Where a path sits: the library root, an application's folder, or deeper."""

    kind: str  # "library" | "folder" | "nested" | "ignored"
    folder: str | None = None


class Refusal(Exception):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


class Intake:
    def __init__(
        self,
        account: Account,
        *,
        settle_seconds: float,
        emit: Emit,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.account = account
        self.root = account.documents_dir
        self.rejected = account.rejected_dir
        self.settle = settle_seconds
        self.emit = emit
        self.clock = clock
        self.pending: dict[Path, Seen] = {}
        self.deleted: dict[Path, float] = {}
        # Handled files by (size, mtime_ns): a rescan skips them without reading a byte.
        self.known: dict[Path, tuple[int, int]] = {}
        # Which document a file in an application folder became, to detach on its deletion.
        self.documents_by_path: dict[Path, str] = {}
        self._seed_known()

    def _seed_known(self) -> None:
        with self.account.store.read() as session:
            for document in session.exec(select(Document)).all():
                if document.source_path:
                    path = Path(document.source_path)
                    imported_ns = int(document.imported_at.timestamp() * 1e9)
                    self.known[path] = (document.size, imported_ns)
                    self.documents_by_path[path] = document.id

    # --- hints ----------------------------------------------------------------------

    def place(self, path: Path) -> Place:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return Place("ignored")
        if not parts or parts[0] == REJECTED or any(is_temp_name(p) for p in parts):
            return Place("ignored")
        if len(parts) == 1:
            return Place("library")
        if len(parts) == 2:
            return Place("folder", parts[0])
        return Place("nested", parts[0])

    def hint(self, path: Path, *, deleted: bool = False) -> None:
        """A watcher event or a rescan found `path`; it is looked at once it settles."""
        where = self.place(path)
        if where.kind == "ignored":
            return
        if where.kind == "nested":
            # A subfolder inside an application folder: the subfolder itself is refused.
            path = (
                self.root
                / path.relative_to(self.root).parts[0]
                / path.relative_to(self.root).parts[1]
            )
            deleted = False
        if deleted:
            self.pending.pop(path, None)
            if where.kind == "folder":
                self.deleted[path] = self.clock()
            return
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if where.kind == "library" and stat.S_ISDIR(st.st_mode):
            return  # an application's folder (or another folder): its files come one by one
        known = self.known.get(path)
        if known is not None and known[0] == st.st_size and st.st_mtime_ns <= known[1]:
            return
        seen = self.pending.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != (st.st_size, st.st_mtime_ns):
            self.pending[path] = Seen(st.st_size, st.st_mtime_ns, self.clock())
        elif where.kind == "nested":
            seen.changed_at = self.clock()

    def rescan(self) -> None:
        """Hint every entry of the root and of each folder in it (never `rejected/`)."""
        if not self.root.is_dir():
            return
        for entry in os.scandir(self.root):
            path = Path(entry.path)
            if entry.name == REJECTED or is_temp_name(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                for inner in os.scandir(path):
                    self.hint(Path(inner.path))
            else:
                self.hint(path)

    def next_deadline(self) -> float | None:
        times = [s.changed_at for s in self.pending.values()] + list(self.deleted.values())
        return min(times) + self.settle if times else None

    # --- acting on settled paths ------------------------------------------------------

    def process_due(self) -> int:
        """Handle every path quiet for the settle window; returns how many were handled."""
        now = self.clock()
        handled = 0
        for path, seen in sorted(self.pending.items(), key=lambda item: item[1].changed_at):
            if now - seen.changed_at < self.settle:
                continue
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                del self.pending[path]
                continue
            if (st.st_size, st.st_mtime_ns) != (seen.size, seen.mtime_ns):
                self.pending[path] = Seen(st.st_size, st.st_mtime_ns, now)
                continue
            del self.pending[path]
            self._take(path, st)
            handled += 1
        for path, at in list(self.deleted.items()):
            if now - at >= self.settle:
                del self.deleted[path]
                self._deleted(path)
                handled += 1
        return handled

    def _take(self, path: Path, st: os.stat_result) -> None:
        where = self.place(path)
        try:
            if where.kind == "nested" or (where.kind == "folder" and stat.S_ISDIR(st.st_mode)):
                raise Refusal(
                    f"Папка «{path.name}» внутри папки заявления не принимается",
                    "Положите файлы прямо в папку заявления, без вложенных папок",
                )
            if stat.S_ISLNK(st.st_mode):
                raise Refusal(
                    f"«{path.name}» — символическая ссылка, а не файл",
                    "Скопируйте в папку сам файл, а не ссылку на него",
                )
            if not stat.S_ISREG(st.st_mode):
                raise Refusal(
                    f"«{path.name}» — не обычный файл",
                    "Положите в папку файл PDF, JPEG или PNG",
                )
            if where.kind == "library":
                self._import_to_library(path, st)
            else:
                assert where.folder is not None
                self._import_to_application(path, st, where.folder)
        except Refusal as refusal:
            self.reject(path, refusal.message, refusal.fix, where.folder)
        except UploadRefused as error:
            self.reject(path, error.user_message, error.fix or "", where.folder)
        except FileNotFoundError:
            log.info("%s vanished before it could be taken", self._shown(path))
        except Exception:
            # One bad file must not stop the intake of the others; it is tried again later.
            log.exception("intake of %s failed", self._shown(path))

    def _shown(self, path: Path) -> str:
        return mask_personal_data(str(path.relative_to(self.root)))

    def _import_to_library(self, path: Path, st: os.stat_result) -> None:
        result = import_file(self.account, path)
        self.known[path] = (st.st_size, st.st_mtime_ns)
        log.info(
            "imported %s as document %s%s",
            self._shown(path),
            result.document.id,
            "" if result.created else " (already in the library)",
        )
        self.emit(
            "file_imported",
            {
                "path": str(path),
                "document_id": result.document.id,
                "created": result.created,
                "message": f"Файл «{path.name}» добавлен в документы",
            },
        )

    def _application(self, folder: str) -> Application | None:
        with self.account.store.read() as session:
            return session.exec(
                select(Application).where(
                    Application.folder_name == folder,
                    Application.deleted == False,  # noqa: E712
                )
            ).first()

    def _import_to_application(self, path: Path, st: os.stat_result, folder: str) -> None:
        app = self._application(folder)
        if app is None:
            raise Refusal(
                f"Папка «{folder}» не относится ни к одному заявлению",
                "Кладите файлы в корень папки документов или в папку заявления "
                "(её путь показывает «frmr apps list»)",
            )
        if not app.status.is_editable:
            self.known[path] = (st.st_size, st.st_mtime_ns)
            log.info(
                "ignored %s: application %s is %s, its folder no longer changes it",
                self._shown(path),
                app.id,
                app.status.value,
            )
            self.emit(
                "file_ignored",
                {
                    "path": str(path),
                    "application_id": app.id,
                    "message": f"Заявление в статусе «{app.status.label}»: "
                    f"файл «{path.name}» к нему не приложен",
                },
            )
            return
        size = check_source_file(path)
        with self.account.store.read() as session:
            current = attached_documents(session, app.id)
        try:
            check_attachment_set([d.size for d in current], [size])
        except UploadLimitExceeded:
            # The same content already attached is no new file: nothing to refuse.
            if hash_file(path)[0] not in {d.sha256 for d in current}:
                raise
        result = import_file(self.account, path)
        with self.account.store.write() as session:
            row = session.get(Application, app.id)
            if row is None:
                return
            attach_in_session(session, row, [result.document])
        self.known[path] = (st.st_size, st.st_mtime_ns)
        self.documents_by_path[path] = result.document.id
        log.info("imported %s and attached it to %s", self._shown(path), app.id)
        self.emit(
            "file_imported",
            {
                "path": str(path),
                "document_id": result.document.id,
                "application_id": app.id,
                "created": result.created,
                "message": f"Файл «{path.name}» приложен к заявлению",
            },
        )

    def _deleted(self, path: Path) -> None:
        """A file left an application's folder: detach it while the application is editable,
        unless the whole folder went (an unmounted disk must not empty the application)."""
        if path.exists():
            return
        folder = path.parent
        self.known.pop(path, None)
        document_id = self.documents_by_path.pop(path, None)
        if not folder.is_dir():
            log.warning("folder %s vanished: nothing detached", self._shown(folder))
            return
        if document_id is None:
            return
        with self.account.store.write() as session:
            app = session.exec(
                select(Application).where(Application.folder_name == folder.name)
            ).first()
            if app is None:
                return
            if app.status not in (ApplicationStatus.DRAFT, ApplicationStatus.FORMED):
                log.info("deletion in the folder of filed application %s ignored", app.id)
                return
            link = session.exec(
                select(Attachment).where(
                    Attachment.application_id == app.id,
                    Attachment.document_id == document_id,
                    Attachment.deleted == False,  # noqa: E712
                )
            ).first()
            if link is None:
                return
            if link.synced_version == 0:
                session.delete(link)
            else:
                link.deleted = True
                link.touch()
                session.add(link)
            app.touch()
            session.add(app)
            app_id = app.id
        log.info("detached %s from %s: its file was deleted", document_id, app_id)
        self.emit(
            "file_detached",
            {
                "path": str(path),
                "document_id": document_id,
                "application_id": app_id,
                "message": f"Файл «{path.name}» удалён из папки и откреплён от заявления",
            },
        )

    # --- refusing -----------------------------------------------------------------------

    def reject(self, path: Path, message: str, fix: str, folder: str | None) -> None:
        """Move the file (bytes untouched) to rejected/ beside a note saying why."""
        make_private_dir(self.rejected)
        target = self._free_name(path.name)
        try:
            os.rename(path, target)
        except OSError:
            shutil.move(str(path), str(target))
        note = target.with_name(target.name + REASON_SUFFIX)
        where = f" (папка «{folder}»)" if folder else ""
        note.write_text(
            f"Файл «{path.name}»{where} не принят.\n\n"
            f"Что не так: {message}\n\n"
            f"Что сделать: {fix}\n\n"
            f"Сам файл перенесён сюда без изменений: {target.name}\n",
            encoding="utf-8",
        )
        app = self._application(folder) if folder else None
        with self.account.store.write() as session:
            session.add(
                RejectedFile(
                    file_name=path.name,
                    rejected_path=str(target),
                    reason=message,
                    application_id=app.id if app else None,
                )
            )
        log.info("refused %s: %s", self._shown(path), mask_personal_data(message))
        self.emit(
            "file_rejected",
            {
                "path": str(path),
                "rejected_path": str(target),
                "reason": message,
                "message": f"Файл «{path.name}» не принят: {message}",
            },
        )

    def _free_name(self, name: str) -> Path:
        target = self.rejected / name
        stem, suffix = os.path.splitext(name)
        n = 2
        while target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
            target = self.rejected / f"{stem} ({n}){suffix}"
            n += 1
        return target

"""Intake of the watched folder: take each complete file once, refuse the rest with a reason.

Watcher events are only hints (Syncthing's rule): a hinted path waits until it has been
quiet for the settle window (`daemon.settle`), is re-checked, and only then taken. A rescan
at start and on a long timer catches whatever the events missed, including files deleted
from an application's folder while the daemon was down.

Everything that settled by one wake-up is taken as a batch (`daemon.batch`): copied and
hashed in parallel, blobs made durable, then recorded in one write transaction. A file its
writer closed, or that was moved in, is copied while it settles (`daemon.prestage`), so
its batch finds that work done.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import stat
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frmr.daemon.batch import AppState, Batch, Candidate, Taken, record_refusal
from frmr.daemon.detach import detach_deleted_file
from frmr.daemon.packing import AutoPacker
from frmr.daemon.prestage import PreStager, StatKey, stat_key
from frmr.daemon.refusals import (
    KEPT_NOTE,
    REASON_SUFFIX,
    Refusal,
    Refused,
    is_utf8,
    move_to_rejected,
    not_a_file,
    refusal_for_error,
    shown_name,
)
from frmr.daemon.settle import Seen, SettleQueue
from frmr.daemon.worker import Emit
from frmr.daemon.writers import open_for_writing
from frmr.model.documents.library import check_source_file
from frmr.model.rules.errors import AttachmentsFrozen, UploadLimitExceeded, UploadRefused
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.replacements import ReplacementOutcome
from frmr.model.rules.statuses import check_attachments_open
from frmr.model.rules.text import TextInvalid, check_file_name
from frmr.model.store.account import Account
from frmr.model.store.disk import disk_message, is_disk_trouble
from frmr.model.store.engine import session_connection
from frmr.model.store.reads import snapshot
from frmr.model.store.reads.applications import application_rows, attached_files
from frmr.model.store.reads.intake import dropped_documents, latest_replacements

log = logging.getLogger(__name__)

TEMP_SUFFIXES = (".part", ".crdownload", ".tmp", ".swp", ".partial")
# rsync writes `.name.XXXXXX` — a dot, the file's name, a dot and mkstemp's six random
# characters from [A-Za-z0-9] (receiver.c, get_tmpname) — and renames it when done.
RSYNC_TEMP = re.compile(r"^\..+\.[A-Za-z0-9]{6}$")
# Editor backups: Emacs and many others append `~`, others write `.bak`.
BACKUP_SUFFIXES = ("~", ".bak", ".BAK")
# A file not whole by its own end marks, and held by no writer, is looked at again this
# often (each look copies it), until `incomplete_seconds` from the first look.
HOLD_RECHECK_SECONDS = 5.0
# After a full or failing disk, the files waiting are tried again this often.
DISK_RETRY_SECONDS = 5.0
REJECTED = "rejected"
# One batch at most this big, so the first files of a large drop are reported (and the
# loop hears new events, signals and the watchdog) before the last ones are copied.
BATCH_FILES = 64
BATCH_BYTES = 64 * 1024 * 1024
# Folder fsyncs of one batch asked for at once; they wait on the disk, not on a core.
FOLDER_FSYNCS = 8
STAGING_WORKERS = 8

__all__ = ["REASON_SUFFIX", "Intake", "Refusal", "is_temp_name"]


def is_temp_name(name: str) -> bool:
    """Names left alone for good (they become a file under their final name, or belong to
    a program): browser downloads, Office lock files, editors' swap files."""
    return name.startswith("~$") or name.endswith(TEMP_SUFFIXES)


def is_rsync_temp(name: str) -> bool:
    """A name rsync may be writing. The name alone can't tell: `.foo.backup` has the same
    shape. So such a file is never taken, only held while it changes or a writer has it
    open; unchanged and unwritten for `incomplete_seconds` it is no transfer in progress (a
    dead rsync's leftover, or a dot-file of the user's) and is refused with a reason."""
    return bool(RSYNC_TEMP.match(name))


def staging_workers() -> int:
    # Each copy ends in an fsync that waits on the disk, not on a core, and flushes asked
    # for together are served together: staging 300 files of 0.1–2 MB on this machine ran
    # at 135–147 files/s with 3 workers, 179 with 6, 200 with 10, 209 with 16; in the
    # intake bench at 200 files/s, 8 workers cut close→imported p50 from 4.6 s to 2.5–3.2 s.
    return max(STAGING_WORKERS, (os.cpu_count() or 1) + 1)


@dataclass(frozen=True)
class Place:
    """Where a path sits: the library root, an application's folder, or deeper."""

    kind: str  # "library" | "folder" | "nested" | "ignored"
    folder: str | None = None


class Intake:
    def __init__(
        self,
        account: Account,
        *,
        settle_seconds: float,
        emit: Emit,
        clock: Callable[[], float] = time.monotonic,
        incomplete_seconds: float = 600.0,
        packer: AutoPacker | None = None,
    ) -> None:
        self.account = account
        # Files over the limits go to it instead of rejected/ (setting auto_pack).
        self.packer = packer
        self.root = account.documents_dir
        self.rejected = account.rejected_dir
        self.settle = settle_seconds
        self.incomplete_seconds = incomplete_seconds
        self.emit = emit
        self.clock = clock
        self.pending = SettleQueue(settle_seconds)
        self.deleted: dict[Path, float] = {}
        # Handled files by (size, mtime_ns): a rescan skips them without reading a byte.
        self.known: dict[Path, tuple[int, int]] = {}
        # Which document a file in an application folder became, to detach on its deletion.
        self.documents_by_path: dict[Path, str] = {}
        # Paths whose new version was refused: the document they were stays attached, their
        # absence detaches nothing, and a next version at the path replaces that document.
        self.kept_versions: dict[Path, str] = {}
        # Whether the last event about a path was its writer's close (or a move in): then no
        # writer is asked of the kernel. Absent: no event came (a rescan, polling).
        self.closed: dict[Path, bool] = {}
        # A path held as not yet whole: its (size, mtime) and since when it has not changed,
        # for the «файл не докачан» deadline. Any change restarts the clock: a writer that
        # appends in chunks is still at work, however long ago it began.
        self.held_since: dict[Path, tuple[tuple[int, int], float]] = {}
        # A held file judged not whole on a copy, by the stat that copy was judged by, and
        # its kind: unchanged, it is not copied again at each look (a 200 MiB file every
        # 5 s for the whole hold), only its clock is read.
        self.judged_incomplete: dict[Path, tuple[StatKey, FileKind | None]] = {}
        # An rsync-like name's (size, mtime, ctime), and since when it has not changed.
        self.temp_since: dict[Path, tuple[tuple[int, int, int], float]] = {}
        # «Нет места на диске …» while files wait for space; None once a batch went through.
        self.disk_problem: str | None = None
        # Files already moved to rejected/ whose rows a failed commit did not record, and
        # when to try recording them again: a refusal is never only on disk.
        self.unrecorded: list[tuple[Refused, Path]] = []
        self.unrecorded_retry: float | None = None
        # Its threads start with the first copy and then block on a queue: nothing at idle.
        self.pool = ThreadPoolExecutor(staging_workers(), thread_name_prefix="intake")
        # Apart from the copies, so a batch's fsyncs never queue behind early copies.
        self.fsyncs = ThreadPoolExecutor(FOLDER_FSYNCS, thread_name_prefix="intake-fsync")
        self.early = PreStager(account.store.blobs, self.pool)
        self._seed_known()

    def close(self) -> None:
        """Throw away copies not taken yet, once the workers are done with them."""
        self.early.close()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.fsyncs.shutdown(wait=True)

    def _seed_known(self) -> None:
        with self.account.store.read() as session, snapshot(session_connection(session)) as conn:
            dropped = dropped_documents(conn)
            latest = latest_replacements(conn)
        for document in dropped:
            path = Path(document.source_path)
            imported_ns = int(document.imported_at.timestamp() * 1e9)
            self.known[path] = (document.size, imported_ns)
            if self.place(path).kind == "folder":
                self.documents_by_path[path] = document.id
        for source, row in latest.items():
            path = Path(source)
            # The old and the new version both came from this path: the newest row says
            # which one the path is now.
            if row.outcome is ReplacementOutcome.KEPT:
                self.documents_by_path.pop(path, None)
                self.kept_versions[path] = row.old_document_id
            elif row.new_document_id is not None:
                self.documents_by_path[path] = row.new_document_id

    # --- hints ----------------------------------------------------------------------

    def place(self, path: Path) -> Place:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return Place("ignored")
        if (
            not parts
            or parts[0] == REJECTED
            or is_temp_name(parts[-1])
            # Hidden folders (a desktop's .Trash-1000, .git) are nobody's drop.
            or any(p.startswith(".") for p in parts[:-1])
        ):
            return Place("ignored")
        if len(parts) == 1:
            return Place("library")
        if len(parts) == 2:
            return Place("folder", parts[0])
        return Place("nested", parts[0])

    def hint(
        self,
        path: Path,
        *,
        deleted: bool = False,
        at: float | None = None,
        complete: bool = False,
    ) -> None:
        """A watcher event (seen at `at`) or a rescan found `path`; it is looked at once it
        has been quiet for the settle window. `complete`: the event was a close after writing
        or a move in, so the file is likely whole and is copied at once."""
        where = self.place(path)
        if where.kind == "ignored":
            return
        if where.kind == "nested":
            # A subfolder inside an application folder: the subfolder itself is refused.
            path = self.root.joinpath(*path.relative_to(self.root).parts[:2])
            deleted = complete = False
        now = self.clock() if at is None else at
        if at is not None:
            # Touched after its copy began: the copy may mix old and new bytes.
            self.early.drop(path)
            self.closed[path] = complete
        if deleted:
            self.pending.forget(path)
            self._forget(path)
            if where.kind == "folder":
                self.deleted[path] = now
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
        # An event says the file was touched at `at` even when the stat looks the same; a
        # rescan only says what the file is now.
        activity = at is not None or where.kind == "nested"
        self.pending.note(path, st.st_size, st.st_mtime_ns, now, activity=activity)
        # Not what is sure to be refused unread (symlinks, folders, too big, odd names).
        if (
            complete
            and stat.S_ISREG(st.st_mode)
            and 0 < st.st_size <= MAX_TOTAL_BYTES
            and _name_problem(path.name) is None
        ):
            self.early.start(path, st)

    def rescan(self) -> None:
        """Hint every entry of the root and of each folder in it (never `rejected/`), and
        every file that became a document from an application's folder but is gone."""
        if not self.root.is_dir():
            return
        for entry in os.scandir(self.root):
            path = Path(entry.path)
            if entry.name == REJECTED or is_temp_name(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name.startswith("."):
                    continue
                for inner in os.scandir(path):
                    self.hint(Path(inner.path))
            else:
                self.hint(path)
        now = self.clock()
        for path in list(self.documents_by_path):
            if path not in self.deleted and not os.path.lexists(path):
                # Deleted while the daemon was down (or the event was lost): the same rule as
                # a live deletion, including the guard for a folder that vanished whole.
                self.deleted[path] = now

    def next_deadline(self) -> float | None:
        times = [t + self.settle for t in self.deleted.values()]
        if self.unrecorded_retry is not None:
            times.append(self.unrecorded_retry)
        settle = self.pending.next_deadline()
        if settle is not None:
            times.append(settle)
        return min(times) if times else None

    # --- acting on settled paths ------------------------------------------------------

    def process_due(self, max_batches: int | None = None) -> int:
        """Handle paths quiet for the settle window, a batch at a time (all of them unless
        `max_batches` is given); returns how many were handled."""
        handled = 0
        batches = 0
        if self.unrecorded_retry is not None and self.clock() >= self.unrecorded_retry:
            self._record_unrecorded()
        while max_batches is None or batches < max_batches:
            now = self.clock()
            for path, at in list(self.deleted.items()):
                if now - at >= self.settle:
                    del self.deleted[path]
                    self._deleted(path)
                    handled += 1
            due: list[tuple[Path, Seen]] = []
            size = 0
            for path, seen in self.pending.pop_due(now):
                due.append((path, seen))
                size += seen.size
                if len(due) >= BATCH_FILES or size >= BATCH_BYTES:
                    break
            if not due:
                break
            handled += self._take(due, now)
            batches += 1
        return handled

    def _take(self, due: list[tuple[Path, Seen]], now: float) -> int:
        """Check, copy and record one batch; returns how many paths were settled."""
        apps = self._applications({self.place(p).folder for p, _ in due} - {None})
        batch = Batch(
            self.account.store, apps, self.pool, self.fsyncs, auto_pack=self.packer is not None
        )
        handled = 0
        quiet: list[tuple[Path, os.stat_result]] = []
        for path, seen in due:
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            if not seen.same(st.st_size, st.st_mtime_ns):
                # Changed since it was last seen: it has to be quiet for a whole window again.
                self.pending.note(path, st.st_size, st.st_mtime_ns, now, activity=False)
                continue
            if self._transfer_may_go_on(path, st, now):
                continue
            quiet.append((path, st))
        # A file whose writer's close was not seen is asked of the kernel (daemon.writers):
        # a writer stalled longer than the settle window still holds it open.
        writing = open_for_writing(
            p for p, st in quiet if stat.S_ISREG(st.st_mode) and not self.closed.get(p)
        )
        for path, st in quiet:
            if path in writing:
                log.info("%s is still open for writing: held", self._shown(path))
                self._recheck(path, st, now + max(self.settle, 0.5))
                continue
            handled += 1
            where = self.place(path)
            app = apps.get(where.folder) if where.folder else None
            try:
                candidate = self._check(path, st, where, app)
            except Refusal as refusal:
                batch.refuse(Refused(path, refusal.message, refusal.fix, where.folder, _id(app)))
            except UploadRefused as error:
                batch.refuse(
                    Refused(path, error.user_message, error.fix or "", where.folder, _id(app))
                )
            except FileNotFoundError:
                log.info("%s vanished before it could be taken", self._shown(path))
            except OSError as error:
                if (reason := refusal_for_error(error)) is not None:
                    batch.refuse(Refused(path, *reason, where.folder, _id(app)))
                else:
                    log.exception("intake of %s failed", self._shown(path))
            else:
                judged = self.judged_incomplete.get(path)
                if candidate is not None and judged is not None and judged[0] == stat_key(st):
                    self._hold(batch, path, st, judged[1], app, now)
                elif candidate is not None:
                    candidate.early = self.early.claim(path, st)
                    candidate.replaces = self._replaces(path)
                    batch.add(candidate)
        for path, _ in due:
            # Copied early but not taken: vanished, changed, refused, or left be.
            self.early.drop(path)
        try:
            batch.stage()
            for path, st in batch.changed:
                self.pending.note(path, st.st_size, st.st_mtime_ns, self.clock(), activity=True)
            self._hold_incomplete(batch, now)
            self._move_refused(batch)
            result = batch.commit()
        except Exception as error:
            # Not recorded: each file is looked at again, soon if the disk was the cause; the
            # files already moved to rejected/ are recorded as soon as the store takes it.
            batch.discard()
            if self._not_recorded(error, batch.rejected, f"intake of a batch of {len(due)} files"):
                self._disk_trouble(error, [(c.path, c.st) for c in batch.candidates])
            return handled
        if batch.disk_trouble:
            self._disk_trouble(
                batch.disk_trouble[0][1], [(c.path, c.st) for c, _ in batch.disk_trouble]
            )
        elif result.imported or batch.rejected:
            self._disk_recovered()
        for taken in result.imported:
            self._imported(taken.candidate, taken.document_id, taken.created)
        for taken in result.to_pack:
            self._to_pack(taken)
        for candidate in result.ignored:
            self._ignored(candidate.path, candidate.st, candidate.app)
        for refused, target in batch.rejected:
            self._rejected(refused, target)
        for refused in result.late_refusals:
            # The TUI attached files meanwhile: the document is in the library, the file goes.
            self.reject(refused)
        return handled

    def _check(
        self, path: Path, st: os.stat_result, where: Place, app: AppState | None
    ) -> Candidate | None:
        """What can be known before copying: a refusal raised, None for a file to leave be."""
        if where.kind == "nested" or (where.kind == "folder" and stat.S_ISDIR(st.st_mode)):
            raise Refusal(
                f"Папка «{shown_name(path.name)}» внутри папки заявления не принимается",
                "Положите файлы прямо в папку заявления, без вложенных папок",
            )
        if not stat.S_ISREG(st.st_mode):
            raise Refusal(*not_a_file(shown_name(path.name), link=stat.S_ISLNK(st.st_mode)))
        if is_rsync_temp(path.name):
            minutes = max(1, round(self.incomplete_seconds / 60))
            raise Refusal(
                f"«{shown_name(path.name)}» — скрытый файл, названный как временный файл "
                f"rsync, но он не меняется уже {minutes} мин. и никто в него не пишет: "
                "передача прервалась, или это не документ",
                "Если передача прервалась, передайте документ заново; если это ваш документ, "
                "переименуйте его без точки в начале и положите в папку снова",
            )
        if (problem := _name_problem(path.name)) is not None:
            raise Refusal(*problem)
        if where.kind == "folder":
            if app is None:
                raise Refusal(
                    f"Папка «{shown_name(where.folder or '')}» не относится ни к одному заявлению",
                    "Кладите файлы в корень папки документов или в папку заявления "
                    "(её путь показывает «frmr apps list»)",
                )
            try:
                check_attachments_open(app.status, app.id)
            except AttachmentsFrozen as frozen:
                raise Refusal(
                    f"{frozen.user_message}, файл к нему не приложен", frozen.fix or ""
                ) from frozen
        try:
            check_source_file(path)
        except UploadLimitExceeded:
            if self.packer is None or app is None:
                raise
        return Candidate(path, st, app)

    def _transfer_may_go_on(self, path: Path, st: os.stat_result, now: float) -> bool:
        """Whether `path` has an rsync-like name that changed within `incomplete_seconds`:
        then it is held. rsync closes its temp file, sets its times (which moves the
        ctime) and renames it at once: a quiet settle window says nothing about it."""
        if not is_rsync_temp(path.name):
            return False
        key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        seen = self.temp_since.get(path)
        if seen is None or seen[0] != key:
            seen = self.temp_since[path] = (key, now)
        since = seen[1]
        if now - since >= self.incomplete_seconds:
            return False
        self.pending.note(
            path,
            st.st_size,
            st.st_mtime_ns,
            since + self.incomplete_seconds - self.settle,
            activity=True,
        )
        return True

    def _replaces(self, path: Path) -> str | None:
        """The document `path` was attached as, if no other file of its folder is that
        document too: a changed file replaces its old version instead of joining it."""
        old = self.documents_by_path.get(path) or self.kept_versions.get(path)
        if old is None:
            return None
        if any(
            other != path and other.parent == path.parent and doc == old and other.exists()
            for other, doc in self.documents_by_path.items()
        ):
            return None
        return old

    def _held(self, path: Path, st: os.stat_result, now: float) -> float:
        """Since when held `path` has been as it is now (restarted by any change)."""
        key = (st.st_size, st.st_mtime_ns)
        held = self.held_since.get(path)
        if held is None or held[0] != key:
            held = self.held_since[path] = (key, now)
        return held[1]

    def _recheck(self, path: Path, st: os.stat_result, when: float) -> None:
        """Look at `path` again at `when` (a settle deadline is its last change + window)."""
        self._held(path, st, self.clock())
        self.pending.note(path, st.st_size, st.st_mtime_ns, when - self.settle, activity=True)

    def _forget(self, path: Path) -> None:
        """What was noted of `path` while it settled: done with once it is taken, refused
        or gone."""
        self.held_since.pop(path, None)
        self.judged_incomplete.pop(path, None)
        self.temp_since.pop(path, None)
        self.closed.pop(path, None)

    def _hold_incomplete(self, batch: Batch, now: float) -> None:
        """Files not whole by their own marks wait; past `incomplete_seconds` they are refused
        as not fully transferred."""
        for candidate in batch.incomplete:
            self.judged_incomplete[candidate.path] = (stat_key(candidate.st), candidate.kind)
            self._hold(batch, candidate.path, candidate.st, candidate.kind, candidate.app, now)

    def _hold(
        self,
        batch: Batch,
        path: Path,
        st: os.stat_result,
        kind: FileKind | None,
        app: AppState | None,
        now: float,
    ) -> None:
        since = self._held(path, st, now)
        if now - since >= self.incomplete_seconds:
            # The true quiet time, not the setting: a look can come late (a busy disk).
            quiet = _quiet_time(now - since)
            batch.refuse(
                Refused(
                    path,
                    f"Файл «{shown_name(path.name)}» не докачан: в нём нет конца "
                    f"({kind.label if kind else 'файла'}), и он не менялся {quiet}",
                    "Скопируйте файл заново целиком (при обрыве связи — повторите "
                    "передачу) и положите его в ту же папку",
                    path.parent.name if app else None,
                    _id(app),
                )
            )
            return
        log.info("%s is not whole yet: held", self._shown(path))
        remaining = since + self.incomplete_seconds - now
        self._recheck(path, st, now + min(HOLD_RECHECK_SECONDS, remaining))

    def _disk_trouble(
        self, error: BaseException, waiting: list[tuple[Path, os.stat_result]]
    ) -> None:
        """Nothing of the batch was kept; its files stay and are tried again shortly."""
        message = disk_message(error, self.account.store.home) or str(error)
        if message != self.disk_problem:
            log.error("intake stopped by the disk: %s", error)
            self.emit("error", {"message": message, "source": "disk"})
        self.disk_problem = message
        retry = self.clock() + DISK_RETRY_SECONDS
        for path, st in waiting:
            self.pending.note(path, st.st_size, st.st_mtime_ns, retry - self.settle, activity=True)

    def _applications(self, folders: set[str | None]) -> dict[str, AppState]:
        if not folders:
            return {}
        apps: dict[str, AppState] = {}
        with self.account.store.read() as session, snapshot(session_connection(session)) as conn:
            for folder in filter(None, folders):
                for row in application_rows(conn, limit=1, folder=folder):
                    files = attached_files(conn, row.id).get(row.id, [])
                    attached = [(f.sha256, f.size, f.id) for f in files]
                    apps[folder] = AppState(row.id, row.status, attached)
        return apps

    # --- outcomes -----------------------------------------------------------------------

    def _shown(self, path: Path) -> str:
        return mask_personal_data(shown_name(str(path.relative_to(self.root))))

    def _imported(self, candidate: Candidate, document_id: str, created: bool) -> None:
        path, app = candidate.path, candidate.app
        self.known[path] = (candidate.st.st_size, candidate.st.st_mtime_ns)
        self._forget(path)
        fields: dict[str, Any] = {
            "path": shown_name(str(path)),
            "document_id": document_id,
            "created": created,
        }
        if app is None:
            log.info(
                "imported %s as document %s%s",
                self._shown(path),
                document_id,
                "" if created else " (already in the library)",
            )
            fields["message"] = f"Файл «{path.name}» добавлен в документы"
        else:
            self.documents_by_path[path] = document_id
            self.kept_versions.pop(path, None)
            fields["application_id"] = app.id
            if candidate.replaces is not None and candidate.replaces != document_id:
                log.info(
                    "%s changed: document %s replaces %s in %s",
                    self._shown(path),
                    document_id,
                    candidate.replaces,
                    app.id,
                )
                fields["replaced_document_id"] = candidate.replaces
                fields["message"] = (
                    f"Файл «{shown_name(path.name)}» изменился: новая версия приложена "
                    "к заявлению вместо прежней"
                )
            else:
                log.info("imported %s and attached it to %s", self._shown(path), app.id)
                fields["message"] = f"Файл «{shown_name(path.name)}» приложен к заявлению"
        self.emit("file_imported", fields)

    def _to_pack(self, taken: Taken) -> None:
        candidate = taken.candidate
        path, app = candidate.path, candidate.app
        assert app is not None and self.packer is not None
        self.known[path] = (candidate.st.st_size, candidate.st.st_mtime_ns)
        self._forget(path)
        log.info("%s is over the limits of %s: packing", self._shown(path), app.id)
        self.emit(
            "file_packing",
            {
                "path": shown_name(str(path)),
                "document_id": taken.document_id,
                "application_id": app.id,
                "message": f"Файл «{shown_name(path.name)}» не укладывается в пределы "
                "заявления: он сохранён в документах и сжимается",
            },
        )
        self.packer.schedule(app.id)

    def _ignored(self, path: Path, st: os.stat_result, app: AppState | None) -> None:
        self.known[path] = (st.st_size, st.st_mtime_ns)
        if app is None:
            return
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

    def _deleted(self, path: Path) -> None:
        """A file left an application's folder: detach it while the application is editable,
        unless the whole folder went (an unmounted disk must not empty the application)."""
        if os.path.lexists(path):
            return
        folder = path.parent
        self.known.pop(path, None)
        document_id = self.documents_by_path.pop(path, None)
        if not folder.is_dir():
            # When the disk comes back, its files are hinted again and found attached already.
            log.warning("folder %s vanished: nothing detached", self._shown(folder))
            return
        if document_id is None:
            return
        if self.pending.waiting_in(folder):
            # Its folder has files not looked at yet (a rescan after a restart): one of them
            # may be the same document, which then stays attached. Decide after them.
            self.documents_by_path[path] = document_id
            self.deleted[path] = self.clock()
            return
        if any(
            other.parent == folder and doc == document_id and os.path.lexists(other)
            for other, doc in self.documents_by_path.items()
        ):
            log.info("%s deleted; its content is still in the folder", self._shown(path))
            return
        with self.account.store.write() as session:
            app_id = detach_deleted_file(session, folder.name, document_id)
        if app_id is None:
            return
        log.info("detached %s from %s: its file was deleted", document_id, app_id)
        self.emit(
            "file_detached",
            {
                "path": str(path),
                "document_id": document_id,
                "application_id": app_id,
                "message": f"Файл «{shown_name(path.name)}» удалён из папки и откреплён "
                "от заявления",
            },
        )

    # --- refusing -----------------------------------------------------------------------

    def _move_refused(self, batch: Batch) -> None:
        for refused in batch.refused:
            refused = self._as_version(refused)
            try:
                target = move_to_rejected(self.rejected, refused)
            except FileNotFoundError:
                log.info("%s vanished before it could be refused", self._shown(refused.path))
                continue
            except OSError as error:
                if is_disk_trouble(error):
                    # The file stays, with no half-written note; refused again once there
                    # is space.
                    batch.disk_trouble.append(
                        (Candidate(refused.path, os.lstat(refused.path), None), error)
                    )
                    continue
                log.exception("could not move %s to rejected/", self._shown(refused.path))
                continue
            self._moved(refused)
            batch.rejected.append((refused, target))

    def _moved(self, refused: Refused) -> None:
        """The refused file left its folder; if it was a new version of an attachment, the
        old version stays attached: its leaving detaches nothing (before any commit, as the
        deletion is noticed whether the refusal is recorded yet or not)."""
        if refused.replaces is not None:
            self.documents_by_path.pop(refused.path, None)
            self.kept_versions[refused.path] = refused.replaces
            log.info(
                "%s: the attached version %s stays", self._shown(refused.path), refused.replaces
            )

    def _not_recorded(
        self, error: BaseException, moved: list[tuple[Refused, Path]], what: str
    ) -> bool:
        """After a commit failed: the refusals already moved to rejected/ are recorded once
        the disk takes writes again; for any other cause trying again would fail again, and
        the files and their notes stay in rejected/, where `frmr documents rejected` does not
        see them. Returns whether the disk was the cause."""
        if is_disk_trouble(error):
            if moved:
                self.unrecorded.extend(moved)
                self.unrecorded_retry = self.clock() + DISK_RETRY_SECONDS
            return True
        log.exception("%s failed", what)
        for refused, target in moved:
            log.error(
                "refusal of %s not recorded; it is in %s",
                self._shown(refused.path),
                mask_personal_data(shown_name(str(target))),
            )
        return False

    def _record_refusals(self, moved: list[tuple[Refused, Path]]) -> None:
        """Record refusals whose files are in rejected/ already, then announce them."""
        try:
            with self.account.store.write() as session:
                for refused, target in moved:
                    record_refusal(session, refused, target)
        except Exception as error:
            shown = ", ".join(self._shown(refused.path) for refused, _ in moved)
            self._not_recorded(error, moved, f"recording the refusal of {shown}")
            return
        self._disk_recovered()
        for refused, target in moved:
            self._rejected(refused, target)

    def _record_unrecorded(self) -> None:
        moved, self.unrecorded, self.unrecorded_retry = self.unrecorded, [], None
        self._record_refusals(moved)

    def _disk_recovered(self) -> None:
        """A commit went through: a disk problem shown is over."""
        if self.disk_problem is None:
            return
        self.disk_problem = None
        log.info("the disk takes writes again")
        self.emit("disk_ok", {"message": "Место на диске есть: приём файлов продолжается"})

    def reject(self, refused: Refused) -> None:
        """Refuse one file on its own: moved beside its note, recorded, announced."""
        refused = self._as_version(refused)
        target = move_to_rejected(self.rejected, refused)
        self._moved(refused)
        self._record_refusals([(refused, target)])

    def _as_version(self, refused: Refused) -> Refused:
        """`refused` with the attachment its path is, if it is a new version of one."""
        if refused.application_id is None:
            return refused
        replaces = self._replaces(refused.path)
        if replaces is None:
            return refused
        try:
            size: int | None = os.lstat(refused.path).st_size
        except OSError:
            size = None
        return dataclasses.replace(refused, replaces=replaces, size=size)

    def _rejected(self, refused: Refused, target: Path) -> None:
        path = refused.path
        log.info("refused %s: %s", self._shown(path), mask_personal_data(refused.message))
        self._forget(path)
        self.known.pop(path, None)
        self.emit(
            "file_rejected",
            {
                "path": shown_name(str(path)),
                "rejected_path": shown_name(str(target)),
                "reason": refused.message,
                "application_id": refused.application_id,
                "message": f"Файл «{shown_name(path.name)}» не принят: {refused.message}"
                + (f". {KEPT_NOTE}" if refused.replaces else ""),
            },
        )


def _quiet_time(seconds: float) -> str:
    """``40 с`` or ``10 мин.``: how long a file has not changed, as the user reads it."""
    if seconds < 60:
        return f"{max(1, round(seconds))} с"
    return f"{round(seconds / 60)} мин."


def _id(app: AppState | None) -> str | None:
    return app.id if app else None


def _name_problem(name: str) -> tuple[str, str] | None:
    """Why a name is refused before its file is read: (reason, fix), or None."""
    if not is_utf8(name):
        return (
            f"Имя файла «{shown_name(name)}» не в кодировке UTF-8: такое имя нельзя ни "
            "показать, ни передать в ФРМР",
            "Переименуйте файл (буквами, которые видны в имени правильно) и положите его "
            "в папку снова",
        )
    try:
        check_file_name(name)
    except TextInvalid as refused:
        # Refused, not renamed: see model.rules.text.check_file_name for why.
        return (refused.user_message, "Переименуйте файл без этого символа и положите его снова")
    if name.startswith("."):
        return (
            f"«{name}» — скрытый файл (имя начинается с точки); такие файлы создают программы "
            "для себя, это не документ",
            "Если это документ, переименуйте его без точки в начале и положите в папку снова",
        )
    if name.endswith(BACKUP_SUFFIXES):
        return (
            f"«{name}» — резервная копия, которую оставил редактор, а не документ",
            "Положите сам документ (имя без «~» и «.bak» в конце); копию можно удалить",
        )
    return None

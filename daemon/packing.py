"""Packing what the limits would refuse, off the intake's critical path, across restarts.

A file dropped into an application's folder that is over 10 MiB, or that would take the
application over 10 MiB or 5 files, is taken into the library as it is (the original is
never changed and can be attached again by hand) and queued in the store in the same
transaction (`model.documents.pack_queue`). This worker then packs each application's
queued files: compress first, each new file getting the room left in proportion to its
size; when the files are too many, the application's images (photos of pages, by file
name) are merged into one PDF. What was packed is attached, the history says what was done
(«сжато: 24,8 МБ → 3,1 МБ, 150 dpi») and the queue entries end, all in one transaction;
only what cannot fit at the legibility floor is refused, with the size reached.

A daemon killed mid-pack finds the queue at its next start and packs again (the packer is
deterministic, and nothing was attached); one stopped by SIGTERM stops packing at the next
page and leaves the queue as it was. One worker thread: packing takes seconds of CPU, and
the intake's copies must not wait behind it.

While it packs, `status()` says where it is («Сжатие: скан.pdf, стр. 3 из 12»), and a
`pack_progress` event goes out at most every PROGRESS_SECONDS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from frmr.daemon.batch import rejected_row
from frmr.daemon.refusals import Refused, move_to_rejected, shown_name
from frmr.daemon.worker import Emit, Worker
from frmr.model.documents.pack_actions import (
    PackedFile,
    PackedGroup,
    attach_pack_results,
    default_title,
    packed_name,
)
from frmr.model.documents.pack_queue import (
    QueuedPack,
    begin_packing,
    finish_in_session,
    put_back,
)
from frmr.model.documents.packing import PackInput, PackProfile, PackResult, PackStep, pack
from frmr.model.profile.card import get_person
from frmr.model.rules.errors import UploadLimitExceeded, UploadRefused
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import MAX_FILES, MAX_TOTAL_BYTES, check_pack_inputs
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.statuses import Actor
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads import snapshot
from frmr.model.store.reads.applications import (
    ApplicationRow,
    AttachedFile,
    application_rows,
    attached_files,
    document_files,
)
from frmr.model.store.reads.intake import queued_files

log = logging.getLogger(__name__)

# A file whose packing was begun this many times and never ended (the daemon killed each
# time, by the OOM killer or a crash) is refused rather than tried at every start.
MAX_ATTEMPTS = 3
# Progress events at most this often: the header and F6 need no more.
PROGRESS_SECONDS = 0.5


class _Stopping(Exception):
    """Raised from the progress callback when the daemon stops: the packing ends there."""


def _title(documents: list[AttachedFile]) -> str:
    return default_title([d.file_name for d in documents])


def progress_message(file_name: str, step: PackStep) -> str:
    """«Сжатие: скан.pdf, стр. 3 из 12», what F6, the header and the details show."""
    lower = ", подбор качества" if step.attempt > 1 else ""
    return f"Сжатие: {shown_name(file_name)}{lower}, стр. {step.page} из {step.pages}"


class AutoPacker(Worker):
    failure = "packing for application %s failed; it stays queued"

    def __init__(
        self, account: Account, *, template: str, profile: PackProfile, emit: Emit
    ) -> None:
        super().__init__("pack")
        self.account = account
        self.template = template
        self.profile = profile
        self.emit = emit
        # Applications with a run waiting in the queue: a new file for one joins that run.
        self.waiting: set[str] = set()
        self._emitted_at = 0.0

    # --- scheduling ---------------------------------------------------------------------

    def resume(self) -> int:
        """At start: pack what a stopped or killed daemon left queued. Returns how many
        applications had files waiting."""
        with self.account.store.read() as session:
            applications = list(queued_files(session_connection(session)))
        for application_id in applications:
            log.info("resuming the packing queued for %s", application_id)
            self.schedule(application_id)
        return len(applications)

    def schedule(self, application_id: str) -> None:
        """Pack the application's queued files (the intake queued them in the store)."""
        with self.lock:
            if application_id in self.waiting or self.stopping.is_set():
                # Stopping: the file is queued in the store, for the next start.
                return
            self.waiting.add(application_id)
        self.work.put(application_id)

    def _run(self, application_id: str) -> None:
        with self.lock:
            self.waiting.discard(application_id)
        if self.stopping.is_set():
            return
        jobs = begin_packing(self.account, application_id)
        if not jobs:
            return
        try:
            self._pack_application(application_id, jobs)
        except _Stopping:
            log.info("stopping: the packing for %s stays queued", application_id)
            put_back(self.account, jobs)
        finally:
            self._show(None)

    # --- progress -----------------------------------------------------------------------

    def _reporter(self, application_id: str, file_name: str) -> Callable[[PackStep], None]:
        def report(step: PackStep) -> None:
            if self.stopping.is_set():
                raise _Stopping
            fields = {
                "application_id": application_id,
                "file": shown_name(file_name),
                "page": step.page,
                "pages": step.pages,
                "attempt": step.attempt,
                "message": progress_message(file_name, step),
            }
            self._show(fields)
            now = time.monotonic()
            if now - self._emitted_at >= PROGRESS_SECONDS or step.page == step.pages:
                self._emitted_at = now
                self.emit("pack_progress", fields)

        return report

    # --- the plan -----------------------------------------------------------------------

    def _pack_application(self, application_id: str, jobs: list[QueuedPack]) -> None:
        store = self.account.store
        with store.read() as session, snapshot(session_connection(session)) as conn:
            app = next(iter(application_rows(conn, app_id=application_id)), None)
            attached = attached_files(conn, application_id).get(application_id, [])
            found = document_files(conn, [j.document_id for j in jobs])
        new = [found[j.document_id] for j in jobs if j.document_id in found]
        if app is None or not app.status.takes_files:
            log.info("application %s no longer takes files: nothing packed", application_id)
            self._finish(jobs)
            return
        paths = {j.document_id: Path(j.source_path) for j in jobs}
        worn = {j.document_id for j in jobs if j.attempts > MAX_ATTEMPTS}
        if worn:
            self._refuse(
                app,
                [d for d in new if d.id in worn],
                paths,
                jobs,
                f"файл не удалось сжать: обработка прерывалась {MAX_ATTEMPTS} раза",
                "Разделите документ на части или сохраните его заново в PDF и положите снова",
            )
            jobs = [j for j in jobs if j.document_id not in worn]
            new = [d for d in new if d.id not in worn]
        attached_ids = {d.id for d in attached}
        new = [d for d in new if d.id not in attached_ids]
        if not new:
            self._finish(jobs)
            return
        groups: list[list[AttachedFile]] = [[d] for d in attached + new]
        if len(groups) > MAX_FILES:
            images = sorted(
                (d for d in attached + new if d.kind is not FileKind.PDF),
                key=lambda d: d.file_name,
            )
            groups = [[d] for d in attached + new if d.kind is FileKind.PDF]
            if images:
                groups.append(images)
            if len(groups) > MAX_FILES:
                self._refuse(
                    app,
                    new,
                    paths,
                    jobs,
                    f"к заявлению можно приложить не более {MAX_FILES} файлов, и даже с "
                    f"фотографиями страниц, объединёнными в один PDF, их {len(groups)}",
                    "Объедините документы в PDF по смыслу (frmr pack) или открепите лишние",
                )
                self._finish(jobs)
                return
        kept = [g for g in groups if len(g) == 1 and g[0].id in attached_ids]
        making = [g for g in groups if g not in kept]
        room = MAX_TOTAL_BYTES - sum(g[0].size for g in kept)
        size = {id(g): sum(d.size for d in g) for g in making}
        # A single file within its fair share goes as it is (a text PDF can't shrink); the
        # rest of the room is shared by the others in proportion to their size.
        fair = room // len(making)
        as_is = [
            g for g in making if len(g) == 1 and (size[id(g)] <= fair or sum(size.values()) <= room)
        ]
        to_pack = [g for g in making if g not in as_is]
        left = room - sum(size[id(g)] for g in as_is)
        wanted = max(1, sum(size[id(g)] for g in to_pack))
        packed: list[tuple[list[AttachedFile], PackResult]] = []
        refused: set[str] = set()
        for group in to_pack:
            try:
                packed.append((group, self._pack(app.id, group, left * size[id(group)] // wanted)))
            except UploadRefused as refusal:
                # PackDoesNotFit carries the size reached; others name the damaged file. The
                # other groups fit their own shares and go on.
                fresh = [d for d in group if d.id not in attached_ids]
                self._refuse(app, fresh, paths, jobs, refusal.user_message, refusal.fix or "")
                refused |= {d.id for d in fresh}
        rest = [j for j in jobs if j.document_id not in refused]
        self._attach(app, packed, [d.id for g in as_is for d in g], attached_ids, rest, paths)

    def _pack(self, application_id: str, group: list[AttachedFile], budget: int) -> PackResult:
        check_pack_inputs([d.size for d in group])
        blobs = self.account.store.blobs
        inputs = [PackInput(d.file_name, blobs.path_for(d.sha256).read_bytes()) for d in group]
        name = group[0].file_name if len(group) == 1 else f"{_title(group)} ({len(group)} файлов)"
        return pack(
            inputs,
            budget,
            profile=self.profile,
            title=_title(group),
            progress=self._reporter(application_id, name),
        )

    # --- outcomes -----------------------------------------------------------------------

    def _attach(
        self,
        app: ApplicationRow,
        packed: list[tuple[list[AttachedFile], PackResult]],
        as_they_are: list[str],
        attached_ids: set[str],
        jobs: list[QueuedPack],
        paths: dict[str, Path],
    ) -> None:
        person = get_person(self.account)
        groups = [
            PackedGroup(
                PackedFile(result, packed_name(self.template, person, _title(g), result.pages)),
                _title(g),
                [d.id for d in g if d.id in attached_ids],
            )
            for g, result in packed
        ]
        try:
            documents = attach_pack_results(
                self.account,
                app.id,
                groups,
                as_they_are=as_they_are,
                finished=jobs,
                actor=Actor.DAEMON,
            )
        except UploadLimitExceeded as error:
            # Files attached meanwhile (the TUI, the CLI) took the room counted on.
            new = [d for g, _ in packed for d in g if d.id not in attached_ids]
            new += self._documents(as_they_are)
            self._refuse(app, new, paths, jobs, error.user_message, error.fix or "")
            self._finish(jobs)
            return
        if documents is None:
            return
        for (group, result), document in zip(packed, documents, strict=True):
            sources = ", ".join(f"«{shown_name(d.file_name)}»" for d in group)
            message = f"{sources} → «{document.file_name}»: {result.summary()}"
            log.info("packed for %s: %s", app.id, mask_personal_data(message))
            self.emit("file_packed", {"application_id": app.id, "message": message})

    def _documents(self, ids: list[str]) -> list[AttachedFile]:
        with self.account.store.read() as session:
            found = document_files(session_connection(session), ids)
        return [found[i] for i in ids if i in found]

    def _finish(self, jobs: list[QueuedPack]) -> None:
        with self.account.store.write() as session:
            finish_in_session(session, jobs)

    def _refuse(
        self,
        app: ApplicationRow,
        documents: list[AttachedFile],
        paths: dict[str, Path],
        jobs: list[QueuedPack],
        message: str,
        fix: str,
    ) -> None:
        """The files stay in the library; their dropped copies go to rejected/ with why,
        and their queue entries end with the refusal's record."""
        rejected = self.account.rejected_dir
        rows = []
        for document in documents:
            path = paths.get(document.id)
            if path is None or not path.exists():
                continue
            refused = Refused(path, message, fix, path.parent.name, app.id)
            target = move_to_rejected(rejected, refused)
            rows.append(rejected_row(refused, target))
            self.emit(
                "file_rejected",
                {"path": shown_name(str(path)), "application_id": app.id, "message": message},
            )
        ids = {d.id for d in documents}
        with self.account.store.write() as session:
            for row in rows:
                session.add(row)
            finish_in_session(session, [j for j in jobs if j.document_id in ids])

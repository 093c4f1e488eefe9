"""One batch of settled files: staged in parallel (or found staged already, `daemon.prestage`),
limits counted per application across the batch, blobs made durable, then every document,
attachment and refusal recorded in one write transaction — one commit (and one fsync of the
store) for the whole batch.

Order is what keeps a crash harmless: a blob is fsynced and renamed, and its folder fsynced,
before the commit that names it; a file not yet recorded is simply taken again after a
restart, and the same bytes give the same document.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from frmr.daemon.prestage import Copied, copy_and_check, stat_key
from frmr.daemon.refusals import Refused, refusal_for_error, shown_name
from frmr.model.documents.library import attach_in_session, in_library
from frmr.model.documents.pack_queue import queue_pack
from frmr.model.documents.replacements import record_kept, replace_in_session
from frmr.model.rules.errors import UploadLimitExceeded, UploadRefused
from frmr.model.rules.filetypes import FileKind, Wholeness, sniff
from frmr.model.rules.limits import check_attachment_set, check_file
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.blobs import Staged
from frmr.model.store.disk import is_disk_trouble
from frmr.model.store.engine import Store
from frmr.model.store.tables import Application, Document, RejectedFile

log = logging.getLogger(__name__)


@dataclass
class AppState:
    """An application whose folder has files in the batch, as it was when the batch began."""

    id: str
    status: ApplicationStatus
    attached: list[tuple[str, int, str]]  # (sha256, size, id) of each document attached now


@dataclass
class Candidate:
    """A settled file that passed every check that needs no copy."""

    path: Path
    st: os.stat_result
    app: AppState | None
    # Its copy started while it settled, from the same stat as `st`.
    early: Future[Copied] | None = None
    staged: Staged | None = None
    kind: FileKind | None = None
    # The document this path was attached as before it changed: replaced, not kept beside.
    replaces: str | None = None
    # Over the limits: taken into the library only, and handed to the packer.
    pack: bool = False


@dataclass(frozen=True)
class Taken:
    candidate: Candidate
    document_id: str
    created: bool


@dataclass
class Outcome:
    imported: list[Taken] = field(default_factory=list)
    # The application stopped being editable before the commit: left as it is.
    ignored: list[Candidate] = field(default_factory=list)
    # Over the limits only because files were attached meanwhile by another process.
    late_refusals: list[Refused] = field(default_factory=list)
    # In the library, not attached: the packer makes them fit (`daemon.packing`).
    to_pack: list[Taken] = field(default_factory=list)


class Batch:
    def __init__(
        self,
        store: Store,
        apps: dict[str, AppState],
        pool: Executor,
        fsyncs: Executor,
        *,
        auto_pack: bool = False,
    ) -> None:
        self.store = store
        self.auto_pack = auto_pack
        self.apps = apps
        self.pool = pool
        self.fsyncs = fsyncs
        self.candidates: list[Candidate] = []
        self.kept: list[Candidate] = []
        self.refused: list[Refused] = []
        # Refused files once moved to rejected/, with where they went; recorded in the commit.
        self.rejected: list[tuple[Refused, Path]] = []
        # Files that changed while being copied: they wait for another quiet window.
        self.changed: list[tuple[Path, os.stat_result]] = []
        # Copied whole but not whole by their own end marks: held, looked at again later.
        self.incomplete: list[Candidate] = []
        # Not copied for a full or failing disk: they stay where they are, tried again.
        self.disk_trouble: list[tuple[Candidate, OSError]] = []

    def add(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)

    def refuse(self, refused: Refused) -> None:
        self.refused.append(refused)

    def stage(self) -> None:
        """Copy and hash every candidate not copied yet in parallel, decide which to keep,
        publish those."""
        blobs = self.store.blobs
        copies = [
            c.early or self.pool.submit(copy_and_check, blobs, c.path) for c in self.candidates
        ]
        results = [_result(copy) for copy in copies]
        # What each application would hold, file by file in the order they settled.
        holding = {app.id: list(app.attached) for app in self.apps.values()}
        for candidate, result in zip(self.candidates, results, strict=True):
            if isinstance(result, BaseException):
                self._failed(candidate, result)
                continue
            if not self._unchanged(candidate, result.staged):
                result.discard()
                continue
            staged = result.staged
            try:
                try:
                    candidate.kind = check_file(staged.size, staged.head, candidate.path.name)
                except UploadLimitExceeded:
                    if not self._may_pack(candidate):
                        raise
                    # check_file sniffed the kind before it measured the size.
                    candidate.kind = sniff(staged.head) or FileKind.PDF
                    candidate.pack = True
                if result.whole is Wholeness.INCOMPLETE:
                    result.discard()
                    self.incomplete.append(candidate)
                    continue
                if result.whole is Wholeness.LOCKED:
                    raise UploadRefused(
                        f"«{shown_name(candidate.path.name)}» — файл защищён паролем: "
                        "снимите пароль и положите снова",
                        "password-protected PDF",
                        fix="Откройте его, введя пароль, и сохраните копию без пароля "
                        "(«Печать» → «Сохранить как PDF»)",
                    )
                if result.whole is Wholeness.DAMAGED:
                    raise UploadRefused(
                        f"Файл «{candidate.path.name}» повреждён: его не удаётся прочитать "
                        f"как {candidate.kind.label}",
                        "damaged file",
                        fix="Откройте файл на своём компьютере; если он не открывается, "
                        "сохраните или отсканируйте документ заново и положите новый файл",
                    )
                candidate.staged = staged
                if candidate.app is not None and not candidate.pack:
                    try:
                        _count(holding[candidate.app.id], staged, candidate.replaces)
                    except UploadLimitExceeded:
                        if not self._may_pack(candidate):
                            raise
                        candidate.pack = True
            except UploadRefused as error:
                result.discard()
                candidate.staged = None
                self._refuse(candidate, error.user_message, error.fix or "")
                continue
            self.kept.append(candidate)
        blobs.publish([c.staged for c in self.kept if c.staged is not None], self.fsyncs)

    def _may_pack(self, candidate: Candidate) -> bool:
        # A new version of an attached file is refused instead: the packer attaches beside
        # what is attached, and the old version must not stay next to the new one.
        return self.auto_pack and candidate.app is not None and candidate.replaces is None

    def _refuse(self, candidate: Candidate, message: str, fix: str) -> None:
        app = candidate.app
        self.refuse(
            Refused(
                candidate.path,
                message,
                fix,
                candidate.path.parent.name if app else None,
                app.id if app else None,
            )
        )

    def _failed(self, candidate: Candidate, error: BaseException) -> None:
        shown = mask_personal_data(os.fsdecode(candidate.path.name))
        if isinstance(error, FileNotFoundError):
            log.info("%s vanished before it could be copied", shown)
        elif isinstance(error, OSError) and is_disk_trouble(error):
            self.disk_trouble.append((candidate, error))
        elif isinstance(error, OSError) and (refusal := refusal_for_error(error)) is not None:
            self._refuse(candidate, *refusal)
        else:
            # Not recorded, so the next rescan tries it again.
            log.error("copying %s failed: %s", shown, mask_personal_data(str(error)))

    def _unchanged(self, candidate: Candidate, staged: Staged) -> bool:
        """The source still has the stat it settled with, and all of it was copied."""
        try:
            st = os.lstat(candidate.path)
        except FileNotFoundError:
            return False
        if stat_key(st) != stat_key(candidate.st) or staged.size != st.st_size:
            self.changed.append((candidate.path, st))
            return False
        return True

    def discard(self) -> None:
        """Remove temp copies not yet published (after a failure)."""
        for candidate in self.candidates:
            if candidate.staged is not None:
                candidate.staged.discard()

    def commit(self) -> Outcome:
        """Record every kept file and every refusal in one write transaction."""
        outcome = Outcome()
        if not self.kept and not self.rejected:
            return outcome
        with self.store.write() as session:
            shas = {c.staged.sha256 for c in self.kept if c.staged is not None}
            documents = {
                d.sha256: d
                for d in session.exec(select(Document).where(col(Document.sha256).in_(shas)))
            }
            for candidate in self.kept:
                self._record(session, candidate, documents, outcome)
            for refused, target in self.rejected:
                record_refusal(session, refused, target)
        return outcome

    def _record(
        self,
        session: Session,
        candidate: Candidate,
        documents: dict[str, Document],
        outcome: Outcome,
    ) -> None:
        staged, kind = candidate.staged, candidate.kind
        assert staged is not None and kind is not None
        document, created = in_library(
            session,
            documents.get(staged.sha256),
            staged.sha256,
            staged.size,
            kind,
            candidate.path.name,
            source_path=str(candidate.path),
        )
        documents[staged.sha256] = document
        app = candidate.app
        if candidate.pack:
            assert app is not None
            # Queued with the document itself: a daemon killed before packing packs it at start.
            queue_pack(session, app.id, document.id, str(candidate.path))
            outcome.to_pack.append(Taken(candidate, document.id, created))
            return
        if app is not None:
            row = session.get(Application, app.id)
            if row is None or row.deleted or not row.status.takes_files:
                if row is not None:
                    app.status = row.status
                outcome.ignored.append(candidate)
                return
            try:
                if candidate.replaces is not None and candidate.replaces != document.id:
                    # Checked without the old version and done in one step: a new version
                    # that does not fit leaves the old one attached.
                    replace_in_session(
                        session,
                        row,
                        candidate.replaces,
                        document,
                        path=shown_name(str(candidate.path)),
                    )
                else:
                    attach_in_session(session, row, [document])
            except UploadLimitExceeded as error:
                outcome.late_refusals.append(
                    Refused(
                        candidate.path,
                        error.user_message,
                        error.fix or "",
                        candidate.path.parent.name,
                        app.id,
                    )
                )
                return
        outcome.imported.append(Taken(candidate, document.id, created))


def _result(copy: Future[Copied]) -> Copied | BaseException:
    error = copy.exception()
    return error if error is not None else copy.result()


def _count(holding: list[tuple[str, int, str]], staged: Staged, replaces: str | None) -> None:
    """Add a file to what an application would hold; the same content twice is one file,
    and a file that replaces its own earlier version does not count that version too."""
    # Nothing changes until it fits: a refused new version leaves its old one counted.
    remaining = [item for item in holding if item[2] != replaces]
    if not any(sha == staged.sha256 for sha, _, _ in remaining):
        check_attachment_set([size for _, size, _ in remaining], [staged.size])
        remaining.append((staged.sha256, staged.size, ""))
    holding[:] = remaining


def record_refusal(session: Session, refused: Refused, target: Path) -> None:
    """The refusal's row and, when the refused file was the new version of an attachment,
    the history row saying the old version stays."""
    session.add(rejected_row(refused, target))
    if refused.replaces is not None and refused.application_id is not None:
        record_kept(
            session,
            refused.application_id,
            refused.replaces,
            path=shown_name(str(refused.path)),
            new_size=refused.size,
            reason=refused.message,
        )


def rejected_row(refused: Refused, target: Path) -> RejectedFile:
    return RejectedFile(
        file_name=shown_name(refused.path.name),
        rejected_path=shown_name(str(target)),
        reason=refused.message,
        application_id=refused.application_id,
    )

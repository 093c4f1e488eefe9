"""Packing what the limits would refuse, off the intake's critical path.

A file dropped into an application's folder that is over 10 MiB, or that would take the
application over 10 MiB or 5 files, is taken into the library as it is (the original is
never changed and can be attached again by hand) and handed to this worker. It then
compresses first: each new file gets the room left, shared in proportion to size; when
the files are too many, the application's images (photos of pages, by file name) are
merged into one PDF. The packed file is attached, the history says what was done
(«сжато: 24,8 МБ → 3,1 МБ, 150 dpi»), and only what cannot fit at the legibility floor is
refused, with the size reached. One worker thread: packing takes seconds of CPU, and the
intake's copies must not wait behind it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frmr.daemon.batch import rejected_row
from frmr.daemon.refusals import Refused, move_to_rejected, shown_name
from frmr.model.account import Account
from frmr.model.actions.documents import attach_in_session, attached_documents
from frmr.model.actions.packing import PackedFile, attach_packed, default_title, packed_name
from frmr.model.actions.profile import get_person
from frmr.model.errors import UploadRefused
from frmr.model.filetypes import FileKind
from frmr.model.limits import MAX_FILES, MAX_TOTAL_BYTES
from frmr.model.masking import mask_personal_data
from frmr.model.packing import PackInput, PackProfile, PackResult, pack
from frmr.model.statuses import Actor
from frmr.model.tables import Application, Document

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class PackRequest:
    """A dropped file taken into the library that the limits kept off its application."""

    application_id: str
    document_id: str
    path: Path


def _title(documents: list[Document]) -> str:
    return default_title([d.file_name for d in documents])


class AutoPacker:
    def __init__(
        self, account: Account, *, template: str, profile: PackProfile, emit: Emit
    ) -> None:
        self.account = account
        self.template = template
        self.profile = profile
        self.emit = emit
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="pack")
        self.lock = threading.Lock()
        self.pending: dict[str, list[PackRequest]] = {}

    def close(self) -> None:
        """Finish what is queued: a request is not stored, so one dropped here would leave
        its file in the library but not on its application."""
        self.pool.shutdown(wait=True)

    def submit(self, request: PackRequest) -> None:
        with self.lock:
            queued = self.pending.setdefault(request.application_id, [])
            queued.append(request)
            if len(queued) > 1:
                return
        self.pool.submit(self._run, request.application_id)

    def _run(self, application_id: str) -> None:
        with self.lock:
            requests = self.pending.pop(application_id, [])
        try:
            self._pack_application(application_id, requests)
        except Exception:
            log.exception("packing for application %s failed", application_id)

    # --- the plan ---------------------------------------------------------------------

    def _pack_application(self, application_id: str, requests: list[PackRequest]) -> None:
        store = self.account.store
        with store.read() as session:
            app = session.get(Application, application_id)
            if app is None or app.deleted or not app.status.takes_files:
                log.info("application %s no longer takes files: nothing packed", application_id)
                return
            attached = attached_documents(session, application_id)
            new = [d for r in requests if (d := session.get(Document, r.document_id)) is not None]
        attached_ids = {d.id for d in attached}
        new = [d for d in new if d.id not in attached_ids]
        paths = {r.document_id: r.path for r in requests}
        if not new:
            return
        groups: list[list[Document]] = [[d] for d in attached + new]
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
                    f"к заявлению можно приложить не более {MAX_FILES} файлов, и даже с "
                    f"фотографиями страниц, объединёнными в один PDF, их {len(groups)}",
                    "Объедините документы в PDF по смыслу (frmr pack) или открепите лишние",
                )
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
        results: list[tuple[list[Document], PackResult | None]] = [(g, None) for g in as_is]
        for group in to_pack:
            try:
                results.append((group, self._pack(group, left * size[id(group)] // wanted)))
            except UploadRefused as refusal:
                # PackDoesNotFit carries the size reached; others name the damaged file.
                fresh = [d for d in group if d.id not in attached_ids]
                self._refuse(app, fresh, paths, refusal.user_message, refusal.fix or "")
                return
        self._attach(app, results, attached_ids)

    def _pack(self, group: list[Document], budget: int) -> PackResult:
        blobs = self.account.store.blobs
        inputs = [PackInput(d.file_name, blobs.path_for(d.sha256).read_bytes()) for d in group]
        return pack(inputs, budget, profile=self.profile, title=_title(group))

    # --- outcomes ---------------------------------------------------------------------

    def _attach(
        self,
        app: Application,
        results: list[tuple[list[Document], PackResult | None]],
        attached_ids: set[str],
    ) -> None:
        person = get_person(self.account)
        # Packed first: a merge frees places that files attached as they are may need.
        for group, result in results:
            if result is None:
                continue
            title = _title(group)
            packed = PackedFile(result, packed_name(self.template, person, title, result.pages))
            document = attach_packed(
                self.account,
                app.id,
                packed,
                title=title,
                replaces=[d.id for d in group if d.id in attached_ids],
                actor=Actor.DAEMON,
            )
            if document is None:
                return
            sources = ", ".join(f"«{shown_name(d.file_name)}»" for d in group)
            message = f"{sources} → «{document.file_name}»: {result.summary()}"
            log.info("packed for %s: %s", app.id, mask_personal_data(message))
            self.emit("file_packed", {"application_id": app.id, "message": message})
        as_they_are = [d for group, result in results if result is None for d in group]
        if as_they_are:
            with self.account.store.write() as session:
                row = session.get(Application, app.id)
                if row is not None and not row.deleted and row.status.takes_files:
                    attach_in_session(session, row, as_they_are)

    def _refuse(
        self,
        app: Application,
        documents: list[Document],
        paths: dict[str, Path],
        message: str,
        fix: str,
    ) -> None:
        """The files stay in the library; their dropped copies go to rejected/ with why."""
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
        if rows:
            with self.account.store.write() as session:
                for row in rows:
                    session.add(row)

"""Reading dropped documents for courses, off the intake's path, across restarts.

A file dropped into the library's root is imported as any other; its `file_imported`
event queues it here, durably (a `course_proposal` row in the queued state), and one worker
thread reads it: a PDF's own text, or Tesseract's reading of each page, up to the page and
time caps of the settings. An удостоверение о ПК or an НМО certificate becomes a proposed
course the doctor confirms; anything else is marked read and left alone. Intake never
waits for it: the worker has its own thread, and a reading only ever writes its own row.

While it reads, `status()` says where it is («Чтение: скан.jpg, стр. 1 из 2»), and a
`reading_progress` event goes out per page; `course_proposed` follows a proposal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from frmr.daemon.refusals import shown_name
from frmr.daemon.worker import Emit, Worker
from frmr.model.documents.ocr.fields import recognise
from frmr.model.documents.ocr.reader import OcrUnavailable, Reader, ReadStep, Stop, find_tessdata
from frmr.model.portfolio.proposals import (
    begin_reading,
    put_back,
    queue_reading,
    queue_unread,
    record_failure,
    record_reading,
)
from frmr.model.rules.masking import mask_personal_data
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.proposals import queued_readings

log = logging.getLogger(__name__)

# SIGTERM must end the daemon within 5 s, and Tesseract cannot be interrupted inside a page
# (a page takes 1–4 s): the stop waits this long, then leaves the page to die with the
# process, the document queued for the next start.
CLOSE_WAIT_SECONDS = 1.0


class DocumentReader(Worker):
    failure = "reading document %s failed"

    def __init__(
        self,
        account: Account,
        *,
        max_pages: int,
        max_seconds: float,
        tessdata_dir: str,
        emit: Emit,
    ) -> None:
        super().__init__("ocr")
        self.account = account
        self.max_pages = max_pages
        self.max_seconds = max_seconds
        self.tessdata_dir = tessdata_dir
        self.emit = emit
        # Made in the worker thread on first use and used there only (Tesseract's API
        # object is not for two threads); None until then.
        self._reader: Reader | None = None
        # Set once the model is found missing: documents stay queued until a restart.
        self.unavailable: str | None = None

    def imported(self, event: str, fields: dict[str, Any]) -> None:
        """The intake's events pass here: a new file in the library's root is queued."""
        if event != "file_imported" or fields.get("application_id") or not fields.get("created"):
            return
        document_id = fields.get("document_id")
        if not isinstance(document_id, str):
            return
        with self.account.store.write() as session:
            queued = queue_reading(session, document_id)
        if queued:
            self.schedule(document_id)

    def resume(self) -> int:
        """At start: read what a stopped or killed daemon left queued, and what it never got
        to queue."""
        caught_up = queue_unread(self.account)
        if caught_up:
            log.info("queued %d library documents that were never read", caught_up)
        with self.account.store.read() as session:
            documents = queued_readings(session_connection(session))
        for document_id in documents:
            self.schedule(document_id)
        if documents:
            log.info("resuming the reading of %d queued documents", len(documents))
        return len(documents)

    def schedule(self, document_id: str) -> None:
        if self.stopping.is_set() or self.unavailable is not None:
            return
        self.work.put(document_id)

    def close(self, wait: float | None = CLOSE_WAIT_SECONDS) -> bool:
        """Stop before the next page; what is not read stays queued for the next start."""
        if not super().close(wait):
            if (current := self.current) is not None:
                log.info("stopping mid-page: document %s stays queued", current)
                put_back(self.account, current)
            return False
        if self._reader is not None:
            self._reader.close()
        return True

    def _engine(self) -> Reader:
        if self._reader is None:
            self._reader = Reader(find_tessdata(self.tessdata_dir))
        return self._reader

    def _run(self, document_id: str) -> None:
        if self.stopping.is_set() or self.unavailable is not None:
            return
        try:
            engine = self._engine()
        except OcrUnavailable as error:
            self.unavailable = error.user_text()
            log.error("documents are not read for courses: %s", error.log_message)
            self.emit("error", {"message": error.user_text(), "source": "ocr"})
            return
        document = begin_reading(self.account, document_id)
        if document is None:
            return
        name = shown_name(document.file_name)
        try:
            data = self.account.store.blobs.path_for(document.sha256).read_bytes()
            read = engine.read(
                data,
                document.kind,
                max_pages=self.max_pages,
                max_seconds=self.max_seconds,
                progress=self._reporter(document_id, name),
            )
        except Stop:
            log.info("stopping: document %s stays queued to be read", document_id)
            put_back(self.account, document_id)
            return
        except Exception:
            log.exception("reading document %s failed", document_id)
            record_failure(self.account, document_id, "файл не открылся для чтения: он повреждён?")
            return
        finally:
            self._show(None)
        proposal = record_reading(self.account, document_id, read, recognise(read))
        log.info(
            "read document %s: %d of %d pages in %.1f s%s, %s",
            document_id,
            len(read.pages),
            read.page_count,
            read.seconds,
            f" (cut by {read.cut})" if read.cut else "",
            f"proposed as {proposal.doc_type}" if proposal and proposal.doc_type else "no course",
        )
        if proposal is not None and proposal.doc_type is not None:
            self.emit(
                "course_proposed",
                {
                    "document_id": document_id,
                    "proposal_id": proposal.id,
                    "message": f"Из файла «{name}» предложен курс: {proposal.label.lower()} — "
                    "проверьте поля в «Портфолио → Предложено из документов»",
                },
            )

    def _reporter(self, document_id: str, name: str) -> Callable[[ReadStep], None]:
        def report(step: ReadStep) -> None:
            if self.stopping.is_set():
                raise Stop
            message = f"Чтение: {name}, стр. {step.page} из {step.pages}"
            fields: dict[str, Any] = {
                "document_id": document_id,
                "file": name,
                "page": step.page,
                "pages": step.pages,
                "message": message,
            }
            self._show(fields)
            log.debug("reading %s", mask_personal_data(message))
            self.emit("reading_progress", fields)

        return report

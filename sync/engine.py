"""The sync engine: push what changed locally, deliver filed applications, pull decisions.

One `run_cycle` does, in order: adopt the registry's preloaded card and portfolio into an
empty store, push the card and portfolio, upload documents, push the portfolio's additional
documents (they name uploaded files), deliver due applications, push cancellations, pull
the changes feed. Each answer is recorded in the same write
transaction as its bookkeeping, and every create carries an idempotency key that was
persisted before the request left, so a crash at any point can't make a duplicate.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError
from sqlmodel import SQLModel, col, select

from frmr.model.actions import delivery
from frmr.model.actions.documents import attached_documents
from frmr.model.clock import utcnow
from frmr.model.masking import mask_personal_data
from frmr.model.report import report_agreement
from frmr.model.statuses import Actor, ApplicationStatus
from frmr.model.store import Store
from frmr.model.tables import (
    AdditionalDocument,
    Address,
    Application,
    Certificate,
    Course,
    Document,
    Education,
    Employment,
    IdentityDocument,
    Person,
    ProfessionalReport,
    Skill,
    SyncColumns,
    SyncState,
)
from frmr.sync.client import RegistryClient
from frmr.sync.errors import RegistryRejected, RegistryUnavailable
from frmr.sync.protocol import (
    COLLECTION_ITEMS,
    COLLECTIONS,
    CONTENT_SHA256,
    DOCUMENT_ID,
    ETAG,
    FILE_NAME,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    IF_NONE_MATCH,
    ApplicationCreate,
    ApplicationOut,
    CancelIn,
    ChangesOut,
    DocumentOut,
    IdempotencyRecordOut,
    Paths,
    PersonCard,
    PersonCardIn,
    etag,
    parse_etag,
)

log = logging.getLogger(__name__)

CURSOR_KEY = "changes_cursor"
ADOPTED_KEY = "profile_adopted"
REPLAYED = "Idempotent-Replayed"

# Local table → the registry's collection of the same items. The additional documents are
# not among them: they wait for their files (push_additional_documents), and are not adopted,
# since the contract has no way to download a file the store does not hold.
COLLECTION_TABLES: tuple[tuple[type[SyncColumns], str], ...] = (
    (IdentityDocument, "identity-documents"),
    (Address, "addresses"),
    (Education, "education"),
    (Course, "courses"),
    (Certificate, "certificates"),
    (Employment, "employment"),
    (Skill, "skills"),
    (ProfessionalReport, "reports"),
)
ADDITIONAL_DOCUMENTS = "additional-documents"
_FINAL_OR_REVIEW = frozenset(
    {
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.REJECTED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.PASSED,
        ApplicationStatus.CANCELLED,
    }
)

Emit = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class Schedule:
    """How long «Не доставлено» waits before the next attempt (stored in the row)."""

    resubmit_base: float = 30.0
    resubmit_cap: float = 3600.0

    def resubmit_delay(self, app: Application) -> float:
        """The wait before `app`'s next attempt, on model's doubling, jittered schedule."""
        return delivery.resubmit_delay(
            app.submit_attempts + 1, self.resubmit_base, self.resubmit_cap
        )


@dataclass
class CycleReport:
    delivered: int = 0
    not_delivered: int = 0
    pulled: int = 0
    row_errors: int = 0
    errors: list[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    # StrEnum members compare equal to their values, but pydantic's JSON wants the value.
    return getattr(value, "value", value)


def _payload(row: SQLModel, model: type[BaseModel]) -> BaseModel:
    # A field the row lacks (a legacy one, like the report's `text`) takes its default.
    return model.model_validate(
        {name: _plain(getattr(row, name)) for name in model.model_fields if hasattr(row, name)}
    )


class FileRefused(Exception):
    """An additional document can't be pushed because of its file; the text is Russian."""


def _invalid_row(error: ValidationError) -> str:
    fields = sorted({str(e["loc"][0]) for e in error.errors() if e.get("loc")})
    # The contract's own validators (model.text's rule) say what is wrong, in Russian.
    reasons = [
        str(e["msg"]).removeprefix("Value error, ")
        for e in error.errors()
        if e.get("type") == "value_error"
    ]
    return (
        "Запись не отправлена в ФРМР: не заполнены или неверны поля "
        + ", ".join(f"«{f}»" for f in fields)
        + (f" ({'; '.join(reasons)})" if reasons else "")
        + ". Исправьте запись — она будет отправлена автоматически"
    )


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: RegistryClient,
        *,
        schedule: Schedule | None = None,
        emit: Emit | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.schedule = schedule or Schedule()
        self.emit: Emit = emit or (lambda _event, _fields: None)

    # --- the cycle ---------------------------------------------------------------

    def run_cycle(self) -> CycleReport:
        """One full sync. LoginRequired propagates; when the registry is unreachable, due
        submissions are marked «Не доставлено» and RegistryUnavailable propagates."""
        report = CycleReport()
        try:
            self.adopt_remote_profile()
            self.push_card(report)
            self.push_collections(report)
            self.push_documents(report)
            self.push_additional_documents(report)
            self.deliver_due(report)
            self.push_cancellations(report)
            self.pull_changes(report)
        except RegistryUnavailable as error:
            report.not_delivered += self.fail_due_submissions(error)
            raise
        return report

    # --- rows --------------------------------------------------------------------

    def _dirty(self, table: type[SyncColumns]) -> list[Any]:
        with self.store.read() as session:
            return list(
                session.exec(
                    select(table).where(
                        col(table.version) > col(table.synced_version),
                        col(table.sync_error).is_(None),
                    )
                ).all()
            )

    def _mark_synced(
        self, table: type[SyncColumns], row_id: str, sent_version: int, remote: int | None
    ) -> None:
        with self.store.write() as session:
            row = session.get(table, row_id)
            if row is None:
                return
            row.synced_version = max(row.synced_version, sent_version)
            row.remote_version = remote
            row.sync_attempts = 0
            session.add(row)

    def _row_error(
        self, table: type[SyncColumns], row_id: str, sent_version: int, message: str
    ) -> None:
        """A visible error on the row, left until the worker edits it (touch clears it)."""
        with self.store.write() as session:
            row = session.get(table, row_id)
            if row is None or row.version != sent_version:
                return  # edited meanwhile: the new version gets its own try
            row.sync_error = message
            session.add(row)
        log.warning("%s %s refused: %s", table.__tablename__, row_id, mask_personal_data(message))
        self.emit("error", {"message": message, "table": table.__tablename__, "id": row_id})

    def _state(self, key: str) -> str | None:
        with self.store.read() as session:
            row = session.get(SyncState, key)
            return row.value if row else None

    # --- adopting the preloaded profile ------------------------------------------

    def adopt_remote_profile(self) -> None:
        """ФРМР preloads the card and portfolio; an empty store takes them once, so a new
        user sees their data and can file without retyping it."""
        if self._state(ADOPTED_KEY) is not None:
            return
        card_response = self.client.send("GET", Paths.ME)
        card = PersonCard.model_validate_json(card_response.content)
        items: dict[str, list[dict[str, Any]]] = {}
        for _table, collection in COLLECTION_TABLES:
            response = self.client.send("GET", Paths.COLLECTION.format(collection=collection))
            items[collection] = response.json()
        with self.store.write() as session:
            if session.exec(select(Person)).first() is None:
                fields = card.model_dump(exclude={"version"})
                session.add(Person(**fields, synced_version=1, remote_version=card.version))
            for table, collection in COLLECTION_TABLES:
                if session.exec(select(table)).first() is not None:
                    continue
                out_model = COLLECTION_ITEMS[collection]
                for raw in items[collection]:
                    item = out_model.model_validate(raw).model_dump()
                    remote = item.pop("version")
                    session.add(table(**item, synced_version=1, remote_version=remote))
            session.merge(SyncState(key=ADOPTED_KEY, value=utcnow().isoformat()))
        log.info("adopted the registry's card and portfolio into the store")

    # --- the card and the portfolio ----------------------------------------------

    def push_card(self, report: CycleReport) -> None:
        for person in self._dirty(Person):
            try:
                body = _payload(person, PersonCardIn)
            except ValidationError as error:
                self._row_error(Person, person.id, person.version, _invalid_row(error))
                report.row_errors += 1
                continue
            remote = person.remote_version
            if remote is None:
                remote = parse_etag(self.client.send("GET", Paths.ME).headers.get(ETAG, ""))
            try:
                response = self.client.send(
                    "PUT",
                    Paths.ME,
                    json=body.model_dump(mode="json"),
                    headers={IF_MATCH: etag(remote or 0)},
                )
            except RegistryRejected as error:
                self._row_error(Person, person.id, person.version, error.user_text())
                report.row_errors += 1
                continue
            new_remote = parse_etag(response.headers.get(ETAG, ""))
            self._mark_synced(Person, person.id, person.version, new_remote)

    def push_collections(self, report: CycleReport) -> None:
        for table, collection in COLLECTION_TABLES:
            for row in self._dirty(table):
                try:
                    self._push_item(table, collection, row)
                except RegistryRejected as error:
                    self._row_error(table, row.id, row.version, error.user_text())
                    report.row_errors += 1
                except ValidationError as error:
                    self._row_error(table, row.id, row.version, _invalid_row(error))
                    report.row_errors += 1

    def _push_item(
        self,
        table: type[SyncColumns],
        collection: str,
        row: Any,
        body: dict[str, Any] | None = None,
    ) -> None:
        """Create, update or delete one item; `body` when the row alone does not make it."""
        path = Paths.COLLECTION_ITEM.format(collection=collection, id=row.id)
        if row.deleted:
            if row.remote_version is not None:
                self.client.send(
                    "DELETE", path, headers={IF_MATCH: etag(row.remote_version)}, accept=(404,)
                )
            self._mark_synced(table, row.id, row.version, None)
            return
        if body is None:
            body = _payload(row, COLLECTIONS[collection]).model_dump(mode="json")
        remote = row.remote_version
        if remote is None:
            response = self.client.send(
                "PUT", path, json=body, headers={IF_NONE_MATCH: "*"}, accept=(412,)
            )
            if response.status_code != 412:
                self._mark_synced(table, row.id, row.version, parse_etag(response.headers[ETAG]))
                return
            # Created before but the answer was lost: update the one that is there.
            remote = response.json().get("details", {}).get("current_version")
        response = self.client.send("PUT", path, json=body, headers={IF_MATCH: etag(remote or 0)})
        self._mark_synced(table, row.id, row.version, parse_etag(response.headers[ETAG]))

    # --- documents ---------------------------------------------------------------

    def push_documents(self, report: CycleReport) -> None:
        for document in self._dirty(Document):
            if document.deleted:
                # The contract has no document delete: the registry keeps what it received.
                self._mark_synced(Document, document.id, document.version, document.remote_version)
                continue
            try:
                self._upload(document)
            except RegistryRejected as error:
                self._row_error(Document, document.id, document.version, error.user_text())
                report.row_errors += 1

    def _upload(self, document: Document) -> None:
        response = self.client.send(
            "POST",
            Paths.DOCUMENTS,
            upload=self.store.blobs.path_for(document.sha256),
            headers={
                CONTENT_SHA256: document.sha256,
                DOCUMENT_ID: document.id,
                FILE_NAME: quote(document.file_name, safe=""),
                "Content-Type": document.kind.media_type,
            },
        )
        out = DocumentOut.model_validate_json(response.content)
        if out.id != document.id:
            # The same bytes were uploaded before under another id: attach that one.
            with self.store.write() as session:
                session.merge(SyncState(key=f"document:{document.id}", value=out.id))
        self._mark_synced(Document, document.id, document.version, 1)

    def _remote_document_id(self, document_id: str) -> str:
        return self._state(f"document:{document_id}") or document_id

    # --- the portfolio's additional documents ------------------------------------

    def push_additional_documents(self, report: CycleReport) -> None:
        """After the uploads: an item names its file by the registry's id and hash, so one
        whose file is not uploaded yet waits for a later cycle."""
        for row in self._dirty(AdditionalDocument):
            try:
                if row.deleted:
                    self._push_item(AdditionalDocument, ADDITIONAL_DOCUMENTS, row)
                elif (body := self._additional_document_body(row)) is not None:
                    self._push_item(AdditionalDocument, ADDITIONAL_DOCUMENTS, row, body)
            except RegistryRejected as error:
                self._row_error(AdditionalDocument, row.id, row.version, error.user_text())
                report.row_errors += 1
            except (ValidationError, FileRefused) as error:
                message = str(error) if isinstance(error, FileRefused) else _invalid_row(error)
                self._row_error(AdditionalDocument, row.id, row.version, message)
                report.row_errors += 1

    def _additional_document_body(self, row: AdditionalDocument) -> dict[str, Any] | None:
        """The item as the contract carries it; None while its file waits to be uploaded."""
        with self.store.read() as session:
            document = session.get(Document, row.document_id)
        if document is None:
            raise FileRefused("Файл документа не найден в библиотеке")
        if document.sync_error is not None:
            raise FileRefused(f"Файл «{document.file_name}» не принят ФРМР: {document.sync_error}")
        if document.synced_version == 0:
            return None
        body = COLLECTIONS[ADDITIONAL_DOCUMENTS].model_validate(
            {
                "name": row.name,
                "part": row.part.value,
                "document_id": self._remote_document_id(document.id),
                "sha256": document.sha256,
            }
        )
        return body.model_dump(mode="json")

    # --- delivering applications -------------------------------------------------

    def deliver_due(self, report: CycleReport) -> None:
        with self.store.read() as session:
            due = [a.id for a in delivery.due_submissions(session, utcnow())]
        for app_id in due:
            try:
                self.deliver(app_id, report)
            except RegistryRejected as error:
                self._refuse(app_id, error.user_text())
                report.row_errors += 1
            except ValidationError as error:
                self._refuse(app_id, _invalid_row(error))
                report.row_errors += 1

    def _refuse(self, app_id: str, message: str) -> None:
        with self.store.write() as session:
            app = session.get(Application, app_id)
            if app is not None:
                delivery.record_refused(session, app, message)
        log.warning("application %s refused: %s", app_id, mask_personal_data(message))
        self.emit("error", {"application_id": app_id, "message": message})

    def deliver(self, app_id: str, report: CycleReport) -> None:
        """Create (idempotent by the application's id), attach, then submit under the key
        stored with the intent; a lost answer is settled by asking the registry."""
        with self.store.read() as session:
            app = session.get(Application, app_id)
            if app is None or app.submit_key is None or app.status not in delivery.PENDING:
                return
            documents = attached_documents(session, app.id)
        out = self._create(app)
        # That the registry has the application is recorded with the next commit (the submit
        # intent or the answer), not in one of its own: one fsync less per application.
        try:
            if ApplicationStatus(out.status) in _FINAL_OR_REVIEW:
                self._record_answer(app, out, report)
                return
            self._reconcile_documents(app, out, documents)
            out = self._submit(app)
        except BaseException:
            self._record_created(app.id)
            raise
        self._record_answer(app, out, report)

    def _create(self, app: Application) -> ApplicationOut:
        with self.store.read() as session:
            report_agreed = report_agreement(session)
        body = ApplicationCreate(
            id=app.id,
            kind=app.kind.value,
            specialty_code=app.specialty_code,
            specialty_name=app.specialty_name,
            education_level=app.education_level or "",
            phone=app.phone,
            email=app.email,
            report_agreed=report_agreed,
            comment=app.comment,
        )
        path = Paths.APPLICATIONS
        response = self.client.send(
            "POST",
            path,
            json=body.model_dump(mode="json"),
            headers={IDEMPOTENCY_KEY: app.id},
            accept=(409,),
        )
        if response.status_code == 201 and REPLAYED not in response.headers:
            return ApplicationOut.model_validate_json(response.content)
        # A replay (or a 409) describes the past: read what the registry has now.
        return self._fetch(app.id)

    def _record_created(self, app_id: str) -> None:
        """The registry has this application (a cancellation must be sent there)."""
        try:
            with self.store.write() as session:
                row = session.get(Application, app_id)
                if row is not None and row.remote_version is None:
                    row.remote_version = 1
                    session.add(row)
        except Exception:
            log.exception("recording that the registry has %s failed", app_id)

    def _fetch(self, app_id: str) -> ApplicationOut:
        response = self.client.send("GET", Paths.APPLICATION.format(id=app_id))
        return ApplicationOut.model_validate_json(response.content)

    def _reconcile_documents(
        self, app: Application, out: ApplicationOut, documents: list[Document]
    ) -> None:
        wanted = [self._remote_document_id(d.id) for d in documents]
        for document_id in wanted:
            if document_id not in out.document_ids:
                self.client.send(
                    "POST",
                    Paths.APPLICATION_DOCUMENTS.format(id=app.id),
                    json={"document_id": document_id},
                )
        for document_id in out.document_ids:
            if document_id not in wanted:
                self.client.send(
                    "DELETE",
                    Paths.APPLICATION_DOCUMENT.format(id=app.id, document_id=document_id),
                    accept=(404,),
                )

    def _probe(self, key: str) -> Callable[[], httpx.Response | None]:
        def ask() -> httpx.Response | None:
            response = self.client.send(
                "GET", Paths.IDEMPOTENCY.format(key=quote(key, safe="")), accept=(404,)
            )
            if response.status_code == 404:
                return None
            record = IdempotencyRecordOut.model_validate_json(response.content)
            log.info("key %s was answered %d before: not resending", key, record.status_code)
            return httpx.Response(
                record.status_code,
                content=json.dumps(record.body).encode(),
                headers={"Content-Type": "application/json", REPLAYED: "true"},
                request=response.request,
            )

        return ask

    def _submit(self, app: Application) -> ApplicationOut:
        key = app.submit_key
        assert key is not None
        probe = self._probe(key)
        if app.sync_attempts > 0:
            # Sent before with this key (then a crash or a lost answer): ask, don't resend.
            earlier = probe()
            if earlier is not None:
                return self._answer(app.id, earlier)
        with self.store.write() as session:
            row = session.get(Application, app.id)
            if row is None or row.submit_key != key:
                raise RegistryRejected(409, "stale", "Заявление изменилось", "submit key changed")
            row.remote_version = row.remote_version or 1  # created just before
            delivery.record_sending(session, row)
        response = self.client.send(
            "POST",
            Paths.APPLICATION_SUBMIT.format(id=app.id),
            headers={IDEMPOTENCY_KEY: key},
            probe=probe,
            accept=(409,),
        )
        return self._answer(app.id, response)

    def _answer(self, app_id: str, response: httpx.Response) -> ApplicationOut:
        if response.status_code == 409 or response.status_code >= 400:
            # Already past «Сформировано» (e.g. delivered under an earlier key): read it.
            return self._fetch(app_id)
        return ApplicationOut.model_validate_json(response.content)

    def _record_answer(self, app: Application, out: ApplicationOut, report: CycleReport) -> None:
        status = ApplicationStatus(out.status)
        with self.store.write() as session:
            row = session.get(Application, app.id)
            if row is None:
                return
            before = row.status
            row.remote_version = row.remote_version or 1
            # «Сформировано» after a submit means the registry did not take it: try again later.
            if status in (ApplicationStatus.NOT_DELIVERED, ApplicationStatus.FORMED):
                delay = self.schedule.resubmit_delay(row)
                due = delivery.record_not_delivered(
                    session,
                    row,
                    actor=Actor.REGISTRY
                    if status is ApplicationStatus.NOT_DELIVERED
                    else Actor.DAEMON,
                    reason=out.status_reason or "Заявление не доставлено в ФРМР",
                    delay=delay,
                )
                report.not_delivered += 1
                fields = {"next_attempt_at": due.isoformat() if due else None}
            else:
                delivery.record_delivered(session, row, number=out.number, sent_version=app.version)
                if status is not ApplicationStatus.UNDER_REVIEW:
                    delivery.apply_registry_status(
                        session, row, status, out.status_reason, Actor.REGISTRY
                    )
                report.delivered += 1
                fields = {}
            after = row.status
            number = row.number
        if after is not before:
            self._status_event(app.id, number, before, after, fields)

    def _status_event(
        self,
        app_id: str,
        number: str | None,
        before: ApplicationStatus,
        after: ApplicationStatus,
        extra: dict[str, Any],
    ) -> None:
        self.emit(
            "status_changed",
            {
                "application_id": app_id,
                "number": number,
                "from": before.value,
                "to": after.value,
                "message": f"Заявление {number or app_id[:8]}: «{after.label}»",
                **extra,
            },
        )

    def fail_due_submissions(self, error: RegistryUnavailable) -> int:
        """The registry can't be reached: every due submission is «Не доставлено» now, with
        its next attempt stored in the row (at least the registry's Retry-After)."""
        changed: list[tuple[str, str | None, ApplicationStatus, datetime | None]] = []
        with self.store.write() as session:
            for app in delivery.due_submissions(session, utcnow()):
                before = app.status
                delay = self.schedule.resubmit_delay(app)
                due = delivery.record_not_delivered(
                    session,
                    app,
                    actor=Actor.DAEMON,
                    reason=delivery.UNREACHABLE_REASON,
                    delay=max(delay, error.retry_after or 0.0),
                )
                changed.append((app.id, app.number, before, due))
        for app_id, number, before, due in changed:
            extra = {"next_attempt_at": due.isoformat() if due else None}
            if before is not ApplicationStatus.NOT_DELIVERED:
                self._status_event(app_id, number, before, ApplicationStatus.NOT_DELIVERED, extra)
        if changed:
            log.warning("registry unreachable, %d submissions rescheduled: %s", len(changed), error)
        return len(changed)

    # --- cancellations -----------------------------------------------------------

    def push_cancellations(self, report: CycleReport) -> None:
        for app in self._dirty(Application):
            if app.status is not ApplicationStatus.CANCELLED:
                continue
            if app.remote_version is not None:
                try:
                    self.client.send(
                        "POST",
                        Paths.APPLICATION_CANCEL.format(id=app.id),
                        json=CancelIn(reason=app.status_reason).model_dump(mode="json"),
                        accept=(404,),
                    )
                except RegistryRejected as error:
                    self._row_error(Application, app.id, app.version, error.user_text())
                    report.row_errors += 1
                    continue
            self._mark_synced(Application, app.id, app.version, app.remote_version)

    # --- pulling decisions -------------------------------------------------------

    def pull_changes(self, report: CycleReport) -> None:
        """Statuses and reasons since the stored cursor; the cursor commits with them."""
        while True:
            cursor = self._state(CURSOR_KEY)
            params = {"since": cursor} if cursor else None
            response = self.client.send("GET", Paths.CHANGES, params=params)
            page = ChangesOut.model_validate_json(response.content)
            if not page.changes:
                return
            events: list[tuple[str, str | None, ApplicationStatus, ApplicationStatus]] = []
            with self.store.write() as session:
                for change in page.changes:
                    app = session.get(Application, change.application_id)
                    if app is None:
                        continue
                    if not app.number:
                        app.number = change.number
                        session.add(app)
                    before = app.status
                    status = ApplicationStatus(change.status)
                    actor = Actor(change.actor)
                    if status is ApplicationStatus.NOT_DELIVERED:
                        delay = self.schedule.resubmit_delay(app)
                        if before is ApplicationStatus.QUEUED:
                            delivery.record_not_delivered(
                                session,
                                app,
                                actor=Actor.REGISTRY,
                                reason=change.reason or "Заявление не доставлено в ФРМР",
                                delay=delay,
                            )
                    else:
                        delivery.apply_registry_status(session, app, status, change.reason, actor)
                    if app.status is not before:
                        events.append((app.id, app.number, before, app.status))
                        report.pulled += 1
                session.merge(SyncState(key=CURSOR_KEY, value=page.cursor))
            for app_id, number, before, after in events:
                self._status_event(app_id, number, before, after, {})

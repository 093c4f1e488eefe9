"""Courses proposed from dropped documents: queued, read, then confirmed, corrected or
dismissed by the doctor. A proposal is never a course until it is confirmed, so readiness
counts its hours only from then on; the document stays linked to the course it proves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from frmr.model.documents.ocr.fields import Recognition, rule_for
from frmr.model.documents.ocr.reader import ReadText
from frmr.model.portfolio.collections import collection, parse_values
from frmr.model.portfolio.edits import _check_row
from frmr.model.portfolio.proposal_view import (
    FROM_PORTFOLIO,
    SPECIALTY,
    VIEW_COLUMNS,
    Proposal,
    ProposalStatus,
    is_date,
    proposal_view,
)
from frmr.model.readiness.kinds import CourseKind, distinct_specialties
from frmr.model.rules.clock import utcnow
from frmr.model.rules.dates import format_date, parse_date
from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.documents import LibraryDocument, library_documents
from frmr.model.store.reads.proposals import read_proposals
from frmr.model.store.tables import (
    Attachment,
    Certificate,
    Course,
    CourseProposal,
    Document,
)

# The checklist item a confirmed course's document covers (model.readiness.checklist).
TRAINING_ITEM = "training"
# A document whose reading was begun this often and never ended (the daemon killed each
# time) is marked failed rather than read at every start.
MAX_ATTEMPTS = 3


def _view(session: Session, row: CourseProposal) -> Proposal:
    document = session.get(Document, row.document_id)
    file_name = document.file_name if document else ""
    return proposal_view(file_name, {name: getattr(row, name) for name in VIEW_COLUMNS})


# --- the daemon's side ------------------------------------------------------------------


def queue_reading(session: Session, document_id: str) -> bool:
    """Queue a library document to be read, once: found again, it is not read twice."""
    if _by_document(session, document_id) is not None:
        return False
    session.add(CourseProposal(document_id=document_id))
    return True


def queue_unread(account: Account) -> int:
    """Queue every library document never queued: one whose import committed but whose
    queueing did not (the daemon died between the two commits), or one imported before
    documents were read at all. A document of an application's folder is not a course's
    evidence and is left alone."""
    with account.store.write() as session:
        attached = select(Attachment.document_id)
        seen = select(CourseProposal.document_id)
        unread = session.exec(
            select(Document.id)
            .where(col(Document.deleted).is_(False))
            .where(col(Document.id).not_in(attached))
            .where(col(Document.id).not_in(seen))
        ).all()
        for document_id in unread:
            session.add(CourseProposal(document_id=document_id))
        return len(unread)


def begin_reading(account: Account, document_id: str) -> Document | None:
    """Count the attempt before the work (a reading that kills the daemon must not loop):
    the document to read, or None when it is gone, was read or failed too often."""
    with account.store.write() as session:
        row = _by_document(session, document_id)
        if row is None or row.status is not ProposalStatus.QUEUED:
            return None
        document = session.get(Document, document_id)
        if document is None or document.deleted:
            session.delete(row)
            return None
        row.attempts += 1
        if row.attempts > MAX_ATTEMPTS:
            row.status = ProposalStatus.FAILED
            row.error = f"чтение прерывалось {MAX_ATTEMPTS} раза"
            session.add(row)
            return None
        session.add(row)
        session.expunge(document)
        return document


def _by_document(session: Session, document_id: str) -> CourseProposal | None:
    return session.exec(
        select(CourseProposal).where(CourseProposal.document_id == document_id)
    ).first()


def record_reading(
    account: Account, document_id: str, read: ReadText, recognition: Recognition | None
) -> Proposal | None:
    """Store what was read: a proposal when the document is one the rules know."""
    with account.store.write() as session:
        row = _by_document(session, document_id)
        if row is None:
            return None
        row.pages_read = len(read.pages)
        row.page_count = read.page_count
        row.cut = read.cut
        row.ocr = read.ocr
        row.seconds = round(read.seconds, 3)
        row.read_at = utcnow()
        if recognition is None:
            row.status = ProposalStatus.UNRECOGNISED
        else:
            row.status = ProposalStatus.PROPOSED
            row.doc_type = recognition.kind
            row.course_kind = recognition.course_kind
            stored: dict[str, dict[str, Any]] = {
                name: {
                    "value": f.value,
                    "confidence": f.confidence,
                    "raw": f.raw,
                    "source": f.source.as_dict() if f.source is not None else None,
                }
                for name, f in recognition.fields.items()
            }
            specialties = _portfolio_specialties(session)
            if len(specialties) == 1:
                # A guess until confirmed: half confidence says "check me".
                stored[SPECIALTY] = {
                    "value": specialties[0],
                    "confidence": 0.5,
                    "raw": FROM_PORTFOLIO,
                }
            row.fields_json = json.dumps(stored, ensure_ascii=False)
        session.add(row)
        return _view(session, row)


def _portfolio_specialties(session: Session) -> list[str]:
    names = session.exec(
        select(Certificate.specialty_name).where(
            Certificate.deleted == False,  # noqa: E712
            col(Certificate.specialty_name).is_not(None),
        )
    ).all()
    return distinct_specialties(names)


def record_failure(account: Account, document_id: str, error: str) -> None:
    with account.store.write() as session:
        row = _by_document(session, document_id)
        if row is None:
            return
        row.status = ProposalStatus.FAILED
        row.error = error
        row.read_at = utcnow()
        session.add(row)


def put_back(account: Account, document_id: str) -> None:
    """A reading stopped by the daemon's stop: read again at the next start."""
    with account.store.write() as session:
        row = _by_document(session, document_id)
        if row is not None and row.status is ProposalStatus.QUEUED:
            row.attempts = max(0, row.attempts - 1)
            session.add(row)


# --- the doctor's side ------------------------------------------------------------------


def _matching(ref: str, ids: Iterable[str]) -> str:
    """The one of `ids` that `ref`, an id or its first characters (as the lists show it),
    names."""
    ref = ref.strip()
    found = [i for i in ids if i.startswith(ref)]
    if len(found) != 1 or not ref:
        raise NotFound(
            "Предложение не найдено" if not found else "Номер подходит к нескольким предложениям",
            f"proposal {ref!r}: {len(found)} matches",
            fix="Номера — в «frmr portfolio proposals»",
        )
    return found[0]


def _find(session: Session, ref: str) -> CourseProposal:
    return session.get_one(
        CourseProposal, _matching(ref, session.exec(select(CourseProposal.id)).all())
    )


def _open(session: Session, ref: str) -> CourseProposal:
    row = _find(session, ref)
    if row.status is not ProposalStatus.PROPOSED:
        raise FieldInvalid(
            {
                ProposalStatus.CONFIRMED: "Предложение уже подтверждено",
                ProposalStatus.DISMISSED: "Предложение уже отклонено",
            }.get(row.status, "Этот документ не распознан как удостоверение или сертификат"),
            f"proposal {row.id} is {row.status.value}",
            field="status",
        )
    return row


def parse_field(doc_type: str, name: str, text: str) -> str | None:
    """A corrected value, checked as its kind of field: the form it is stored in."""
    if name == SPECIALTY:
        return " ".join(text.split()) or None
    rule = rule_for(doc_type)
    spec = next((f for f in rule.fields if f.name == name), None)
    if spec is None:
        names = ", ".join(f.name for f in rule.fields)
        raise FieldInvalid(
            f"Нет поля «{name}». Поля: {names}, {SPECIALTY}, kind",
            f"proposal: unknown field {name!r}",
            field=name,
        )
    text = text.strip()
    if not text:
        return None
    if spec.type == "date":
        return parse_date(text, name).isoformat()
    if spec.type == "int":
        if not text.isdigit() or not (spec.low or 0) <= int(text) <= (spec.high or 10**6):
            raise FieldInvalid(
                f"«{spec.label}»: целое число от {spec.low} до {spec.high}",
                f"proposal {name}: bad number",
                field=name,
            )
        return str(int(text))
    return " ".join(text.split())


def parse_kind(text: str) -> CourseKind:
    folded = text.strip().casefold()
    for kind in CourseKind.selectable():
        if folded in {kind.value, kind.label.casefold()}:
            return kind
    labels = ", ".join(f"{k.value} («{k.label}»)" for k in CourseKind.selectable())
    raise FieldInvalid(f"Вид курса — одно из: {labels}", f"proposal kind {text!r}", field="kind")


def _apply(row: CourseProposal, values: Mapping[str, str]) -> None:
    assert row.doc_type is not None
    stored: dict[str, dict[str, Any]] = json.loads(row.fields_json or "{}")
    for name, text in values.items():
        if name == "kind":
            row.course_kind = parse_kind(text).value
            continue
        value = parse_field(row.doc_type, name, text)
        # Typed by the doctor: no doubt left. What was read where stays, to check it against.
        before = stored.get(name, {})
        stored[name] = {
            "value": value,
            "confidence": 1.0,
            "raw": before.get("raw", ""),
            "corrected": True,
            "source": before.get("source"),
        }
    row.fields_json = json.dumps(stored, ensure_ascii=False)


def correct(account: Account, ref: str, values: Mapping[str, str]) -> Proposal:
    """Correct fields of a proposal; it stays a proposal until confirmed."""
    with account.store.write() as session:
        row = _open(session, ref)
        _apply(row, values)
        session.add(row)
        return _view(session, row)


def _course_values(row: CourseProposal) -> dict[str, str]:
    assert row.doc_type is not None
    rule = rule_for(row.doc_type)
    stored: dict[str, dict[str, Any]] = json.loads(row.fields_json or "{}")
    spec = collection("courses")
    values: dict[str, str] = {"kind": row.course_kind or rule.course_kind}
    for column, name in rule.course.items():
        value = stored.get(name, {}).get("value")
        if value is None:
            if spec.field(column).required:
                label = next(f.label for f in rule.fields if f.name == name)
                raise FieldInvalid(
                    f"Поле «{label}» не прочитано из документа",
                    f"proposal {row.id}: {name} missing",
                    field=name,
                    fix=f"Укажите его: frmr portfolio proposals correct {row.id[:8]} {name}=…",
                )
            continue
        values[column] = format_date(date.fromisoformat(value)) if is_date(name) else value
    specialty = stored.get(SPECIALTY, {}).get("value")
    if specialty:
        values[SPECIALTY] = specialty
    return values


def confirm(account: Account, ref: str, values: Mapping[str, str] | None = None) -> str:
    """Make the proposal a course (with the corrections given), in one transaction; the
    document becomes its evidence. Returns the course's id."""
    spec = collection("courses")
    with account.store.write() as session:
        row = _open(session, ref)
        if values:
            _apply(row, values)
        course = Course(**parse_values(spec, _course_values(row)))
        _check_row(spec, course)
        session.add(course)
        session.flush()
        row.status = ProposalStatus.CONFIRMED
        row.course_id = course.id
        row.decided_at = utcnow()
        session.add(row)
        document = session.get(Document, row.document_id)
        if document is not None and document.checklist_item is None:
            document.checklist_item = TRAINING_ITEM
            document.touch()
            session.add(document)
        return course.id


def dismiss(account: Account, ref: str) -> None:
    """Not a course (or one already entered): the proposal goes, the document stays."""
    with account.store.write() as session:
        row = _open(session, ref)
        row.status = ProposalStatus.DISMISSED
        row.decided_at = utcnow()
        session.add(row)


def find_proposal(account: Account, ref: str) -> tuple[Proposal, LibraryDocument]:
    """A proposal by its id or the id's first characters, and its document."""
    with account.store.read() as session:
        conn = session_connection(session)
        proposals = {p.id: p for p in read_proposals(conn, everything=True)}
        proposal = proposals[_matching(ref, proposals)]
        document = next((d for d in library_documents(conn) if d.id == proposal.document_id), None)
    if document is None:
        raise NotFound("Документ удалён", f"proposal {proposal.id}: document gone")
    return proposal, document

"""Readiness of the worker's own portfolio: the store's rows as plain facts, then the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from frmr.model.readiness.calendar import WorkingCalendar, load_calendar
from frmr.model.readiness.checklist import guess_item
from frmr.model.readiness.evaluate import Readiness, evaluate, evaluate_asked
from frmr.model.readiness.facts import (
    DoctorFacts,
    dismissed_on,
)
from frmr.model.readiness.rules import RuleSet, load_rules
from frmr.model.report.record import update_report
from frmr.model.report.variant import ReportVariant
from frmr.model.rules.clock import today as local_today
from frmr.model.rules.dates import format_date
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.statuses import ApplicationKind
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads.documents import LibraryDocument, library_documents
from frmr.model.store.reads.facts import doctor_facts as read_doctor_facts
from frmr.model.store.tables import Application


def account_rules(account: Account) -> RuleSet:
    return load_rules(pk_hours=account.readiness_pk_hours, window=account.readiness_window)


def account_calendar(account: Account, today: date) -> WorkingCalendar:
    return load_calendar(today, HomeLayout(account.home).cache_dir)


def doctor_facts(session: Session, today: date) -> DoctorFacts:
    """The facts model.store.reads reads, inside the session's transaction."""
    return read_doctor_facts(session_connection(session), today)


def readiness(
    account: Account, specialty: str | None = None, today: date | None = None
) -> list[Readiness]:
    """Every specialty's verdict, or the one asked for (by name, any case)."""
    today = today or local_today()
    with account.store.read() as session:
        facts = doctor_facts(session, today)
    return evaluate_asked(
        facts, specialty, today, account_rules(account), account_calendar(account, today)
    )


def application_readiness(
    account: Account, session: Session, app: Application, today: date
) -> Readiness:
    """The verdict for an application: its specialty, along the route it asks for."""
    return evaluate(
        doctor_facts(session, today),
        app.specialty_name,
        today,
        account_rules(account),
        account_calendar(account, today),
        ApplicationKind(app.kind),
    )


def tag_document(account: Account, ref: str, item: str | None) -> LibraryDocument:
    """Say which checklist item a file covers; None returns it to the guess from its name."""
    from frmr.model.documents.library import library_record
    from frmr.model.readiness.checklist import ITEMS
    from frmr.model.store.lookup import find_document

    if item is not None and item not in {i.id for i in ITEMS}:
        raise FieldInvalid(
            "Пункт списка документов: " + ", ".join(f"{i.id} ({i.label})" for i in ITEMS),
            f"unknown checklist item {item!r}",
            field="item",
        )
    with account.store.write() as session:
        document = find_document(session, ref)
        document.checklist_item = item
        session.add(document)
        return library_record(document)


@dataclass(frozen=True)
class TaggableDocument:
    id: str
    file_name: str
    tag: str | None
    # The item the file name points to when no tag is set.
    guess: str | None

    @property
    def item(self) -> str | None:
        return self.tag or self.guess


def checklist_documents(account: Account) -> list[TaggableDocument]:
    """The library's files with the checklist item each covers, tagged or guessed."""
    with account.store.read() as session:
        library = library_documents(session_connection(session))
    return [
        TaggableDocument(d.id, d.file_name, d.checklist_item, guess_item(d.file_name))
        for d in sorted(library, key=lambda d: d.file_name.casefold())
    ]


def apply_dismissal_end(account: Account, today: date | None = None) -> date:
    """For a worker with no job today: the report's period ends on the dismissal day, and
    «Согласование отчёта» becomes «Нет» (rules.json «dismissal_period_end»)."""
    today = today or local_today()
    with account.store.read() as session:
        jobs = doctor_facts(session, today).jobs
    dismissal = dismissed_on(jobs, today)
    if dismissal is None:
        raise FieldInvalid(
            "Дата увольнения не нужна: в профессиональной части есть текущее место работы "
            "(или нет ни одного)",
            "no dismissal: a job goes on today, or there is no job",
            field="period_end",
        )
    update_report(
        account,
        {"period_end": format_date(dismissal), "variant": ReportVariant.NOT_WORKING.value},
        today,
    )
    return dismissal

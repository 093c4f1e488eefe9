"""«Заявления»: create, form, submit and cancel; each answers with the read model's record
(model.store.reads.applications), which is also where an application and its history are read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from frmr.model.applications.delivery import submit_key
from frmr.model.applications.history import move, record_creation
from frmr.model.portfolio.checks import (
    PortfolioFacts,
    PortfolioProblem,
    PortfolioRejected,
    check_portfolio,
)
from frmr.model.readiness.evaluate import Readiness
from frmr.model.readiness.findings import Finding, Verdict
from frmr.model.readiness.from_rows import check_facts
from frmr.model.readiness.from_store import application_readiness
from frmr.model.report.variant import report_agreed
from frmr.model.rules.clock import today as local_today
from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.education import EducationLevel, parse_education_level
from frmr.model.rules.statuses import Actor, ApplicationKind, ApplicationStatus
from frmr.model.rules.text import check_optional
from frmr.model.store.account import Account
from frmr.model.store.engine import make_private_dir, session_connection
from frmr.model.store.lookup import find_application
from frmr.model.store.reads.applications import ApplicationView, application_views, attached_files
from frmr.model.store.reads.facts import decided_accreditations, portfolio_rows
from frmr.model.store.reads.report import current_record
from frmr.model.store.reference import load_specialties
from frmr.model.store.tables import Application


def new_application(
    account: Account,
    *,
    specialty: str,
    phone: str,
    email: str,
    kind: ApplicationKind = ApplicationKind.PERIODIC,
    comment: str | None = None,
    education_level: str | None = None,
) -> ApplicationView:
    """«Добавить заявление»: a draft with its own drop folder."""
    asked = (
        parse_education_level(education_level)
        if education_level and education_level.strip()
        else None
    )
    item = load_specialties(account.home).find(specialty, asked.value if asked else None)
    level = asked or EducationLevel(item.level or EducationLevel.HIGHER)
    app = Application(
        kind=kind,
        specialty_code=item.code,
        specialty_name=item.name,
        education_level=level.value,
        phone=normalize_phone(phone),
        email=normalize_email(email),
        comment=check_optional("application", "comment", comment, "Комментарий"),
        folder_name="",
    )
    app.folder_name = f"application-{app.id[:8]}"
    make_private_dir(account.application_folder(app.folder_name))
    with account.store.write() as session:
        session.add(app)
        record_creation(session, app)
    return list_applications(account, app.id)[0]


def list_applications(account: Account, app_id: str | None = None) -> list[ApplicationView]:
    """Every application (or the one `app_id` is) with its attachments (model.store.reads),
    read on the account's pooled connection: a fresh sqlite3 one costs five times as much."""
    with account.store.read() as session:
        return application_views(session_connection(session), account.documents_dir, app_id)


def portfolio_facts(session: Session, app: Application) -> PortfolioFacts:
    """What the registry checks at submission, built as the registry builds it
    (model.readiness.from_rows)."""
    conn = session_connection(session)
    rows = portfolio_rows(conn)
    report = current_record(conn)
    return check_facts(
        courses=rows["courses"],
        certificates=rows["certificates"],
        jobs=rows["jobs"],
        report_organization=report.organization if report else None,
        report_agreed=report_agreed(report.variant if report else None),
        attachment_sizes=[d.size for d in attached_files(conn, app.id).get(app.id, [])],
        periodic=app.kind is ApplicationKind.PERIODIC,
        specialty=app.specialty_name,
        decided=decided_accreditations(conn),
    )


def _as_problem(finding: Finding) -> PortfolioProblem:
    return PortfolioProblem(
        finding.code,
        finding.message,
        f"{finding.fix} (кто: {finding.who.label})",
        finding.detail,
    )


def _blocking(account: Account, session: Session, app: Application, today: date) -> list[Any]:
    """The registry's portfolio checks, then the readiness rules' blocking findings."""
    problems = check_portfolio(portfolio_facts(session, app), today)
    seen = {p.code for p in problems}
    verdict = application_readiness(account, session, app, today)
    problems += [_as_problem(f) for f in verdict.blocking if f.code not in seen]
    return problems


def _move_unblocked(
    account: Account, session: Session, ref: str, today: date | None, to: ApplicationStatus
) -> Application:
    """The worker's move of `ref` to `to`, refused while a check blocks it."""
    app = find_application(session, ref)
    problems = _blocking(account, session, app, today or local_today())
    if problems:
        raise PortfolioRejected(problems)
    move(session, app, to, Actor.WORKER)
    return app


def application_verdict(account: Account, ref: str, today: date | None = None) -> Readiness:
    """The readiness of one application's specialty along its route, warnings included."""
    with account.store.read() as session:
        app = find_application(session, ref)
        return application_readiness(account, session, app, today or local_today())


@dataclass(frozen=True)
class ApplicationCheck:
    """The form check: the same three outcomes as F8 and `frmr readiness`, where the
    registry's portfolio checks block as readiness blockers do."""

    verdict: Verdict
    problems: list[PortfolioProblem]  # what blocks «Сформировать»
    caveats: list[Finding]  # the оговорки, each with its source


def check_application(account: Account, ref: str, today: date | None = None) -> ApplicationCheck:
    """What forming would report, without changing anything."""
    day = today or local_today()
    with account.store.read() as session:
        app = find_application(session, ref)
        problems = _blocking(account, session, app, day)
        readiness = application_readiness(account, session, app, day)
    verdict = Verdict.NOT_READY if problems else readiness.verdict
    return ApplicationCheck(verdict, problems, readiness.warnings)


def form_application(account: Account, ref: str, today: date | None = None) -> ApplicationView:
    """«Сформировать заявление»: Черновик → Сформировано when no check blocks it; warnings
    (`application_verdict`) are the worker's to weigh."""
    with account.store.write() as session:
        app = _move_unblocked(account, session, ref, today, ApplicationStatus.FORMED)
        app.touch()
    return list_applications(account, app.id)[0]


def submit_application(account: Account, ref: str, today: date | None = None) -> ApplicationView:
    """«Подать заявление»: → «В очереди на отправку». The idempotency key of the submission is
    stored in the same transaction as the intent, before the daemon sends anything."""
    with account.store.write() as session:
        app = _move_unblocked(account, session, ref, today, ApplicationStatus.QUEUED)
        # Never a key used before: after a refusal the registry would replay its refusal.
        app.submit_key = submit_key(app.id, app.submit_attempts + 1)
        app.next_attempt_at = None
        app.touch()
    return list_applications(account, app.id)[0]


def cancel_application(account: Account, ref: str, reason: str | None = None) -> ApplicationView:
    """«Отменить»: by the worker; a filed application's cancellation is pushed to the registry."""
    with account.store.write() as session:
        app = find_application(session, ref)
        reason = check_optional("reason", "reason", reason, "Причина отмены")
        move(session, app, ApplicationStatus.CANCELLED, Actor.WORKER, reason)
        app.touch()
    return list_applications(account, app.id)[0]

"""The portfolio facts the registry checks at submission, read from what the client pushed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, select

from frmr.contract.protocol import Certificate, Course, Employment, Report
from frmr.model.portfolio.checks import CourseFacts, EmploymentFacts, PortfolioFacts
from frmr.model.readiness.facts import DoctorFacts
from frmr.model.readiness.from_rows import portfolio_facts as shared_facts
from frmr.registry.tables import Application, PortfolioItem


def _items(session: Session, person_id: str, collection: str) -> list[PortfolioItem]:
    return list(
        session.exec(
            select(PortfolioItem).where(
                PortfolioItem.person_id == person_id, PortfolioItem.collection == collection
            )
        ).all()
    )


def portfolio_facts(
    session: Session, application: Application, attachment_sizes: Sequence[int]
) -> PortfolioFacts:
    person_id = application.person_id
    employments = [
        Employment.model_validate(item.data) for item in _items(session, person_id, "employment")
    ]
    courses = [Course.model_validate(item.data) for item in _items(session, person_id, "courses")]
    reports = [Report.model_validate(item.data) for item in _items(session, person_id, "reports")]
    certificates = [
        Certificate.model_validate(item.data) for item in _items(session, person_id, "certificates")
    ]
    latest_report = max(reports, key=lambda r: r.year, default=None)
    passes: list[date] = [c.pass_date for c in certificates]
    return PortfolioFacts(
        employments=[
            EmploymentFacts(e.organization, e.position, e.begin_date, e.end_date)
            for e in employments
        ],
        courses=[CourseFacts(c.begin_date, c.end_date, c.hours) for c in courses],
        report_organization=latest_report.organization if latest_report else None,
        report_agreed=application.report_agreed,
        attachment_sizes=list(attachment_sizes),
        last_accreditation=max(passes, default=None),
        periodic=application.kind == "periodic",
    )


def doctor_facts(session: Session, person_id: str) -> DoctorFacts:
    """What the person pushed, as the readiness rules read it: built by the function the
    client builds its own facts with (model.readiness.from_rows), from the items' contract
    bodies and the applications passed."""

    def rows(collection: str) -> list[dict[str, Any]]:
        return [{**i.data, "id": i.id} for i in _items(session, person_id, collection)]

    applications = session.exec(select(Application).where(Application.person_id == person_id))
    return shared_facts(
        courses=rows("courses"),
        certificates=rows("certificates"),
        educations=rows("education"),
        jobs=rows("employment"),
        decided=[(a.specialty_name, a.status, a.updated_at, a.number) for a in applications],
        has_report=bool(_items(session, person_id, "reports")),
    )

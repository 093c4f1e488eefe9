"""The portfolio facts the registry checks at submission, read from what the client pushed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from frmr.model.portfolio.checks import PortfolioFacts
from frmr.model.readiness.facts import DoctorFacts
from frmr.model.readiness.from_rows import check_facts
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


def _rows(session: Session, person_id: str, collection: str) -> list[dict[str, Any]]:
    """The items' contract bodies, as model.readiness.from_rows takes the portfolio's rows."""
    return [{**i.data, "id": i.id} for i in _items(session, person_id, collection)]


def portfolio_facts(
    session: Session, application: Application, attachment_sizes: Sequence[int]
) -> PortfolioFacts:
    """What the submit check reads, built by the client's own function."""
    person_id = application.person_id
    reports = _rows(session, person_id, "reports")
    latest_report = max(reports, key=lambda r: int(r["year"]), default=None)
    return check_facts(
        courses=_rows(session, person_id, "courses"),
        certificates=_rows(session, person_id, "certificates"),
        jobs=_rows(session, person_id, "employment"),
        report_organization=latest_report["organization"] if latest_report else None,
        report_agreed=application.report_agreed,
        attachment_sizes=attachment_sizes,
        periodic=application.kind == "periodic",
        specialty=application.specialty_name,
        decided=_decided(session, person_id),
    )


def _decided(session: Session, person_id: str) -> list[tuple[str, str, datetime, str | None]]:
    """The person's applications as model.readiness.from_rows reads the passed ones."""
    applications = session.exec(select(Application).where(Application.person_id == person_id))
    return [(a.specialty_name, a.status, a.updated_at, a.number) for a in applications]


def doctor_facts(session: Session, person_id: str) -> DoctorFacts:
    """What the person pushed, as the readiness rules read it: built by the function the
    client builds its own facts with (model.readiness.from_rows), from the items' contract
    bodies and the applications passed."""
    return shared_facts(
        courses=_rows(session, person_id, "courses"),
        certificates=_rows(session, person_id, "certificates"),
        educations=_rows(session, person_id, "education"),
        jobs=_rows(session, person_id, "employment"),
        decided=_decided(session, person_id),
        has_report=bool(_items(session, person_id, "reports")),
    )

"""The sandbox behaves like an employer's entry and reviews by the readiness rules."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import select

from frmr.contract.protocol import Paths
from frmr.model.readiness.rules import load_rules
from frmr.model.rules.clock import today, utcnow
from frmr.registry.cli import main
from frmr.registry.db import Database
from frmr.registry.review import AUTO_PASSED, decide_due
from frmr.registry.tables import Employee, PortfolioItem

from .conftest import pdf, random_snils


def _documented(person, **overrides):  # type: ignore[no-untyped-def]
    app = person.create_application(**overrides)
    document = person.upload(pdf(salt=app["id"])).json()
    person.client.post(
        Paths.APPLICATION_DOCUMENTS.format(id=app["id"]), json={"document_id": document["id"]}
    ).raise_for_status()
    assert person.submit(app["id"]).status_code == 200
    return app


def _course_today(registry_db: Database, person) -> None:  # type: ignore[no-untyped-def]
    with registry_db.write() as session:
        employee = session.exec(select(Employee).where(Employee.snils == person.snils)).one()
        session.add(
            PortfolioItem(
                person_id=employee.id,
                collection="courses",
                id=str(uuid.uuid4()),
                data={
                    "theme": "Неотложные состояния",
                    "kind": "nmo_module",
                    "specialty": "Терапия",
                    "institution": "Портал НМО",
                    "hours": 36,
                    "begin_date": today().isoformat(),
                    "end_date": today().isoformat(),
                    "doc_number": "НМО-1",
                },
                updated_at=utcnow(),
            )
        )


def test_auto_review_passes_the_ready_specialty_and_refuses_the_other_naming_the_rule(
    make_person, registry_db: Database
) -> None:
    person = make_person()
    therapy = _documented(person)
    cardiology = _documented(person, specialty_name="Кардиология", specialty_code="25")
    decide_due(registry_db, wait=timedelta(0))
    decided = {a["id"]: a for a in person.client.get(Paths.APPLICATIONS).json()}
    assert decided[therapy["id"]]["status"] == "passed"
    assert decided[therapy["id"]]["status_reason"] == AUTO_PASSED
    refused = decided[cardiology["id"]]
    assert refused["status"] == "refused"
    assert "Недостаточно часов НМО" in refused["status_reason"]
    assert "не хватает 20 ч" in refused["status_reason"]
    assert load_rules().rule("hours_total").cite() in refused["status_reason"]


def test_employee_add_with_a_position_enters_the_employment_record(
    server, registry_db: Database
) -> None:
    snils = random_snils(random.Random())
    result = CliRunner().invoke(
        main,
        [
            "employee", "add", "--db", server.db_url, "--snils", snils,
            "--last-name", "Сидорова", "--first-name", "Анна",
            "--organization", "ГБУЗ «ГП № 3»", "--position", "Врач-терапевт участковый",
            "--password-stdin",
        ],
        input="correct horse battery\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with registry_db.read() as session:
        employee = session.exec(select(Employee).where(Employee.snils == snils)).one()
        (job,) = session.exec(
            select(PortfolioItem).where(
                PortfolioItem.person_id == employee.id, PortfolioItem.collection == "employment"
            )
        ).all()
    assert job.data["organization"] == "ГБУЗ «ГП № 3»"
    assert job.data["position"] == "Врач-терапевт участковый"
    assert job.data["begin_date"] == today().isoformat() and job.data["end_date"] is None


def test_a_passed_accreditation_starts_the_next_cycle_in_the_review(
    make_person, registry_db: Database
) -> None:
    person = make_person()
    first = _documented(person)
    decide_due(registry_db, wait=timedelta(0))
    # The pass starts the next reporting period today: the submit check wants a course in it
    # (as the client's check before forming does), or it refuses the submission itself.
    _course_today(registry_db, person)
    again = _documented(person)
    decide_due(registry_db, wait=timedelta(0))
    decided = {a["id"]: a for a in person.client.get(Paths.APPLICATIONS).json()}
    assert decided[first["id"]]["status"] == "passed"
    # The decision opened a new five-year cycle: its window opens in four years.
    assert decided[again["id"]]["status"] == "refused"
    assert "Срок подачи ещё не наступил" in decided[again["id"]]["status_reason"]

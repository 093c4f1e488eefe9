"""A demo employee preloaded as ФРМР preloads one: card, education, courses, employment,
a certificate and the report, so a new user's sandbox has a portfolio that can be filed."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from frmr.model.clock import today, utcnow
from frmr.registry.employees import NewEmployee, add_employee
from frmr.registry.passwords import hash_password
from frmr.registry.tables import Employee, PortfolioItem
from frmr.sync.protocol import (
    Certificate,
    Course,
    Education,
    Employment,
    PersonCardIn,
    Report,
    Skill,
)

DEMO_SNILS = "11223344595"
HOSPITAL = "ГБУЗ «Городская клиническая больница № 1»"

DEMO = NewEmployee(
    snils=DEMO_SNILS,
    last_name="Иванова",
    first_name="Мария",
    patronymic="Петровна",
    organization=HOSPITAL,
    position="Врач-терапевт участковый",
    phone="+79161234567",
    email="demo@example.org",
)


def demo_portfolio(now: date) -> list[tuple[str, BaseModel]]:
    return [
        (
            "education",
            Education(
                kind="prof",
                institution="ФГАОУ ВО Первый МГМУ им. И. М. Сеченова",
                doc_serial="107704",
                doc_number="0012345",
                doc_date=date(2012, 6, 29),
                specialty="Лечебное дело",
                qualification="Врач-лечебник",
                graduation_year=2012,
            ),
        ),
        (
            "courses",
            Course(
                kind="further_training",
                institution="ФГБОУ ДПО РМАНПО Минздрава России",
                theme="Актуальные вопросы терапии",
                hours=144,
                begin_date=now - timedelta(days=800),
                end_date=now - timedelta(days=770),
                doc_number="772412345678",
                doc_date=now - timedelta(days=770),
            ),
        ),
        (
            "courses",
            Course(
                kind="nmo",
                institution="Портал НМО",
                theme="Ведение пациентов с артериальной гипертензией",
                hours=36,
                begin_date=now - timedelta(days=200),
                end_date=now - timedelta(days=195),
            ),
        ),
        (
            "employment",
            Employment(
                organization=HOSPITAL,
                department="Терапевтическое отделение поликлиники",
                position="Врач-терапевт участковый",
                position_type="main",
                rate=1.0,
                begin_date=date(2014, 9, 1),
            ),
        ),
        (
            "certificates",
            Certificate(
                kind="accreditation",
                number="7722 031234567",
                specialty_code="31.08.49",
                specialty_name="Терапия",
                pass_date=now - timedelta(days=4 * 365),
                end_date=now + timedelta(days=365),
            ),
        ),
        (
            "reports",
            Report(
                organization=HOSPITAL,
                year=now.year - 1,
                text="Приём пациентов терапевтического участка, диспансерное наблюдение.",
                agreed=True,
            ),
        ),
        ("skills", Skill(name="Диспансерное наблюдение", description=None)),
    ]


def seed_demo(session: Session, password: str) -> Employee:
    """Enter the demo employee; run again, it only resets the password."""
    existing = session.exec(select(Employee).where(Employee.snils == DEMO_SNILS)).first()
    if existing is not None and existing.removed_at is None:
        existing.password_hash = hash_password(password)
        session.add(existing)
        return existing
    employee = add_employee(session, DEMO, password)
    card: dict[str, Any] = PersonCardIn(
        last_name=DEMO.last_name,
        first_name=DEMO.first_name,
        patronymic=DEMO.patronymic,
        gender="2",
        birth_date=date(1988, 3, 14),
        birth_place="г. Москва",
        snils=DEMO_SNILS,
        inn="500100732259",
        citizenship="Российская Федерация",
        phone=employee.phone,
        email=employee.email,
    ).model_dump(mode="json")
    employee.card = card
    session.add(employee)
    now = utcnow()
    for collection, item in demo_portfolio(today()):
        session.add(
            PortfolioItem(
                person_id=employee.id,
                collection=collection,
                id=str(uuid.uuid4()),
                data=item.model_dump(mode="json"),
                updated_at=now,
            )
        )
    return employee

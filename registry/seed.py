"""A demo employee preloaded as ФРМР preloads one: card, education, courses, employment,
certificates and the report, so a new user's sandbox has one specialty ready to file and
one that is not yet."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from frmr.contract.protocol import (
    Certificate,
    Course,
    Education,
    Employment,
    PersonCardIn,
    Report,
    Skill,
)
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.dates import add_years
from frmr.registry.employees import NewEmployee, add_employee
from frmr.registry.passwords import hash_password
from frmr.registry.tables import Employee, PortfolioItem

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


THERAPY = "Терапия"
CARDIOLOGY = "Кардиология"

DEMO_EMPLOYMENT = Employment(
    organization=HOSPITAL,
    department="Терапевтическое отделение поликлиники",
    position="Врач-терапевт участковый",
    position_type="main",
    rate=1.0,
    begin_date=date(2014, 9, 1),
)


# Part-time in cardiology, so the Кардиология certificate has стаж in its period
# (docs/domain.md, «Стаж in the specialty»).
DEMO_CARDIOLOGY_JOB = Employment(
    organization=HOSPITAL,
    department="Кардиологическое отделение",
    position="Врач-кардиолог",
    position_type="internal_part_time",
    rate=0.25,
    begin_date=date(2021, 2, 1),
)


def demo_report(now: date) -> Report:
    """A filled report with every block, so a new user sees what one looks like."""
    return Report(
        organization=HOSPITAL,
        department="Терапевтическое отделение поликлиники",
        position="Врач-терапевт участковый",
        year=now.year,
        agreed=True,
        variant="agreed",
        organization_text=(
            "Многопрофильная городская больница на 850 коек с поликлиникой на 750 посещений "
            "в смену. Оказывает первичную медико-санитарную и специализированную помощь "
            "взрослому населению района (около 120 тысяч прикреплённых жителей)."
        ),
        department_text=(
            "Терапевтическое отделение поликлиники: 14 терапевтических участков, кабинет "
            "медицинской профилактики, дневной стационар на 20 мест.\n"
            "Задачи: приём и лечение пациентов, диспансерное наблюдение, профилактические "
            "осмотры и диспансеризация взрослого населения."
        ),
        experience_text=(
            "Стаж по специальности «Терапия» — с 2014 года, всё время в этой больнице: "
            "с 01.09.2014 врач-терапевт участковый."
        ),
        duties=(
            "Приём пациентов терапевтического участка (около 1 700 прикреплённых), "
            "посещения на дому, экспертиза временной нетрудоспособности.\n"
            "Диспансерное наблюдение пациентов с артериальной гипертензией, сахарным "
            "диабетом 2 типа, ХОБЛ; направление на специализированную помощь.\n"
            "Ведение медицинской документации в МИС, выписка льготных рецептов."
        ),
        achievements=(
            "Охват диспансерным наблюдением пациентов с артериальной гипертензией на участке "
            "вырос с 62 до 85 %. Освоены суточное мониторирование АД и спирометрия.\n"
            "Доклад на городской конференции терапевтов (2024)."
        ),
        mentoring=(
            "Наставник двух молодых участковых терапевтов (2023—2024), руководство "
            "практикой ординаторов кафедры поликлинической терапии."
        ),
        proposals=(
            "Ввести дистанционное наблюдение пациентов с артериальной гипертензией "
            "(передача измерений АД); выделить часы приёма для диспансерных пациентов."
        ),
        signer_name="Сидоров Алексей Николаевич",
        signer_position="Главный врач",
    )


def demo_portfolio(now: date) -> list[tuple[str, BaseModel]]:
    """Two specialties whose windows are open now: «Терапия» ready (74 h ДПП ПК, 76 h НМО),
    «Кардиология» 20 h of НМО short, so a new user sees both verdicts and can turn the second
    by adding an НМО course. Courses of every kind, each with its document."""
    therapy_passed = add_years(now, -4) - timedelta(days=60)
    cardio_passed = add_years(now, -4) - timedelta(days=30)

    def course(
        kind: str, specialty: str, hours: int, days_ago: int, theme: str, doc: str
    ) -> Course:
        end = now - timedelta(days=days_ago)
        return Course(
            kind=kind,
            specialty=specialty,
            institution="ФГБОУ ДПО РМАНПО Минздрава России"
            if kind in ("dpp_pk", "retraining")
            else "Портал НМО",
            theme=theme,
            hours=hours,
            begin_date=end - timedelta(days=min(hours // 8, 90)),
            end_date=end,
            doc_number=doc,
            doc_date=end,
        )

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
            "education",
            Education(
                kind="postgraduate",
                institution="ФГАОУ ВО Первый МГМУ им. И. М. Сеченова",
                doc_number="0045678",
                doc_date=date(2014, 8, 31),
                specialty=THERAPY,
                qualification="Врач-терапевт",
                graduation_year=2014,
            ),
        ),
        (
            "courses",
            course("dpp_pk", THERAPY, 74, 800, "Актуальные вопросы терапии", "772412345678"),
        ),
        ("courses", course("nmo_module", THERAPY, 36, 200, "Артериальная гипертензия", "ИОМ-1001")),
        ("courses", course("nmo_event", THERAPY, 40, 120, "Конгресс терапевтов", "НМО-2002")),
        (
            "courses",
            Course(
                kind="retraining",
                specialty=CARDIOLOGY,
                institution="ФГБОУ ДПО РМАНПО Минздрава России",
                theme="Кардиология (профессиональная переподготовка)",
                hours=576,
                begin_date=cardio_passed - timedelta(days=150),
                end_date=cardio_passed - timedelta(days=30),
                doc_number="772498765432",
                doc_date=cardio_passed - timedelta(days=30),
            ),
        ),
        (
            "courses",
            course("dpp_pk", CARDIOLOGY, 74, 500, "Неотложная кардиология", "772400054321"),
        ),
        ("courses", course("nmo_event", CARDIOLOGY, 50, 90, "Школа кардиолога", "НМО-3003")),
        (
            "certificates",
            Certificate(
                kind="accreditation",
                number="7722 031234567",
                specialty_name=THERAPY,
                pass_date=therapy_passed,
                end_date=add_years(therapy_passed, 5),
            ),
        ),
        (
            "certificates",
            Certificate(
                kind="certificate",
                number="0177 241234567",
                specialty_name=CARDIOLOGY,
                pass_date=cardio_passed,
                end_date=add_years(cardio_passed, 5),
            ),
        ),
        ("employment", DEMO_EMPLOYMENT),
        ("employment", DEMO_CARDIOLOGY_JOB),
        (
            "reports",
            demo_report(now),
        ),
        ("skills", Skill(name="Диспансерное наблюдение", description=None)),
    ]


def seed_demo(session: Session, password: str, person: NewEmployee = DEMO) -> Employee:
    """Enter the demo employee; run again, it only resets the password. `person` gives the
    same card and portfolio another СНИЛС, phone and e-mail: a second demo account."""
    existing = session.exec(select(Employee).where(Employee.snils == person.snils)).first()
    if existing is not None and existing.removed_at is None:
        existing.password_hash = hash_password(password)
        session.add(existing)
        return existing
    employee = add_employee(session, person, password)
    # The employer's entry made the employment record from today; the demo worker has been
    # there since 2014.
    for entered in session.exec(
        select(PortfolioItem).where(
            PortfolioItem.person_id == employee.id, PortfolioItem.collection == "employment"
        )
    ).all():
        entered.data = DEMO_EMPLOYMENT.model_dump(mode="json")
        session.add(entered)
    card: dict[str, Any] = PersonCardIn(
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        gender="2",
        birth_date=date(1988, 3, 14),
        birth_place="г. Москва",
        snils=person.snils,
        inn="500100732259",
        citizenship="Российская Федерация",
        phone=employee.phone,
        email=employee.email,
    ).model_dump(mode="json")
    employee.card = card
    session.add(employee)
    now = utcnow()
    for collection, item in demo_portfolio(today()):
        if item is DEMO_EMPLOYMENT:
            continue  # entered with the employee above
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

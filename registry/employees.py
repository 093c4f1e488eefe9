"""Employees as an organisation enters them: the only people who can log in."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from frmr.contract.protocol import Employment
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.snils import mask_snils, normalize_snils
from frmr.model.rules.text import check_field, check_optional
from frmr.registry.passwords import hash_password
from frmr.registry.tables import AccessToken, Employee, PortfolioItem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewEmployee:
    snils: str
    last_name: str
    first_name: str
    organization: str
    patronymic: str | None = None
    position: str | None = None
    phone: str | None = None
    email: str | None = None


class EmployeeExists(Exception):
    pass


def add_employee(session: Session, new: NewEmployee, password: str) -> Employee:
    """Enter an employee (validating the СНИЛС); re-entering a removed one restores it."""
    snils = normalize_snils(new.snils)
    phone = normalize_phone(new.phone) if new.phone else None
    email = normalize_email(new.email) if new.email else None
    # The same text rule the contract applies to PUT /me: what enters here is served there.
    last_name = check_field("person", "last_name", new.last_name, "Фамилия")
    first_name = check_field("person", "first_name", new.first_name, "Имя")
    patronymic = check_optional("person", "patronymic", new.patronymic, "Отчество")
    organization = check_field("employee", "organization", new.organization, "Организация")
    position = check_optional("employee", "position", new.position, "Должность")
    card = {
        "last_name": last_name,
        "first_name": first_name,
        "patronymic": patronymic,
        "snils": snils,
        "phone": phone,
        "email": email,
    }
    employee = session.exec(select(Employee).where(Employee.snils == snils)).first()
    if employee is not None and employee.removed_at is None:
        raise EmployeeExists(f"employee {mask_snils(snils)} already exists")
    if employee is None:
        employee = Employee(
            id=str(uuid.uuid4()),
            snils=snils,
            organization=organization,
            password_hash="",
            card_version=0,
            created_at=utcnow(),
        )
    employee.phone = phone
    employee.email = email
    employee.organization = organization
    employee.position = position
    employee.password_hash = hash_password(password)
    employee.card = card
    employee.card_version += 1
    employee.removed_at = None
    employee.removed_reason = None
    session.add(employee)
    session.flush()
    if position:
        _enter_employment(session, employee, organization, position)
    log.info("employee %s entered by %s", mask_snils(snils), organization)
    return employee


def _enter_employment(
    session: Session, employee: Employee, organization: str, position: str
) -> None:
    """The employment record an employer's entry carries (its «card»), from today, unless the
    employee already has one at this organisation and position."""
    existing = session.exec(
        select(PortfolioItem).where(
            PortfolioItem.person_id == employee.id, PortfolioItem.collection == "employment"
        )
    ).all()
    for item in existing:
        data = item.data
        if data.get("organization") == organization and data.get("position") == position:
            return
    record = Employment(
        organization=organization,
        position=position,
        position_type="main",
        rate=1.0,
        begin_date=today(),
    )
    session.add(
        PortfolioItem(
            person_id=employee.id,
            collection="employment",
            id=str(uuid.uuid4()),
            data=record.model_dump(mode="json"),
            updated_at=utcnow(),
        )
    )


def active_employees(session: Session) -> list[Employee]:
    return list(
        session.exec(
            select(Employee)
            .where(col(Employee.removed_at).is_(None))
            .order_by(col(Employee.created_at))
        ).all()
    )


def remove_employee(session: Session, snils: str, reason: str) -> Employee | None:
    """Mark the employee removed (their data stays, they can't log in); None when unknown."""
    employee = session.exec(
        select(Employee).where(
            Employee.snils == normalize_snils(snils), col(Employee.removed_at).is_(None)
        )
    ).first()
    if employee is None:
        return None
    employee.removed_at = utcnow()
    employee.removed_reason = check_field("reason", "reason", reason, "Причина")
    session.add(employee)
    session.execute(delete(AccessToken).where(col(AccessToken.person_id) == employee.id))
    log.info("employee %s removed", mask_snils(employee.snils))
    return employee

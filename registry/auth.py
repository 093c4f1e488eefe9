"""Accounts and sessions: login by СНИЛС, phone or e-mail, lockout, bearer tokens, QR login."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from frmr.contract.protocol import ErrorCode, TokenOut
from frmr.model.rules.clock import utcnow
from frmr.model.rules.contacts import normalize_email, normalize_phone
from frmr.model.rules.errors import LOGIN_REFUSED, LOGIN_REFUSED_FIX, FrmrError, login_locked
from frmr.model.rules.snils import mask_snils, normalize_snils
from frmr.registry.errors import ApiError
from frmr.registry.passwords import hash_password, verify_password
from frmr.registry.tables import AccessToken, Employee, LoginFailure, QrLogin, UnknownLoginFailure

log = logging.getLogger(__name__)

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
UNAUTHORIZED = "Требуется вход в личный кабинет: войдите заново"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _candidates(login: str) -> list[tuple[str, str]]:
    text = login.strip()
    if "@" in text:
        return [("email", _normalized(normalize_email, text))]
    return [
        ("snils", _normalized(normalize_snils, text)),
        ("phone", _normalized(normalize_phone, text)),
    ]


def find_employee(session: Session, login: str) -> Employee | None:
    """The active employee whose СНИЛС, phone or e-mail ``login`` is."""
    for field, value in _candidates(login):
        if not value:
            continue
        employee = session.exec(
            select(Employee).where(
                getattr(Employee, field) == value, col(Employee.removed_at).is_(None)
            )
        ).first()
        if employee is not None:
            return employee
    return None


def _normalized(normalize: Callable[[str], str], text: str) -> str:
    try:
        return normalize(text)
    except FrmrError:
        return ""


def issue_token(session: Session, person_id: str, ttl: timedelta) -> TokenOut:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + ttl
    session.add(
        AccessToken(token_hash=token_hash(token), person_id=person_id, expires_at=expires_at)
    )
    return TokenOut(access_token=token, expires_at=expires_at)


def _refused() -> ApiError:
    return ApiError(
        401, ErrorCode.INVALID_CREDENTIALS, LOGIN_REFUSED, details={"fix": LOGIN_REFUSED_FIX}
    )


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _subject(login_text: str) -> str:
    """One key per login however it is written (formatted or bare СНИЛС, any case of e-mail)."""
    value = next((v for _, v in _candidates(login_text) if v), login_text.strip().casefold())
    return hashlib.sha256(value.encode()).hexdigest()


def _refuse_unknown(session: Session, login_text: str, password: str, now: datetime) -> ApiError:
    """The answer a wrong password would get, after as much work: the password is checked
    against a decoy hash, the attempt counted and locked out the same way."""
    subject = _subject(login_text)
    if session.get_bind().dialect.name == "postgresql":
        # No employee row to lock: a transaction-scoped lock on the login's hash makes
        # concurrent attempts wait for each other's count, as the row lock does for a
        # registered login (without it a burst of 200 had 84 refusals before the lock, not 5,
        # which told an unknown СНИЛС apart). SQLite's BEGIN IMMEDIATE already serialises.
        key = int.from_bytes(bytes.fromhex(subject[:16]), "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    recent = _recent_failures(
        session, UnknownLoginFailure.at, UnknownLoginFailure.subject == subject, now
    )
    verify_password(password, _decoy_hash())
    session.add(UnknownLoginFailure(subject=subject, at=now))
    log.info("failed login for an unknown login (%d recent)", recent + 1)
    return _refused()


def _recent_failures(session: Session, at: Any, whose: Any, now: datetime) -> int:
    """The failures (`at` of the rows `whose` selects) of one login within the window; past
    MAX_FAILURES, locked out (429)."""
    recent = session.exec(
        select(at)
        .where(whose, at > now - FAILURE_WINDOW)
        .order_by(col(at).desc())
        .limit(MAX_FAILURES)
    ).all()
    if len(recent) >= MAX_FAILURES:
        raise _locked(recent[-1] + FAILURE_WINDOW - now)
    return len(recent)


def login(session: Session, login_text: str, password: str, ttl: timedelta) -> TokenOut:
    """A token for the right password, or one refusal whether the login is unknown or the
    password wrong (model.rules.errors.LOGIN_REFUSED says why); failures are recorded.

    Runs in a write transaction whose failure record must be committed even though the
    answer is a refusal: the caller commits before raising the ``ApiError``.
    """
    now = utcnow()
    employee = find_employee(session, login_text)
    if employee is None:
        raise _refuse_unknown(session, login_text, password, now)
    # One decision per person at a time, on every backend: the row lock makes concurrent
    # attempts (any number of workers) wait here, so each counts the failures the previous
    # ones committed. Under READ COMMITTED, a count without it lets every attempt see the
    # same few failures and check its password. SQLite's BEGIN IMMEDIATE already serialises;
    # FOR UPDATE is dropped there.
    session.exec(select(Employee.id).where(Employee.id == employee.id).with_for_update()).one()
    recent = _recent_failures(session, LoginFailure.at, LoginFailure.person_id == employee.id, now)
    if not verify_password(password, employee.password_hash):
        session.add(LoginFailure(person_id=employee.id, at=now))
        log.info("failed login for %s (%d recent)", mask_snils(employee.snils), recent + 1)
        raise _refused()
    session.execute(delete(LoginFailure).where(col(LoginFailure.person_id) == employee.id))
    log.info("login of %s", mask_snils(employee.snils))
    return issue_token(session, employee.id, ttl)


def _locked(wait: timedelta) -> ApiError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return ApiError(
        429,
        ErrorCode.LOGIN_LOCKED,
        login_locked(seconds),
        details={"retry_after": seconds},
        headers={"Retry-After": str(seconds)},
    )


def person_for_token(session: Session, token: str | None) -> str:
    """The person id a live token belongs to, or 401 (as for no token at all)."""
    row = None
    if token is not None:
        row = session.exec(
            select(AccessToken.person_id)
            .join(Employee, col(Employee.id) == col(AccessToken.person_id))
            .where(
                AccessToken.token_hash == token_hash(token),
                AccessToken.expires_at > utcnow(),
                col(Employee.removed_at).is_(None),
            )
        ).first()
    if row is None:
        raise ApiError(
            401, ErrorCode.UNAUTHORIZED, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"}
        )
    return row


def qr_code() -> str:
    """A fresh QR login code. It is typed as an argument (`frmr sandbox approve CODE`), where
    one starting with «-» would read as an option: one in 64 of token_urlsafe's do."""
    while (code := secrets.token_urlsafe(16)).startswith("-"):
        pass
    return code


def create_qr(session: Session, ttl: timedelta) -> QrLogin:
    qr = QrLogin(code=qr_code(), expires_at=utcnow() + ttl)
    session.add(qr)
    return qr


def approve_qr(session: Session, code: str, person_id: str) -> bool:
    """Approve a pending QR login for a person; False when the code is unknown or expired."""
    qr = session.get(QrLogin, code, with_for_update=True)
    if qr is None or qr.expires_at <= utcnow() or qr.token_issued:
        return False
    qr.approved_person_id = person_id
    return True


def qr_state(session: Session, code: str, ttl: timedelta) -> tuple[str, TokenOut | None]:
    """``pending``, ``expired``, or ``approved`` with a token handed out exactly once."""
    qr = session.get(QrLogin, code, with_for_update=True)
    if qr is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "Код входа не найден")
    if qr.token_issued or qr.expires_at <= utcnow():
        return "expired", None
    if qr.approved_person_id is None:
        return "pending", None
    qr.token_issued = True
    return "approved", issue_token(session, qr.approved_person_id, ttl)


def purge_expired(session: Session, now: datetime) -> None:
    session.execute(delete(AccessToken).where(col(AccessToken.expires_at) <= now))
    session.execute(delete(QrLogin).where(col(QrLogin.expires_at) <= now - timedelta(days=1)))
    session.execute(delete(LoginFailure).where(col(LoginFailure.at) <= now - FAILURE_WINDOW))
    session.execute(
        delete(UnknownLoginFailure).where(col(UnknownLoginFailure.at) <= now - FAILURE_WINDOW)
    )

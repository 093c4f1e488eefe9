"""Logging in to the registry and keeping the token for the daemon.

The TUI and `frmr login` obtain a token; the daemon only reads the token file. The file is
written 0600 through a temp file and a rename, so the daemon never reads half a token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from httpx import Response
from pydantic import ValidationError

from frmr.contract.protocol import LoginIn, Paths, QrOut, QrStatusOut, TokenOut
from frmr.model.rules.clock import utcnow
from frmr.model.rules.errors import (
    EMPLOYEE_NOT_FOUND,
    EMPLOYEE_NOT_FOUND_FIX,
    LOGIN_REFUSED,
    LOGIN_REFUSED_FIX,
    FrmrError,
    login_locked,
)
from frmr.model.rules.private import make_private_dir
from frmr.model.store.private_files import write_private
from frmr.sync.client import RegistryClient, Timeouts, rejection
from frmr.sync.errors import RegistryRejected, RegistryUnavailable

# Logging in is interactive: a person waits, so the budget is short.
LOGIN_TIMEOUTS = Timeouts(connect=3.0, read=10.0, write=10.0, pool=3.0, deadline=8.0)


class LoginFailed(FrmrError):
    """Codes: employee_not_found, invalid_credentials, login_locked (details["retry_after"]
    in seconds), qr_expired, registry_unavailable."""

    code = "login_failed"


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_at: datetime

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()


@dataclass(frozen=True)
class QrChallenge:
    code: str
    url: str
    expires_at: datetime


def _token(out: TokenOut) -> Token:
    return Token(access_token=out.access_token, expires_at=out.expires_at)


def _unavailable(error: RegistryUnavailable) -> LoginFailed:
    if type(error) is not RegistryUnavailable:
        # A refused URL, a bad certificate, an unreadable CA bundle: each says what to fix.
        return LoginFailed(
            error.user_message,
            f"login failed: {error.log_message}",
            code=error.code,
            fix=error.fix,
        )
    return LoginFailed(
        "ФРМР сейчас недоступен: проверьте подключение и повторите вход",
        f"login failed: {error.log_message}",
        code="registry_unavailable",
    )


def _refused(error: RegistryRejected) -> LoginFailed:
    if error.code == "employee_not_found":
        # Our registry no longer tells an unknown login apart (model.rules.errors.LOGIN_REFUSED);
        # one that still does is believed.
        return LoginFailed(
            EMPLOYEE_NOT_FOUND,
            "login refused: employee not found",
            code="employee_not_found",
            fix=EMPLOYEE_NOT_FOUND_FIX,
        )
    if error.code == "login_locked":
        raw = error.details.get("retry_after")
        seconds = int(raw) if isinstance(raw, int | float | str) and str(raw).isdigit() else 900
        return LoginFailed(
            login_locked(seconds),
            f"login locked for {seconds} s",
            code="login_locked",
            details={"retry_after": seconds},
        )
    if error.code in ("invalid_credentials", "unauthorized"):
        return LoginFailed(
            LOGIN_REFUSED,
            "login refused: unknown login or wrong password",
            code="invalid_credentials",
            fix=LOGIN_REFUSED_FIX,
        )
    return LoginFailed(error.user_message, f"login refused: {error.log_message}", code=error.code)


def _send(base_url: str, ca_bundle: Path | None, method: str, path: str, **send: Any) -> Response:
    """One request of logging in, on the short budget; an unreachable registry is said as
    LoginFailed."""
    try:
        with RegistryClient(base_url, ca_bundle=ca_bundle, timeouts=LOGIN_TIMEOUTS) as client:
            return client.send(method, path, **send)
    except RegistryUnavailable as error:
        raise _unavailable(error) from error


def login(base_url: str, login: str, password: str, *, ca_bundle: Path | None = None) -> Token:
    """A token for login (СНИЛС, phone or e-mail) and password, or LoginFailed saying why."""
    body = LoginIn(login=login, password=password).model_dump()
    try:
        # 401 here means wrong credentials, not an expired token: handled below.
        response = _send(base_url, ca_bundle, "POST", Paths.LOGIN, json=body, accept=(401, 429))
    except RegistryRejected as error:
        raise _refused(error) from error
    if response.status_code >= 400:
        raise _refused(rejection(response))
    return _token(TokenOut.model_validate_json(response.content))


def start_qr(base_url: str, *, ca_bundle: Path | None = None) -> QrChallenge:
    """A QR login challenge: show `url` as a QR code, then `poll_qr` until approved."""
    response = _send(base_url, ca_bundle, "POST", Paths.QR)
    out = QrOut.model_validate_json(response.content)
    return QrChallenge(code=out.code, url=out.url, expires_at=out.expires_at)


def poll_qr(base_url: str, code: str, *, ca_bundle: Path | None = None) -> Token | None:
    """The token once the QR login is approved; None while it is pending."""
    path = Paths.QR_STATUS.format(code=quote(code, safe=""))
    response = _send(base_url, ca_bundle, "GET", path, accept=(404,))
    if response.status_code == 404:
        raise LoginFailed(
            "Код входа не найден: начните вход заново", "qr code unknown", code="qr_expired"
        )
    out = QrStatusOut.model_validate_json(response.content)
    if out.state == "pending":
        return None
    if out.state == "expired" or out.token is None:
        raise LoginFailed(
            "Срок действия QR-кода истёк: начните вход заново", "qr code expired", code="qr_expired"
        )
    return _token(out.token)


def save_token(path: Path, token: Token) -> None:
    """Write the token file 0600, whole or not at all (model.store.private_files)."""
    make_private_dir(path.parent)
    data = json.dumps(
        {"access_token": token.access_token, "expires_at": token.expires_at.isoformat()}
    )
    write_private(path, data.encode())


def load_token(path: Path) -> Token | None:
    """The saved token, or None when there is none or the file is unreadable."""
    try:
        data = json.loads(path.read_text())
        return Token(
            access_token=str(data["access_token"]),
            expires_at=datetime.fromisoformat(str(data["expires_at"])),
        )
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None


def clear_token(path: Path) -> None:
    path.unlink(missing_ok=True)


def token_fingerprint(path: Path) -> tuple[int, int] | None:
    """What changes when a new token is saved (inode, mtime): the daemon waits for it."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


__all__ = [
    "LoginFailed",
    "QrChallenge",
    "Token",
    "clear_token",
    "load_token",
    "login",
    "poll_qr",
    "save_token",
    "start_qr",
    "token_fingerprint",
]

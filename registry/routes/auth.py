from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from frmr.contract.protocol import LoginIn, QrOut, QrStatusOut, TokenOut
from frmr.registry import auth
from frmr.registry.deps import ServicesDep
from frmr.registry.errors import ApiError

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(body: LoginIn, services: ServicesDep) -> TokenOut:
    refusal: ApiError | None = None
    with services.db.write() as session:
        try:
            token = auth.login(session, body.login, body.password, services.settings.token_ttl)
        except ApiError as error:
            refusal = error  # the failure record commits with the transaction
    if refusal is not None:
        raise refusal
    return token


@router.post("/qr", response_model=QrOut, status_code=201)
def create_qr(request: Request, services: ServicesDep) -> QrOut:
    with services.db.write() as session:
        qr = auth.create_qr(session, services.settings.qr_ttl)
    url = str(request.url_for("qr_status", code=qr.code))
    return QrOut(code=qr.code, url=url, expires_at=qr.expires_at)


@router.get("/qr/{code}", response_model=QrStatusOut, name="qr_status")
def qr_status(code: Annotated[str, Path(max_length=64)], services: ServicesDep) -> QrStatusOut:
    with services.db.write() as session:
        state, token = auth.qr_state(session, code, services.settings.token_ttl)
    return QrStatusOut(state=state, token=token)

"""The one error shape (``ErrorBody``) for every failure, and the handlers that produce it."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from frmr.model.errors import VALIDATION_ERROR, FrmrError, TransitionRefused
from frmr.model.masking import mask_personal_data
from frmr.sync.protocol import ErrorBody, ErrorCode

log = logging.getLogger(__name__)

NOT_FOUND_TEXT = "Не найдено"


class ApiError(Exception):
    """An answer other than success, with the Russian text the worker reads."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        details: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status_code} {code}")
        self.status_code = status_code
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers


def not_found(what: str = NOT_FOUND_TEXT) -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, what)


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, details=details or {})
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, headers=headers)


def frmr_error_status(error: FrmrError) -> int:
    return 409 if isinstance(error, TransitionRefused) else 422


def frmr_error_details(error: FrmrError) -> dict[str, object]:
    details = dict(error.details)
    if error.fix:
        details["fix"] = error.fix
    return details


_HTTP_CODES = {
    404: (ErrorCode.NOT_FOUND, NOT_FOUND_TEXT),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "Метод не поддерживается"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(FrmrError)
    async def _frmr_error(_request: Request, exc: FrmrError) -> JSONResponse:
        log.info("refused: %s", mask_personal_data(exc.log_message))
        return error_response(
            frmr_error_status(exc), exc.code, exc.user_message, frmr_error_details(exc)
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems: list[dict[str, object]] = []
        for error in exc.errors():
            problem: dict[str, object] = {
                "loc": [str(part) for part in error.get("loc", ())],
                "type": error.get("type"),
            }
            if error.get("type") == "value_error":
                # Our own validators' Russian reason (model.text's rule), not pydantic's English.
                problem["message"] = str(error.get("msg", "")).removeprefix("Value error, ")
            problems.append(problem)
        return error_response(
            422, ErrorCode.REQUEST_INVALID, VALIDATION_ERROR, {"problems": problems}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_CODES.get(exc.status_code, (ErrorCode.REQUEST_INVALID, "Ошибка"))
        return error_response(
            exc.status_code, code, message, headers=dict(exc.headers or {}) or None
        )

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unhandled %s on %s %s: %s",
            type(exc).__name__,
            request.method,
            request.url.path,
            mask_personal_data(str(exc)),
        )
        return error_response(
            500, ErrorCode.INTERNAL, "Внутренняя ошибка сервера ФРМР. Повторите попытку позже"
        )

"""The one error shape (``ErrorBody``) for every failure, and the handlers that produce it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from frmr.contract.protocol import ErrorBody, ErrorCode
from frmr.model.rules.errors import VALIDATION_ERROR, FrmrError, TransitionRefused
from frmr.model.rules.masking import mask_personal_data

log = logging.getLogger(__name__)

NOT_FOUND_TEXT = "Не найдено"
INTERNAL_TEXT = "Внутренняя ошибка сервера ФРМР. Повторите попытку позже"


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


class BodyRefused(StarletteHTTPException):
    """Raised from ``receive`` inside a route. An ``HTTPException`` so that FastAPI's body
    parsing passes it on instead of turning it into its own 400; rendered by the handler
    ``install_error_handlers`` registers, in the one error shape."""

    def __init__(self, status_code: int, code: str, message: str, details: dict[str, object]):
        super().__init__(status_code, message)
        self.code = code
        self.message = message
        self.details = details


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


# Headers the schema marks required whose absence the contract answers with its own status
# and code (RFC 6585's 428 for a missing precondition), not as a malformed request.
def precondition_required(header: str) -> ApiError:
    return ApiError(
        428,
        ErrorCode.PRECONDITION_REQUIRED,
        f"Изменение не принято: заголовок {header} не указан или указан неверно",
    )


def idempotency_key_required() -> ApiError:
    return ApiError(
        400,
        ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
        "Запрос не принят: не указан ключ идемпотентности (Idempotency-Key)",
    )


_MISSING_HEADERS: dict[str, Callable[[], ApiError]] = {
    "if-match": lambda: precondition_required("If-Match"),
    "idempotency-key": idempotency_key_required,
}


def _missing_header(exc: RequestValidationError) -> ApiError | None:
    for error in exc.errors():
        loc = error.get("loc", ())
        if error.get("type") == "missing" and len(loc) == 2 and loc[0] == "header":
            refusal = _MISSING_HEADERS.get(str(loc[1]).lower())
            if refusal is not None:
                return refusal()
    return None


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's 405 names only the first
    route whose path matched, though /me/{collection}/{id} has a PUT and a DELETE."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(BodyRefused)
    async def _body_refused(_request: Request, exc: BodyRefused) -> JSONResponse:
        log.warning("request body refused: %s %s", exc.status_code, exc.code)
        # The rest of the body is not read: the connection is closed after the answer.
        return error_response(exc.status_code, exc.code, exc.message, exc.details)

    @app.exception_handler(FrmrError)
    async def _frmr_error(_request: Request, exc: FrmrError) -> JSONResponse:
        log.info("refused: %s", mask_personal_data(exc.log_message))
        return error_response(
            frmr_error_status(exc), exc.code, exc.user_message, frmr_error_details(exc)
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        missing = _missing_header(exc)
        if missing is not None:
            return error_response(missing.status_code, missing.code, missing.message)
        problems: list[dict[str, object]] = []
        for error in exc.errors():
            problem: dict[str, object] = {
                "loc": [str(part) for part in error.get("loc", ())],
                "type": error.get("type"),
            }
            if error.get("type") == "value_error":
                # Our own validators' Russian reason (the text rule, model.rules.text), not
                # pydantic's English.
                problem["message"] = str(error.get("msg", "")).removeprefix("Value error, ")
            problems.append(problem)
        return error_response(
            422, ErrorCode.REQUEST_INVALID, VALIDATION_ERROR, {"problems": problems}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_CODES.get(exc.status_code, (ErrorCode.REQUEST_INVALID, "Ошибка"))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(exc.status_code, code, message, headers=headers or None)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unhandled %s on %s %s: %s",
            type(exc).__name__,
            request.method,
            request.url.path,
            mask_personal_data(str(exc)),
        )
        return error_response(500, ErrorCode.INTERNAL, INTERNAL_TEXT)

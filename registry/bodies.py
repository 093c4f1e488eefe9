"""Request bodies kept bounded before they are read: a size cap per route and a minimum pace.

An unauthenticated 500 MB body to the login took the registry from 214 MB to 1.6 GB before
its 422, and an upload sent at a byte every two seconds held a slot for as long as its sender
liked. Here a declared ``Content-Length`` over the route's cap is answered 413 before a byte of
the body is read, a body that grows past the cap while streamed (chunked) is cut off at the
cap, and a body that arrives slower than ``min_rate`` after ``grace`` seconds is cut off
with 408.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frmr.contract.protocol import API_PREFIX, ErrorCode, Paths
from frmr.model.rules.limits import MAX_TOTAL_BYTES, format_size
from frmr.registry.errors import BodyRefused, error_response

# A login is a СНИЛС, phone or e-mail (254 characters) and a password (256); written with
# \u escapes, six bytes a character, that is about 3 KiB. Four times that leaves room for
# whitespace and field order without letting a body hurt.
AUTH_BODY_BYTES = 16 * 1024
# The largest JSON a client sends is a person's card or an application with its portfolio:
# a few dozen records of short texts (model.rules.text's limits), tens of KiB even escaped.
JSON_BODY_BYTES = 256 * 1024
# An upload is the file itself (raw body, no multipart), at most the whole quota; the slack
# is for a client that wraps it in a multipart envelope, whose boundaries and part headers
# are well under a KiB, so that one is told the file is too large (model.rules.limits' message)
# rather than that its request is.
UPLOAD_BODY_BYTES = MAX_TOTAL_BYTES + 64 * 1024


def body_cap(path: str) -> int:
    """The most bytes of body a request to ``path`` may carry."""
    if path == Paths.DOCUMENTS:
        return UPLOAD_BODY_BYTES
    if path.startswith(API_PREFIX + "/auth/"):
        return AUTH_BODY_BYTES
    return JSON_BODY_BYTES


def too_large(cap: int, size: int | None) -> BodyRefused:
    details: dict[str, object] = {"max_bytes": cap}
    if size is not None:
        details["size"] = size
    return BodyRefused(
        413,
        ErrorCode.REQUEST_TOO_LARGE,
        f"Запрос не принят: он больше {format_size(cap)} — предела для этого адреса",
        details,
    )


def too_slow(received: int, elapsed: float, min_rate: int) -> BodyRefused:
    return BodyRefused(
        408,
        ErrorCode.REQUEST_TIMEOUT,
        "Запрос не принят: данные шли слишком медленно "
        f"(получено {format_size(received)} за {elapsed:.0f} с, нужно не меньше "
        f"{format_size(min_rate)} в секунду). Проверьте связь и отправьте снова",
        {"received": received, "seconds": round(elapsed, 1), "min_bytes_per_second": min_rate},
    )


@dataclass(frozen=True)
class Pace:
    """The slowest body accepted: any pace for ``grace`` seconds, then on average at least
    ``min_rate`` bytes a second since the request began (so a stalled body is cut off too)."""

    grace: float
    min_rate: int

    def deadline(self, start: float, received: int) -> float:
        return start + self.grace + received / self.min_rate


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyGuard:
    """ASGI middleware, outermost, so nothing reads a body before it is bounded."""

    def __init__(self, app: ASGIApp, pace: Pace) -> None:
        self.app = app
        self.pace = pace

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = body_cap(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > cap:
            refusal = too_large(cap, declared)
            response = error_response(413, refusal.code, refusal.message, refusal.details)
            await response(scope, receive, send)
            return
        start = time.monotonic()
        received = 0
        pace = self.pace

        async def bounded_receive() -> Message:
            nonlocal received
            left = pace.deadline(start, received) - time.monotonic()
            try:
                async with asyncio.timeout(max(left, 0.0)):
                    message = await receive()
            except TimeoutError:
                raise too_slow(received, time.monotonic() - start, pace.min_rate) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise too_large(cap, None)
            return message

        await self.app(scope, bounded_receive, send)

"""The HTTP client of the registry: explicit timeouts, verified TLS, bearer token, retries.

Every call goes through `RegistryClient.send`, which turns the answer into one of: the
response (success or a status the caller said it handles), `LoginRequired` (401),
`RegistryRejected` (another 4xx; not retried) or `RegistryUnavailable` (the retry budget
ran out on transport errors, 408, 429 or 5xx).
"""

from __future__ import annotations

import functools
import logging
import ssl
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError

from frmr.contract.protocol import ErrorBody
from frmr.model.rules.masking import mask_personal_data
from frmr.sync.errors import (
    CertificateRejected,
    LoginRequired,
    RegistryRejected,
    RegistryUnavailable,
)
from frmr.sync.registry_url import bundle_verification, require_safe_url
from frmr.sync.retry import RETRY_STATUSES, RetryableAnswer, retrying

log = logging.getLogger(__name__)

UPLOAD_CHUNK = 256 * 1024
USER_AGENT = "frmr-daemon/0.1"


@dataclass(frozen=True)
class Timeouts:
    """Per-phase timeouts, and `deadline`: the most one call may take, retries included."""

    connect: float = 3.0
    read: float = 15.0
    write: float = 15.0
    pool: float = 3.0
    deadline: float = 20.0

    def within(self, remaining: float) -> httpx.Timeout:
        """The phase timeouts clipped so a single attempt ends before the deadline."""
        cap = max(0.1, remaining)
        return httpx.Timeout(
            connect=min(self.connect, cap),
            read=min(self.read, cap),
            write=min(self.write, cap),
            pool=min(self.pool, cap),
        )


def tls_verification(ca_bundle: Path | None) -> ssl.SSLContext:
    """httpx's default trust (certifi's roots), or the system's plus the configured bundle
    (registry_url.bundle_verification). Verification is never turned off: there is no way
    to ask for it here."""
    return _default_verification() if ca_bundle is None else bundle_verification(ca_bundle)


@functools.cache
def _default_verification() -> ssl.SSLContext:
    """httpx's own default (certifi's roots), built once a process: building it loads the
    whole bundle, 29 ms of CPU, and a client is made for each sync cycle and each command.
    A context is made to be shared by connections and threads."""
    return httpx.create_ssl_context()


def _certificate_failure(error: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification error behind a connect error (httpx wraps httpcore's)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(UPLOAD_CHUNK):
            yield chunk


def _outcome_known(error: BaseException) -> bool:
    """Whether a failed attempt certainly did nothing on the registry (it never got there)."""
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    # The fault injector and a proxy answer 429/503 before the handler; a 500 may come after.
    return isinstance(error, RetryableAnswer) and error.response.status_code in (408, 429, 503)


def _problem_messages(details: Mapping[str, Any]) -> list[str]:
    problems = details.get("problems")
    if not isinstance(problems, list):
        return []
    return [
        str(problem["message"])
        for problem in problems
        if isinstance(problem, dict)
        and isinstance(problem.get("message"), str)
        and problem["message"]
    ]


def rejection(response: httpx.Response) -> RegistryRejected:
    """The registry's ErrorBody as an error carrying its Russian message."""
    request = response.request
    try:
        body = ErrorBody.model_validate_json(response.content)
    except ValidationError:
        body = ErrorBody(
            code=f"http_{response.status_code}",
            message=f"ФРМР отклонил запрос (код ответа {response.status_code})",
        )
    message = body.message
    if body.code == "request_invalid":
        # The contract's refusals (model.rules.text's rule among them) carry a reason per field.
        reasons = _problem_messages(body.details)
        if reasons:
            message = f"{message}: " + "; ".join(reasons)
    return RegistryRejected(
        response.status_code,
        body.code,
        message,
        mask_personal_data(
            f"{request.method} {request.url.path} -> {response.status_code} {body.code}"
        ),
        details=body.details,
    )


class RegistryClient:
    """One registry, one token; cheap to make, keeps a connection pool while open."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: Path | None = None,
        timeouts: Timeouts | None = None,
        stopping: threading.Event | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        # Before anything else: no connection is ever opened to a URL that would carry the
        # token (or, at login, the password) in clear.
        require_safe_url(base_url)
        self.timeouts = timeouts or Timeouts()
        self._stopping = stopping
        headers = {"User-Agent": USER_AGENT}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            verify=tls_verification(ca_bundle),
            timeout=self.timeouts.within(self.timeouts.deadline),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        upload: Path | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        accept: Collection[int] = (),
        probe: Callable[[], httpx.Response | None] | None = None,
    ) -> httpx.Response:
        """Send with retries; `upload` is reopened on every attempt.

        `accept` lists statuses the caller handles itself (e.g. 404, 412; 401 and 429 at
        login): they are returned, neither retried nor raised. `probe` is
        asked before resending after an attempt whose outcome is unknown (reset, read
        timeout, 5xx): when it returns a response, that is the answer and nothing is resent.
        """
        deadline = time.monotonic() + self.timeouts.deadline
        unknown_outcome = False

        def attempt() -> httpx.Response:
            nonlocal unknown_outcome
            if unknown_outcome and probe is not None:
                answer = probe()
                if answer is not None:
                    return answer
            send_headers = dict(headers or {})
            content: Iterator[bytes] | None = None
            if upload is not None:
                send_headers["Content-Length"] = str(upload.stat().st_size)
                content = _file_chunks(upload)
            try:
                response = self._http.request(
                    method,
                    path,
                    json=json,
                    content=content,
                    headers=send_headers,
                    params=params,
                    timeout=self.timeouts.within(deadline - time.monotonic()),
                )
                if response.status_code in RETRY_STATUSES and response.status_code not in accept:
                    raise RetryableAnswer(response)
            except (httpx.TransportError, RetryableAnswer) as error:
                failure = (
                    _certificate_failure(error) if isinstance(error, httpx.ConnectError) else None
                )
                if failure is not None:
                    # No retry can fix trust; it is not an outage either.
                    host = self._http.base_url.host
                    raise CertificateRejected(
                        host, mask_personal_data(f"{method} {path}: {failure.verify_message}")
                    ) from error
                unknown_outcome = unknown_outcome or not _outcome_known(error)
                log.info("%s %s failed, may retry: %s", method, path, _describe(error))
                raise
            return response

        try:
            response = retrying(self.timeouts.deadline, self._stopping)(attempt)
        except RetryableAnswer as error:
            raise RegistryUnavailable(
                f"{method} {path}: {error.response.status_code} until the retry budget ran out",
                retry_after=error.retry_after,
            ) from error
        except httpx.TransportError as error:
            raise RegistryUnavailable(f"{method} {path}: {_describe(error)}") from error
        if response.status_code == 401 and 401 not in accept:
            raise LoginRequired(f"{method} {path} answered 401")
        if response.status_code >= 400 and response.status_code not in accept:
            raise rejection(response)
        return response


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return mask_personal_data(f"{type(error).__name__}: {text}")

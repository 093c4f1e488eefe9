"""The client's retry rules against scripted answers (httpx.MockTransport)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from frmr.model.rules.clock import utcnow
from frmr.sync.auth import Token, clear_token, load_token, save_token
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.errors import LoginRequired, RegistryRejected, RegistryUnavailable


def scripted(*answers: httpx.Response | type[Exception]) -> tuple[httpx.MockTransport, list[bytes]]:
    bodies: list[bytes] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        answer = queue.pop(0)
        if isinstance(answer, type):
            raise answer("scripted", request=request)  # type: ignore[call-arg]
        return answer

    return httpx.MockTransport(handle), bodies


def client(transport: httpx.MockTransport, deadline: float = 3.0) -> RegistryClient:
    return RegistryClient(
        "https://registry.test",
        token="t",
        timeouts=Timeouts(deadline=deadline),
        transport=transport,
    )


def test_5xx_and_resets_are_retried_then_succeed() -> None:
    transport, bodies = scripted(
        httpx.Response(503), httpx.ConnectError, httpx.Response(500), httpx.Response(200, json={})
    )
    assert client(transport).send("GET", "/x").status_code == 200
    assert len(bodies) == 4


def test_retry_after_is_honoured() -> None:
    transport, _ = scripted(
        httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200, json={})
    )
    started = time.monotonic()
    client(transport).send("GET", "/x")
    assert time.monotonic() - started >= 1.0


def test_retry_after_longer_than_the_budget_gives_up_at_once() -> None:
    transport, bodies = scripted(httpx.Response(429, headers={"Retry-After": "600"}))
    with pytest.raises(RegistryUnavailable) as caught:
        client(transport).send("GET", "/x")
    assert caught.value.retry_after == 600 and len(bodies) == 1


def test_401_is_login_required_and_4xx_carries_the_registrys_message() -> None:
    transport, _ = scripted(
        httpx.Response(401),
        httpx.Response(422, json={"code": "validation_error", "message": "Ошибка валидации"}),
    )
    with pytest.raises(LoginRequired):
        client(transport).send("GET", "/x")
    with pytest.raises(RegistryRejected) as caught:
        client(transport).send("GET", "/x")
    assert caught.value.user_message == "Ошибка валидации" and caught.value.status_code == 422


def test_upload_is_reopened_on_every_attempt(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-" + b"x" * 300_000)
    transport, bodies = scripted(httpx.Response(503), httpx.Response(201, json={}))
    client(transport).send("POST", "/documents", upload=path)
    assert bodies == [path.read_bytes(), path.read_bytes()]


def test_unknown_outcome_asks_the_probe_before_resending() -> None:
    transport, bodies = scripted(httpx.ReadTimeout)
    stored = httpx.Response(200, json={"status": "under_review"})
    answer = client(transport).send("POST", "/submit", probe=lambda: stored)
    assert answer is stored and len(bodies) == 1


def test_token_file_is_private_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    token = Token("secret", utcnow())
    save_token(path, token)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_token(path) == token
    clear_token(path)
    assert load_token(path) is None

"""What can go wrong talking to the registry, as types the daemon and the CLI can tell apart."""

from __future__ import annotations

from frmr.model.errors import FrmrError


class RegistryUnavailable(FrmrError):
    """No answer we can use: connection refused or reset, timeouts, 5xx, 429 past the budget.

    The outcome of a request that creates something may be unknown; callers retry with the
    same idempotency key.
    """

    code = "registry_unavailable"

    def __init__(self, log_message: str, *, retry_after: float | None = None) -> None:
        super().__init__(
            "ФРМР сейчас недоступен: нет связи или сервер не отвечает. "
            "Отправка будет повторена автоматически",
            log_message,
        )
        self.retry_after = retry_after


class LoginRequired(FrmrError):
    """The token is missing, expired or revoked: someone has to run `frmr login`."""

    code = "login_required"

    def __init__(
        self, log_message: str = "the registry answered 401: the token is not valid"
    ) -> None:
        super().__init__(
            "Нужен вход в личный кабинет ФРМР",
            log_message,
            fix="Выполните «frmr login» — синхронизация продолжится сама",
        )


class RegistryRejected(FrmrError):
    """A 4xx answer other than 401/408/429: the request itself is refused, retrying won't help.

    Carries the registry's own Russian message (ErrorBody.message) and machine code.
    """

    def __init__(
        self,
        status_code: int,
        code: str,
        user_message: str,
        log_message: str,
        *,
        details: dict[str, object] | None = None,
    ) -> None:
        fix = details.get("fix") if details else None
        super().__init__(
            user_message,
            log_message,
            code=code,
            fix=fix if isinstance(fix, str) else None,
            details=details,
        )
        self.status_code = status_code

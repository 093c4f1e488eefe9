"""What can go wrong talking to the registry, as types the daemon and the CLI can tell apart."""

from __future__ import annotations

from frmr.model.rules.errors import FrmrError


class RegistryUnavailable(FrmrError):
    """No answer we can use: connection refused or reset, timeouts, 5xx, 429 past the budget.

    The outcome of a request that creates something may be unknown; callers retry with the
    same idempotency key.
    """

    code = "registry_unavailable"

    def __init__(
        self,
        log_message: str,
        *,
        retry_after: float | None = None,
        user_message: str = (
            "ФРМР сейчас недоступен: нет связи или сервер не отвечает. "
            "Отправка будет повторена автоматически"
        ),
        fix: str | None = None,
    ) -> None:
        super().__init__(user_message, log_message, fix=fix)
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


class InsecureRegistryUrl(RegistryUnavailable):
    """FRMR_REGISTRY_URL would send the password and the token in clear (or is no HTTP URL).

    A RegistryUnavailable, so the daemon backs off and shows it like any unreachable
    registry, but with its own message: no retry can fix a setting.
    """

    code = "insecure_registry_url"

    def __init__(self, url: str, scheme: str, host: str) -> None:
        if scheme == "http":
            why = (
                f"адрес ФРМР {host} задан через http://: пароль и токен ушли бы по сети "
                "открытым текстом, поэтому соединение не установлено"
            )
        else:
            why = f"адрес ФРМР «{url}» не является адресом https://, соединение не установлено"
        super().__init__(
            f"refused registry URL scheme={scheme!r} host={host!r}: "
            "plain HTTP is allowed only to localhost or a loopback address",
            user_message=why[0].upper() + why[1:],
            fix=(
                "Укажите в FRMR_REGISTRY_URL адрес, начинающийся с https:// "
                "(http:// допустим только для localhost и 127.0.0.1)"
            ),
        )


class CertificateRejected(RegistryUnavailable):
    """The registry's TLS certificate did not verify: a trust problem, not an outage."""

    code = "certificate_rejected"

    def __init__(self, host: str, log_message: str) -> None:
        super().__init__(
            log_message,
            user_message=(
                f"Сертификат сервера {host} не прошёл проверку: соединение не установлено, "
                "данные не отправлены"
            ),
            fix=(
                "Если это сервер ЕГИСЗ или ФРМР, укажите в FRMR_CA_BUNDLE файл с сертификатами "
                "Russian Trusted Root CA и Sub CA (Минцифры); иначе проверьте адрес "
                "FRMR_REGISTRY_URL"
            ),
        )


class CaBundleUnreadable(RegistryUnavailable):
    """FRMR_CA_BUNDLE names a file that is missing, unreadable or holds no certificate."""

    code = "ca_bundle_unreadable"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"cannot load CA bundle {path}: {reason}",
            user_message=(
                f"Не удалось прочитать файл сертификатов FRMR_CA_BUNDLE ({path}): {reason}"
            ),
            fix=(
                "Укажите в FRMR_CA_BUNDLE существующий файл PEM с сертификатами "
                "Russian Trusted Root CA и Sub CA или уберите эту настройку"
            ),
        )

"""Errors as types: each carries the Russian text a worker reads and the English text we log.

The registry's own wording is kept verbatim in the constants below, because workers search
the web for exactly these phrases and the support service answers by them.
"""

from __future__ import annotations

import math

from frmr.model.rules.russian import plural_ru

# The registry's texts, verbatim (see docs/domain.md, «Upload limits and error texts»).
VALIDATION_ERROR = "Ошибка валидации"
ORGANIZATION_MISSING = "Отсутствуют сведения об организации"
PORTFOLIO_INCONSISTENT = "Несогласованное портфолио"
EMPLOYEE_NOT_FOUND = "Сотрудник с указанным СНИЛС не найден в системе ФРМР"
# The one answer to a refused login, whether the login is unknown or the password wrong. On
# the real portal ЕСИА checks the password first, so ФРМР's «не найден» reaches only the
# person it is about; a registry that checks the password itself and said «не найден» before
# it would tell anyone which СНИЛС are registered. So both causes get one text, naming both,
# and both count towards the lockout.
LOGIN_REFUSED = (
    "Неверный логин или пароль, или сотрудник с указанным СНИЛС не найден в системе ФРМР"
)


def login_locked(seconds: int) -> str:
    """The registry's answer to a login tried too often, `seconds` before the next try."""
    minutes = max(1, math.ceil(seconds / 60))
    return (
        f"Слишком много неудачных попыток входа. Повторите через {minutes} "
        f"{plural_ru(minutes, 'минуту', 'минуты', 'минут')}"
    )


# The registry refuses a card whose СНИЛС differs from the account's; the editor says it first.
SNILS_IMMUTABLE = "СНИЛС изменить нельзя: это номер вашей учётной записи в ФРМР"

ORGANIZATION_FIX = (
    "Попросите работодателя исправить сведения об организации в ФРМР или приложите документ, "
    "где она названа (например, трудовой договор)"
)
LOGIN_REFUSED_FIX = (
    "Проверьте логин (СНИЛС, телефон или e-mail) и пароль. Если они верны, попросите отдел "
    "кадров вашей организации внести вас в ФРМР: сделать это может только организация"
)
PORTFOLIO_FIX = (
    "Если вы сейчас не работаете, укажите дату увольнения как окончание отчётного периода"
)
EMPLOYEE_NOT_FOUND_FIX = (
    "Попросите отдел кадров вашей организации внести вас в ФРМР: сделать это может только "
    "организация"
)


class FrmrError(Exception):
    """Base of every error the product reports to a person."""

    code: str = "error"

    def __init__(
        self,
        user_message: str,
        log_message: str,
        *,
        code: str | None = None,
        fix: str | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(log_message)
        self.user_message = user_message
        self.log_message = log_message
        if code is not None:
            self.code = code
        self.fix = fix
        self.details: dict[str, object] = dict(details) if details else {}

    def __str__(self) -> str:
        return self.log_message

    def user_text(self) -> str:
        """The message and, when there is one, the suggested fix, ready to show."""
        if not self.fix:
            return self.user_message
        message = self.user_message.rstrip()
        # Avoid "..!." when the message already ends a sentence.
        separator = " " if message.endswith((".", "!", "?", "…")) else ". "
        return f"{message}{separator}{self.fix}"


class FieldInvalid(FrmrError):
    """A value a person typed is wrong; `field` names the form field to highlight."""

    code = "field_invalid"
    field: str = "value"

    def __init__(
        self,
        user_message: str,
        log_message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        fix: str | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(user_message, log_message, code=code, fix=fix, details=details)
        if field is not None:
            self.field = field


class InvalidSnils(FieldInvalid):
    field = "snils"


class InvalidInn(FieldInvalid):
    field = "inn"


class InvalidPhone(FieldInvalid):
    field = "phone"


class InvalidEmail(FieldInvalid):
    field = "email"


class InvalidDate(FieldInvalid):
    field = "date"


class UploadRefused(FrmrError):
    """A file or a set of files can't be attached; the registry calls this a validation error."""

    code = "validation_error"


class EmptyFile(UploadRefused):
    pass


class UnsupportedFileType(UploadRefused):
    pass


class UploadLimitExceeded(UploadRefused):
    pass


class SparseFile(UploadRefused):
    """Its length is mostly holes: refused before it is copied."""


class SourceTooLarge(UploadRefused):
    """Too large to be read at all, even to be packed: refused before it is copied."""


class PackInputUnreadable(UploadRefused):
    """A file given to the packer is not an image or PDF it can read (damaged, locked)."""

    code = "pack_input_unreadable"


class PackDoesNotFit(UploadLimitExceeded):
    """Even at the legibility floor the packed document stays over its byte budget."""

    code = "pack_does_not_fit"


class TransitionRefused(FrmrError):
    """An application can't move between these two statuses."""

    code = "transition_refused"

    def __init__(
        self,
        user_message: str,
        log_message: str,
        *,
        from_status: str,
        to_status: str,
        code: str | None = None,
        fix: str | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        merged: dict[str, object] = {"from_status": str(from_status), "to_status": str(to_status)}
        merged.update(details or {})
        super().__init__(user_message, log_message, code=code, fix=fix, details=merged)
        self.from_status = from_status
        self.to_status = to_status


class AttachmentsFrozen(FrmrError):
    """An application's set of documents no longer changes (statuses.check_attachments_open)."""

    code = "application_not_editable"


class NotFound(FrmrError):
    code = "not_found"


class StoreError(FrmrError):
    code = "store_error"


class StoreTooNew(StoreError):
    """The database was written by a newer frmr; opening it could lose data."""

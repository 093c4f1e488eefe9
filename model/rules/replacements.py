"""How a replaced attachment is told: the outcome of a changed file and its one-line story."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from frmr.model.rules.limits import format_size


class ReplacementOutcome(StrEnum):
    # The new version is attached in the old one's place.
    REPLACED = "replaced"
    # The new version was refused (it is in rejected/ with its reason): the old one stays.
    KEPT = "kept"


class ReplacementLike(Protocol):
    """A history row as the read model gives it (model.store.reads.intake.Replacement), which
    these pure rules may not import."""

    @property
    def file_name(self) -> str: ...
    @property
    def outcome(self) -> ReplacementOutcome: ...
    @property
    def old_sha256(self) -> str: ...
    @property
    def old_size(self) -> int: ...
    @property
    def new_sha256(self) -> str | None: ...
    @property
    def new_size(self) -> int | None: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def at(self) -> datetime: ...


def describe(row: ReplacementLike) -> str:
    """One history row as the doctor reads it (the Заявления screen, «frmr apps show»)."""
    old = f"{format_size(row.old_size)}, {row.old_sha256[:8]}"
    if row.outcome is ReplacementOutcome.REPLACED:
        new = f"{format_size(row.new_size or 0)}, {(row.new_sha256 or '')[:8]}"
        return f"«{row.file_name}» изменился: прежняя версия ({old}) заменена новой ({new})"
    size = f" ({format_size(row.new_size)})" if row.new_size is not None else ""
    return (
        f"«{row.file_name}» изменился, но новая версия{size} не принята: {row.reason}. "
        f"Приложенной осталась прежняя ({old})"
    )

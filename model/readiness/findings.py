"""A finding: what is wrong or worth knowing, how bad, what to do, and who must do it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "Препятствует подаче" if self is Severity.BLOCKING else "Предупреждение"


class Who(StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"
    SUPPORT = "support"
    CENTRE = "centre"

    @property
    def label(self) -> str:
        return {
            Who.WORKER: "вы",
            Who.EMPLOYER: "отдел кадров работодателя (в ФРМР)",
            Who.SUPPORT: "поддержка ЕГИСЗ",
            Who.CENTRE: "аккредитационный центр",
        }[self]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str  # the portal's own wording where it has one
    detail: str
    fix: str
    who: Who
    rule: str  # the id of the rule in rules.json
    source: str  # that rule's first source, cited

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "detail": self.detail,
            "fix": self.fix,
            "who": self.who.value,
            "who_label": self.who.label,
            "rule": self.rule,
            "source": self.source,
        }

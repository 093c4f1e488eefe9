"""A finding: what is wrong or worth knowing, how bad, what to do, and who must do it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from frmr.model.rules.labelled import LabelledEnum


class Severity(LabelledEnum):
    BLOCKING = "blocking", "Препятствует подаче"
    # An оговорка: nothing the sources make a condition, but something the commission may
    # weigh or the tool cannot check; the verdict is then «Готово с оговорками».
    WARNING = "warning", "Оговорка"


class Verdict(LabelledEnum):
    """One definition of the outcome, read by F8, `frmr readiness`, the form check and the
    registry's review alike (docs/domain.md, «One verdict, three outcomes»)."""

    READY = "ready", "Готово"
    READY_WITH_CAVEATS = "ready_with_caveats", "Готово с оговорками"
    NOT_READY = "not_ready", "Не готово"

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Verdict:
        if any(f.blocking for f in findings):
            return cls.NOT_READY
        return cls.READY_WITH_CAVEATS if findings else cls.READY


class Who(LabelledEnum):
    WORKER = "worker", "вы"
    EMPLOYER = "employer", "отдел кадров работодателя (в ФРМР)"
    SUPPORT = "support", "поддержка ЕГИСЗ"
    CENTRE = "centre", "аккредитационный центр"


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
        return {**asdict(self), "who_label": self.who.label}

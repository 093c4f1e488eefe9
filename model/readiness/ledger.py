"""The hours ledger of one specialty and reporting period: what counts, what does not and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from frmr.model.portfolio.reporting_period import ReportingPeriod
from frmr.model.readiness.facts import CourseRecord
from frmr.model.readiness.kinds import fold_specialty
from frmr.model.readiness.rules import RuleSet

PK = "pk"
NMO = "nmo"


@dataclass(frozen=True)
class LedgerEntry:
    course: CourseRecord
    bucket: str | None  # PK, NMO, or None when it does not count
    reason: str | None  # why it does not count
    rule: str | None  # the rule that excludes it

    def as_json(self) -> dict[str, Any]:
        c = self.course
        return {
            "id": c.id,
            "theme": c.theme,
            "kind": c.kind.value,
            "kind_label": c.kind.label,
            "specialty": c.specialty,
            "hours": c.hours,
            "completed": c.completed_on.isoformat() if c.completed_on else None,
            "counts": self.bucket is not None,
            "bucket": self.bucket,
            "reason": self.reason,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class HoursLedger:
    entries: tuple[LedgerEntry, ...]
    need_total: int
    need_pk: int

    def _sum(self, bucket: str) -> int:
        return sum(e.course.hours for e in self.entries if e.bucket == bucket)

    @property
    def pk(self) -> int:
        return self._sum(PK)

    @property
    def nmo(self) -> int:
        return self._sum(NMO)

    @property
    def total(self) -> int:
        return self.pk + self.nmo

    @property
    def need_nmo(self) -> int:
        return self.need_total - self.need_pk

    @property
    def missing_pk(self) -> int:
        return max(0, self.need_pk - self.pk)

    @property
    def nmo_target(self) -> int:
        """The НМО hours this portfolio needs: the rule's share (`need_nmo`) less the ПК hours
        held above their minimum, which count toward the total too (never the reverse). A bar
        drawn against `need_nmo` would show «50/72» beside «не хватает 20»."""
        return max(0, self.need_total - max(self.pk, self.need_pk))

    @property
    def missing_nmo(self) -> int:
        return max(0, self.nmo_target - self.nmo)

    @property
    def missing(self) -> int:
        return self.missing_pk + self.missing_nmo

    @property
    def excluded(self) -> list[LedgerEntry]:
        return [e for e in self.entries if e.bucket is None]

    def pace_per_month(self, today: date, deadline: date | None) -> float | None:
        """Hours a month needed to close the gap by the deadline; None when nothing is missing
        or no time is left."""
        if self.missing == 0 or deadline is None or deadline <= today:
            return None
        months = (deadline - today).days / 30.4375
        return round(self.missing / max(months, 1 / 30.4375), 1)

    def as_json(self, today: date, deadline: date | None) -> dict[str, Any]:
        return {
            "total": self.total,
            "pk": self.pk,
            "nmo": self.nmo,
            "need_total": self.need_total,
            "need_pk": self.need_pk,
            "need_nmo": self.need_nmo,
            "nmo_target": self.nmo_target,
            "missing_total": self.missing,
            "missing_pk": self.missing_pk,
            "missing_nmo": self.missing_nmo,
            "pace_hours_per_month": self.pace_per_month(today, deadline),
            "courses": [e.as_json() for e in self.entries],
        }


def _entry(course: CourseRecord, specialty: str, period: ReportingPeriod) -> LedgerEntry:
    def out(reason: str, rule: str) -> LedgerEntry:
        return LedgerEntry(course, None, reason, rule)

    if course.kind.needs_clarifying:
        return out("вид не уточнён: ДПП ПК, переподготовка или НМО", "nmo_kinds")
    if not course.kind.is_pk and not course.kind.is_nmo:
        return out("переподготовка не входит в часы периодической аккредитации", "retraining")
    if not (course.specialty or "").strip():
        return out("не указана специальность, по которой пройдено обучение", "specialty_match")
    if fold_specialty(course.specialty) != fold_specialty(specialty):
        return out(f"по другой специальности («{course.specialty}»)", "specialty_match")
    done = course.completed_on
    if done is None or not period.contains(done):
        return out(f"вне отчётного периода {period}", "period_start")
    if not (course.doc_number or "").strip():
        return out("нет номера документа об обучении", "document_required")
    return LedgerEntry(course, PK if course.kind.is_pk else NMO, None, None)


def hours_ledger(
    courses: Iterable[CourseRecord], specialty: str, period: ReportingPeriod, rules: RuleSet
) -> HoursLedger:
    entries = tuple(
        sorted(
            (_entry(c, specialty, period) for c in courses),
            key=lambda e: (e.course.completed_on or date.min, e.course.theme),
        )
    )
    return HoursLedger(entries, rules.hours_total, rules.hours_pk_min)

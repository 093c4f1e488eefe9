"""Стаж in the specialty: the days of the reporting period worked in a position that counts.

The commission reads the work experience of the period against the specialty (rules.json
«position_match»): a position gives стаж in the specialties its qualification requirements
name (positions.json, with its sources and how far they were verified). Jobs held at the same
time — main and part-time — count each day once. A specialty the data does not know (one of
a reference book the user loaded) is not compared, and the verdict says so. The rule and
its sources: docs/domain.md, «Стаж in the specialty».
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from frmr.model.portfolio.reporting_period import ReportingPeriod
from frmr.model.readiness.facts import JobRecord
from frmr.model.readiness.kinds import fold_specialty

_DASHES = re.compile(r"\s*[-–—]\s*")


def _fold_position(name: str) -> str:
    """Case, «ё», spacing and dash style do not matter: 205н writes «Врач - клинический
    фармаколог» and «Заведующий … — врач-кардиолог», HR systems write them every way."""
    return _DASHES.sub("-", fold_specialty(name))


@dataclass(frozen=True)
class PositionMap:
    # (folded specialty, level) → positions, in the order the data lists them.
    by_level: dict[tuple[str, str], tuple[str, ...]]
    # (folded specialty, level) whose list was checked against the order's own table.
    verified: frozenset[tuple[str, str]] = frozenset()

    def is_verified(self, specialty: str, level: str | None = None) -> bool:
        """Whether every list `positions` answers from was checked against its order."""
        name = fold_specialty(specialty)
        keys = [k for k in self.by_level if k[0] == name and level in (None, k[1])]
        return bool(keys) and all(k in self.verified for k in keys)

    def positions(self, specialty: str, level: str | None = None) -> tuple[str, ...]:
        """The positions that count; for a name at both levels without one given, both
        levels' positions (the verdict cannot tell which document the worker holds)."""
        name = fold_specialty(specialty)
        if level is not None:
            return self.by_level.get((name, level), ())
        seen: dict[str, None] = {}
        for (n, _lvl), positions in self.by_level.items():
            if n == name:
                seen.update(dict.fromkeys(positions))
        return tuple(seen)


@cache
def position_map() -> PositionMap:
    raw = json.loads(Path(__file__).with_name("positions.json").read_text("utf-8"))
    return PositionMap(
        {
            (fold_specialty(e["name"]), e["level"]): tuple(e["positions"])
            for e in raw["specialties"]
        },
        frozenset(
            (fold_specialty(e["name"]), e["level"]) for e in raw["specialties"] if e["verified"]
        ),
    )


# What a card says beside a стаж verdict whose list of positions was not checked against the
# order's table (docs/domain.md, «Стаж in the specialty»).
UNVERIFIED_NOTE = "список должностей — наше прочтение 205н/206н/83н, с таблицами приказов не сверен"


def counts_for(position: str, allowed: Sequence[str]) -> bool:
    """The position is one of `allowed`, or a head's position ending in one of them."""
    mine = _fold_position(position)
    return any(mine == (a := _fold_position(p)) or mine.endswith("-" + a) for p in allowed)


@dataclass(frozen=True)
class PositionCheck:
    # The positions held on some day of the period, in the order of the records.
    held: tuple[str, ...]
    # The positions that count for the specialty; None when the data has none for it.
    allowed: tuple[str, ...] | None
    # Days of the period worked in a position that counts, each day once.
    days: int = 0
    # The last day worked in a position that counts (today while such a job goes on).
    last_day: date | None = None
    # Whether `allowed` was checked against the order's table; a verdict resting on a list
    # that was not says so (positions.json marks each list).
    verified: bool = False

    @property
    def compared(self) -> bool:
        return self.allowed is not None

    @property
    def matches(self) -> bool | None:
        """Whether the period holds стаж in the specialty; None when it cannot be compared."""
        return None if self.allowed is None else self.days > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "held": list(self.held),
            "allowed": None if self.allowed is None else list(self.allowed),
            "compared": self.compared,
            "matches": self.matches,
            "days": self.days,
            "last_day": None if self.last_day is None else self.last_day.isoformat(),
            "list_verified": self.verified,
        }


def _union_days(spans: list[tuple[date, date]]) -> int:
    total, reach = 0, None
    for begin, end in sorted(spans):
        if reach is not None and begin <= reach:
            begin = reach + timedelta(days=1)
        if end >= begin:
            total += (end - begin).days + 1
        reach = end if reach is None else max(reach, end)
    return total


def position_check(
    jobs: Sequence[JobRecord],
    specialty: str,
    period: ReportingPeriod | None,
    today: date,
    level: str | None = None,
) -> PositionCheck:
    known = position_map().positions(specialty, level)
    allowed = known or None
    held: list[str] = []
    spans: list[tuple[date, date]] = []
    last: date | None = None
    for job in jobs:
        name = job.position.strip()
        if job.begin is None or job.begin > today or not name:
            continue
        end = today if job.end is None or job.end > today else job.end
        counts = allowed is not None and counts_for(name, allowed)
        if counts:
            last = end if last is None else max(last, end)
        if period is None or not period.overlaps(job.begin, job.end):
            continue
        if name not in held:
            held.append(name)
        if counts:
            spans.append((max(job.begin, period.start), min(end, period.end)))
    verified = allowed is not None and position_map().is_verified(specialty, level)
    return PositionCheck(tuple(held), allowed, _union_days(spans), last, verified)

"""Whether the positions held in the reporting period give стаж in the specialty accredited.

The commission reads the work experience of the period against the specialty (rules.json
«position_match»). The bundled mapping (positions.json) covers only the sandbox's specialties;
for any other the comparison is not made, and the result says so instead of passing it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from frmr.model.readiness.facts import JobRecord
from frmr.model.readiness.kinds import fold_specialty
from frmr.model.reporting_period import ReportingPeriod

_DASHES = re.compile(r"\s*[-–—]\s+|\s+[-–—]\s*")


def _fold_position(name: str) -> str:
    """Case, «ё», spacing and the dash style of «Заведующий … — врач-…» do not matter."""
    return _DASHES.sub(" - ", fold_specialty(name))


@cache
def bundled_positions() -> dict[str, tuple[str, ...]]:
    """Specialty (folded) → the positions that count for it, as written in positions.json."""
    text = Path(__file__).with_name("positions.json").read_text("utf-8")
    raw = json.loads(text)["specialties"]
    return {fold_specialty(name): tuple(positions) for name, positions in raw.items()}


def counts_for(position: str, allowed: Sequence[str]) -> bool:
    """The position is one of `allowed`, or a head's position ending in one of them."""
    mine = _fold_position(position)
    return any(mine == (a := _fold_position(p)) or mine.endswith(" - " + a) for p in allowed)


@dataclass(frozen=True)
class PositionCheck:
    # The positions held on some day of the period, in the order of the records.
    held: tuple[str, ...]
    # The positions that count for the specialty; None when the bundled mapping has none.
    allowed: tuple[str, ...] | None

    @property
    def compared(self) -> bool:
        return self.allowed is not None and bool(self.held)

    @property
    def matches(self) -> bool | None:
        """True or False once compared; None when the specialty is outside the mapping."""
        if not self.compared or self.allowed is None:
            return None
        allowed = self.allowed
        return any(counts_for(p, allowed) for p in self.held)

    def as_json(self) -> dict[str, Any]:
        return {
            "held": list(self.held),
            "allowed": None if self.allowed is None else list(self.allowed),
            "compared": self.compared,
            "matches": self.matches,
        }


def position_check(
    jobs: Sequence[JobRecord], specialty: str, period: ReportingPeriod
) -> PositionCheck:
    held: list[str] = []
    for job in jobs:
        if job.begin is None or not job.position.strip():
            continue
        if period.overlaps(job.begin, job.end) and job.position.strip() not in held:
            held.append(job.position.strip())
    return PositionCheck(tuple(held), bundled_positions().get(fold_specialty(specialty)))

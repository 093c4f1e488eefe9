"""The kinds of education activity a portfolio lists, and how each counts toward the hours."""

from __future__ import annotations

from collections.abc import Iterable

from frmr.model.rules.labelled import LabelledEnum


class CourseKind(LabelledEnum):
    DPP_PK = "dpp_pk", "ДПП ПК (повышение квалификации)"
    RETRAINING = "retraining", "Профессиональная переподготовка"
    NMO_MODULE = "nmo_module", "НМО: интерактивный модуль"
    NMO_EVENT = "nmo_event", "НМО: образовательное мероприятие"
    # Stores made before migration 0005 knew only these two; the split is not guessed from
    # them: each such row asks the worker for its kind and counts only once it is given.
    FURTHER_TRAINING = "further_training", "Повышение квалификации (уточните вид)"
    NMO = "nmo", "НМО (уточните вид)"

    @property
    def is_pk(self) -> bool:
        return self is CourseKind.DPP_PK

    @property
    def is_nmo(self) -> bool:
        return self in (CourseKind.NMO_MODULE, CourseKind.NMO_EVENT)

    @property
    def needs_clarifying(self) -> bool:
        return self in LEGACY_KINDS

    @classmethod
    def selectable(cls) -> tuple[CourseKind, ...]:
        """What a form offers: the legacy kinds are only ever replaced, never chosen."""
        return tuple(k for k in cls if k not in LEGACY_KINDS)


LEGACY_KINDS = frozenset({CourseKind.FURTHER_TRAINING, CourseKind.NMO})


def fold_specialty(name: str | None) -> str:
    """Specialty names compare ignoring case, «ё» and spacing."""
    return " ".join((name or "").casefold().replace("ё", "е").split())


def distinct_specialties(names: Iterable[str | None]) -> list[str]:
    """Each specialty named once (fold_specialty), as it was first written."""
    seen: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            seen.setdefault(fold_specialty(name), name.strip())
    return list(seen.values())

"""The level of education an application names; it follows from the specialty by default."""

from __future__ import annotations

from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.labelled import LabelledEnum


class EducationLevel(LabelledEnum):
    HIGHER = "higher", "Высшее образование"
    SECONDARY = "secondary", "Среднее профессиональное образование"


def parse_education_level(text: str) -> EducationLevel:
    folded = text.strip().casefold()
    for level in EducationLevel:
        if folded in {level.value, level.label.casefold()} or (
            folded and level.label.casefold().startswith(folded)
        ):
            return level
    raise FieldInvalid(
        "Уровень образования: «Высшее» или «Среднее профессиональное»",
        f"unknown education level {text!r}",
        field="education_level",
    )

"""The level of education an application names; it follows from the specialty by default."""

from __future__ import annotations

from enum import StrEnum

from frmr.model.rules.errors import FieldInvalid


class EducationLevel(StrEnum):
    HIGHER = "higher"
    SECONDARY = "secondary"

    @property
    def label(self) -> str:
        return {
            "higher": "Высшее образование",
            "secondary": "Среднее профессиональное образование",
        }[self.value]


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

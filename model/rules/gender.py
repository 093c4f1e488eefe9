"""Gender as the FRMR integration API codes it (1 male, 2 female; docs/domain.md «The profile»).

Its own module, free of SQLModel, so the card can be read and shown without the ORM.
"""

from __future__ import annotations

from enum import StrEnum


class Gender(StrEnum):
    MALE = "1"
    FEMALE = "2"

    @property
    def label(self) -> str:
        return "мужской" if self is Gender.MALE else "женский"

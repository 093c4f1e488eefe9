"""Gender as the FRMR integration API codes it (1 male, 2 female; docs/domain.md «The profile»).

Its own module, free of SQLModel, so the card can be read and shown without the ORM.
"""

from __future__ import annotations

from frmr.model.rules.labelled import LabelledEnum


class Gender(LabelledEnum):
    MALE = "1", "мужской"
    FEMALE = "2", "женский"

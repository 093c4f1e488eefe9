"""An enum whose members carry the Russian label a person reads beside the stored value.

Each member is written `NAME = "value", "Подпись"`: the value and its label stand on one line,
so a new member can't be added without its label, as a separate label table allowed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    _label: str

    # `label` defaults only so type checkers accept the lookup call `Kind("value")`; Enum
    # calls __new__ with both parts while it builds the class, and never afterwards.
    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

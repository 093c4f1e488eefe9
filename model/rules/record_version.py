"""Compare-and-swap on a record's version: a save names the version it was read at, and is
refused when the record has moved on since, instead of silently writing over what another
process (the CLI, a second TUI, the daemon) saved meanwhile.

The registry applies the same rule to its copy (`If-Match` on the wire, 412 when stale, see
contract.protocol); this module is the rule for the local store, and the one both faces (TUI and
CLI) use.
"""

from __future__ import annotations

from collections.abc import Mapping

from frmr.model.rules.errors import FrmrError

RECORD_CHANGED = "Запись изменилась, пока вы её редактировали"

# The version of a record that does not exist yet: a save that read nothing expects nothing.
ABSENT = 0


class RecordChanged(FrmrError):
    """The record's version is not the one the edit was based on. Carries the current version
    and the stored values, so the person can reload or keep their own value field by field."""

    code = "record_changed"

    def __init__(self, expected: int, current: int, stored: Mapping[str, object]) -> None:
        super().__init__(
            RECORD_CHANGED,
            f"record changed while edited: read at version {expected}, now {current}",
            fix="перечитайте запись или сохраните свои значения поверх новых",
            details={"expected_version": expected, "current_version": current},
        )
        self.expected = expected
        self.current = current
        self.stored = dict(stored)


def is_stale(expected: int | None, current: int) -> bool:
    """Whether a save based on `expected` would overwrite a newer record (None: no check)."""
    return expected is not None and expected != current

"""The screen the doctor left, so the next start opens on it (not always on Заявления)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from frmr.model.store.private_files import write_private

FILE_NAME = "tui-state.json"


def read_last_mode(home: Path) -> str | None:
    with contextlib.suppress(OSError, ValueError):
        mode = json.loads((home / FILE_NAME).read_text(encoding="utf-8")).get("mode")
        return mode if isinstance(mode, str) else None
    return None


def write_last_mode(home: Path, mode: str) -> None:
    """Written whole and renamed into place: a crash never leaves half a file."""
    with contextlib.suppress(OSError):
        write_private(home / FILE_NAME, json.dumps({"mode": mode}).encode())

"""The screen the doctor left, so the next start opens on it (not always on Заявления)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

FILE_NAME = "tui-state.json"


def read_last_mode(home: Path) -> str | None:
    with contextlib.suppress(OSError, ValueError):
        mode = json.loads((home / FILE_NAME).read_text(encoding="utf-8")).get("mode")
        return mode if isinstance(mode, str) else None
    return None


def write_last_mode(home: Path, mode: str) -> None:
    """Written whole and renamed into place: a crash never leaves half a file."""
    path = home / FILE_NAME
    tmp = path.with_suffix(".tmp")
    with contextlib.suppress(OSError):
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"mode": mode}, f)
        os.replace(tmp, path)

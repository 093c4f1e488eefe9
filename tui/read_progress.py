"""How the TUI words the daemon's reading of dropped documents: the header and F6's line.

The daemon's `status` carries `reading` (the file, page, pages and a ready message, or
None) and `read_queued` (documents waiting); each `reading_progress` event makes the app
ask for the status again. Nothing here imports the model or textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frmr.daemon.protocol import DaemonStatus


def header_text(status: DaemonStatus | None) -> str | None:
    """«чтение 1/2» for the header's daemon part, or None when nothing is being read."""
    reading = status.reading if status is not None else None
    if reading is None:
        return None
    return f"чтение {reading.page}/{reading.pages}"


def line(status: DaemonStatus | None) -> str | None:
    """«Чтение: скан.jpg, стр. 1 из 2 (ещё ждут: 3)» for F6, or None."""
    if status is None:
        return None
    queued = status.read_queued
    if status.reading is None:
        return f"Ожидают чтения: {queued}" if queued else None
    text = status.reading.message
    return f"{text} (ещё ждут: {queued - 1})" if queued > 1 else text

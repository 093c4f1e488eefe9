"""How the TUI words the daemon's packing: the header's short form, F6's and the details' line.

The daemon's `status` answer carries `packing` (the file, page, pages and a ready message,
or None) and `pack_queued` (files waiting); each `pack_progress` event makes the app ask
for the status again. Nothing here imports the model or textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frmr.daemon.protocol import DaemonStatus


def header_text(status: DaemonStatus | None) -> str | None:
    """«сжатие 3/12» for the header's daemon part, or None when nothing is being packed."""
    packing = status.packing if status is not None else None
    if packing is None:
        return None
    return f"сжатие {packing.page}/{packing.pages}"


def line(status: DaemonStatus | None) -> str | None:
    """«Сжатие: скан.pdf, стр. 3 из 12 (ещё ждут: 2)» for F6, or None."""
    if status is None:
        return None
    queued = status.pack_queued
    if status.packing is None:
        return f"Ожидают сжатия: {queued}" if queued else None
    # The file being packed is one of the queued ones.
    text = status.packing.message
    return f"{text} (ещё ждут: {queued - 1})" if queued > 1 else text


def for_application(
    status: DaemonStatus | None, application_id: str, waiting: list[str]
) -> str | None:
    """The application's own line: its packing under way, or its files waiting."""
    packing = status.packing if status is not None else None
    if packing is not None and packing.application_id == application_id:
        return packing.message
    if waiting:
        return "Ожидают сжатия: " + ", ".join(waiting)
    return None

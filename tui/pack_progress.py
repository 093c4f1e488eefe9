"""How the TUI words the daemon's packing: the header's short form, F6's and the details' line.

The daemon's `status` answer carries `packing` (the file, page, pages and a ready message,
or None) and `pack_queued` (files waiting); a `pack_progress` event carries the same fields
between two polls. Nothing here imports the model or textual.
"""

from __future__ import annotations

from typing import Any


def current(status: dict[str, Any] | None) -> dict[str, Any] | None:
    """The packing under way from a status answer, or None."""
    packing = (status or {}).get("packing")
    return packing if isinstance(packing, dict) else None


def header_text(status: dict[str, Any] | None) -> str | None:
    """«сжатие 3/12» for the header's daemon part, or None when nothing is being packed."""
    packing = current(status)
    if packing is None:
        return None
    return f"сжатие {packing.get('page', 0)}/{packing.get('pages', '?')}"


def line(status: dict[str, Any] | None) -> str | None:
    """«Сжатие: скан.pdf, стр. 3 из 12 (ещё ждут: 2)» for F6, or None."""
    packing = current(status)
    queued = int((status or {}).get("pack_queued") or 0)
    if packing is None:
        return f"Ожидают сжатия: {queued}" if queued else None
    text = str(packing.get("message") or "Сжатие")
    # The file being packed is one of the queued ones.
    return f"{text} (ещё ждут: {queued - 1})" if queued > 1 else text


def for_application(
    status: dict[str, Any] | None, application_id: str, waiting: list[str]
) -> str | None:
    """The application's own line: its packing under way, or its files waiting."""
    packing = current(status)
    if packing is not None and packing.get("application_id") == application_id:
        return str(packing.get("message") or "Сжатие")
    if waiting:
        return "Ожидают сжатия: " + ", ".join(waiting)
    return None

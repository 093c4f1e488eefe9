"""How the TUI words the daemon's work on files: packing attachments and reading dropped
documents, for the header's short form, F6's lines and an application's details.

The daemon's `status` answer carries `packing` and `reading` (the file, page, pages and a
ready message, or None) with `pack_queued` and `read_queued` (files waiting); each
`pack_progress` or `reading_progress` event makes the app ask for the status again. Nothing
here imports the model or textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frmr.daemon.protocol import DaemonStatus, PackingProgress, ReadingProgress


def _work(
    status: DaemonStatus,
) -> list[tuple[PackingProgress | ReadingProgress | None, int, str, str]]:
    """Packing, then reading: what is under way, how many files wait, and their words."""
    return [
        (status.packing, status.pack_queued, "сжатие", "Ожидают сжатия"),
        (status.reading, status.read_queued, "чтение", "Ожидают чтения"),
    ]


def header_text(status: DaemonStatus | None) -> str | None:
    """«сжатие 3/12» (or «чтение 1/2») for the header's daemon part; None when idle."""
    if status is None:
        return None
    for progress, _queued, word, _waiting in _work(status):
        if progress is not None:
            return f"{word} {progress.page}/{progress.pages}"
    return None


def lines(status: DaemonStatus | None) -> list[str]:
    """«Сжатие: скан.pdf, стр. 3 из 12 (ещё ждут: 2)», then the reading's, for F6."""
    found: list[str] = []
    for progress, queued, _word, waiting in _work(status) if status is not None else []:
        if progress is None:
            if queued:
                found.append(f"{waiting}: {queued}")
        else:
            # The file at work is one of the queued ones.
            text = progress.message
            found.append(f"{text} (ещё ждут: {queued - 1})" if queued > 1 else text)
    return found


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

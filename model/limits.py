"""The registry's upload limits, one definition for the client, the daemon and the registry."""

from __future__ import annotations

from collections.abc import Sequence

from frmr.model.errors import (
    VALIDATION_ERROR,
    VALIDATION_FIX,
    EmptyFile,
    UnsupportedFileType,
    UploadLimitExceeded,
)
from frmr.model.filetypes import FileKind, sniff
from frmr.model.masking import mask_personal_data
from frmr.model.text import check_file_name

MAX_FILES = 5
# Decision (docs/domain.md, limits): "10 МБ" is read as 10 MiB, so both sides agree to the byte.
MAX_TOTAL_BYTES = 10 * 1024 * 1024

_UNITS = (("ГБ", 1024**3), ("МБ", 1024**2), ("КБ", 1024))


def format_size(n: int) -> str:
    """A size the Russian way: ``17 Б``, ``512 КБ``, ``9,8 МБ`` (binary units, decimal comma)."""
    if n < 0:
        raise ValueError("size can't be negative")
    for unit, scale in _UNITS:
        if n >= scale:
            text = f"{n / scale:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{n} Б"


def _exact_size(n: int) -> str:
    # Rounding can print an over-limit total as "10 МБ"; then the bytes say why it failed.
    shown = format_size(n)
    if n > MAX_TOTAL_BYTES and shown == format_size(MAX_TOTAL_BYTES):
        return f"{n:,} байт".replace(",", " ")
    return shown


def quota_text(count: int, total: int) -> str:
    """``файлов 3/5, 4,2 МБ из 10 МБ``."""
    return f"файлов {count}/{MAX_FILES}, {format_size(total)} из {format_size(MAX_TOTAL_BYTES)}"


def check_file(size: int, head: bytes, name: str) -> FileKind:
    """The file's kind, or the reason it can't be attached at all."""
    check_file_name(name)
    if size == 0:
        raise EmptyFile(
            f"Файл «{name}» пустой",
            f"file {mask_personal_data(name)!r} is empty",
            fix="Проверьте, что файл сохранился полностью, и добавьте его снова",
            details={"name": name},
        )
    kind = sniff(head)
    if kind is None:
        raise UnsupportedFileType(
            f"Файл «{name}» не принят: можно прикладывать только PDF, JPEG и PNG",
            f"file {mask_personal_data(name)!r} is not PDF, JPEG or PNG (head {head[:8].hex()})",
            fix="Сохраните скан в PDF и добавьте его снова",
            details={"name": name},
        )
    if size > MAX_TOTAL_BYTES:
        raise UploadLimitExceeded(
            f"{VALIDATION_ERROR}: файл «{name}» ({format_size(size)}) больше "
            f"{format_size(MAX_TOTAL_BYTES)} — предела для всех файлов заявления",
            f"file {mask_personal_data(name)!r} alone exceeds the total limit: {size} bytes",
            fix=VALIDATION_FIX,
            details={"name": name, "size": size, "max_total_bytes": MAX_TOTAL_BYTES},
        )
    return kind


def check_attachment_set(existing: Sequence[int], adding: Sequence[int]) -> None:
    """Refuse adding files (given by their sizes) that would break the per-application limits."""
    count = len(existing) + len(adding)
    total = sum(existing) + sum(adding)
    problems: list[str] = []
    if count > MAX_FILES:
        problems.append(
            f"к заявлению можно приложить не более {MAX_FILES} файлов, а получилось бы {count}"
        )
    if total > MAX_TOTAL_BYTES:
        problems.append(
            f"общий размер файлов заявления — не более {format_size(MAX_TOTAL_BYTES)}, "
            f"а получилось бы {_exact_size(total)}"
        )
    if not problems:
        return
    raise UploadLimitExceeded(
        f"{VALIDATION_ERROR}: " + "; ".join(problems),
        f"attachment limits exceeded: {count} files, {total} bytes "
        f"(max {MAX_FILES} files, {MAX_TOTAL_BYTES} bytes)",
        fix=VALIDATION_FIX,
        details={
            "existing_count": len(existing),
            "count": count,
            "total_bytes": total,
            "max_files": MAX_FILES,
            "max_total_bytes": MAX_TOTAL_BYTES,
        },
    )

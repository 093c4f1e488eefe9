"""The registry's upload limits, one definition for the client, the daemon and the registry."""

from __future__ import annotations

from collections.abc import Sequence

from frmr.model.rules.errors import (
    VALIDATION_ERROR,
    EmptyFile,
    SourceTooLarge,
    SparseFile,
    UnsupportedFileType,
    UploadLimitExceeded,
)
from frmr.model.rules.filetypes import FileKind, sniff
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.text import check_file_name

MAX_FILES = 5
# Decision (docs/domain.md, limits): "10 МБ" is read as 10 MiB, so both sides agree to the byte.
MAX_TOTAL_BYTES = 10 * 1024 * 1024

_UNITS = (("ГБ", 1024**3), ("МБ", 1024**2), ("КБ", 1024))

# The most a file may weigh to be read at all, packed or not. Packing
# (model.documents.packing) brings scans down about tenfold at best: the heaviest set
# measured, a 54 MB scanned book, packed to 5.5–7.5 MB (bench/README, «Packing documents»).
# Twice that ratio is the most that could still fit the quota; past it a file is refused
# before a byte is copied.
PACK_RATIO_CEILING = 20
MAX_SOURCE_BYTES = PACK_RATIO_CEILING * MAX_TOTAL_BYTES
# st_blocks counts 512-byte units whatever the file system's block size (POSIX stat.h).
STAT_BLOCK_BYTES = 512
# A file that holds fewer bytes on disk than this share of its length is mostly holes
# (truncate, an interrupted preallocating download). A transparently compressing file
# system (btrfs, ZFS) also shows fewer blocks, but scans are JPEG- or Flate-compressed
# already and shrink by a few per cent there, never eightfold.
MIN_ALLOCATED_SHARE = 8
# Below this a file's blocks say little (inline data, tail packing): not judged.
SPARSE_MIN_BYTES = 1024 * 1024


def format_size(n: int) -> str:
    """A size the Russian way: ``17 Б``, ``512 КБ``, ``9,8 МБ`` (binary units, decimal comma)."""
    if n < 0:
        raise ValueError("size can't be negative")
    for unit, scale in _UNITS:
        if n >= scale:
            text = f"{n / scale:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{n} Б"


# The limits as the forms and help say them, formatted from the constants above.
LIMITS_SHORT = f"не более {MAX_FILES} и {format_size(MAX_TOTAL_BYTES)}"
VALIDATION_FIX = (
    f"Уменьшите число файлов до {MAX_FILES} и их общий размер до "
    f"{format_size(MAX_TOTAL_BYTES)}: сожмите сканы"
)


def _exact_size(n: int, limit: int = MAX_TOTAL_BYTES) -> str:
    # Rounding can print an over-limit total as "10 МБ"; then the bytes say why it failed.
    shown = format_size(n)
    if n > limit and shown == format_size(limit):
        return f"{n:,} байт".replace(",", " ")
    return shown


def quota_text(count: int, total: int) -> str:
    """``файлов 3/5, 4,2 МБ из 10 МБ``."""
    return f"файлов {count}/{MAX_FILES}, {format_size(total)} из {format_size(MAX_TOTAL_BYTES)}"


def check_allocated(size: int, allocated: int, name: str) -> None:
    """Refuse, before any copy, a file whose length its disk blocks don't back (sparse) or
    that is too large to be packed into the quota."""
    if size >= SPARSE_MIN_BYTES and allocated * MIN_ALLOCATED_SHARE < size:
        raise SparseFile(
            f"Файл «{name}» не принят: его размер {format_size(size)}, а на диске он занимает "
            f"{format_size(allocated)} — это разреженный файл (пустоты вместо данных), "
            "а не документ",
            f"file {mask_personal_data(name)!r} is sparse: {size} bytes, {allocated} allocated",
            fix="Скопируйте документ заново из исходного места целиком и положите его в папку",
            details={"name": name, "size": size, "allocated": allocated},
        )
    if size > MAX_SOURCE_BYTES:
        raise SourceTooLarge(
            f"Файл «{name}» не принят: {_exact_size(size, MAX_SOURCE_BYTES)} — больше "
            f"{format_size(MAX_SOURCE_BYTES)}, такой файл не уменьшить до "
            f"{format_size(MAX_TOTAL_BYTES)}",
            f"file {mask_personal_data(name)!r} is {size} bytes, over {MAX_SOURCE_BYTES}",
            fix="Разделите документ на части или отсканируйте его с меньшим разрешением",
            details={"name": name, "size": size, "max_bytes": MAX_SOURCE_BYTES},
        )


def check_pack_inputs(sizes: Sequence[int]) -> None:
    """The packer's memory ceiling: it reads its inputs whole, so what it is given at once
    is bounded by the same ceiling as one file (a set over it can't fit the quota either)."""
    total = sum(sizes)
    if total > MAX_SOURCE_BYTES:
        raise SourceTooLarge(
            f"Файлы для сжатия вместе занимают {_exact_size(total, MAX_SOURCE_BYTES)} — больше "
            f"{format_size(MAX_SOURCE_BYTES)}, их не уменьшить до {format_size(MAX_TOTAL_BYTES)}",
            f"pack inputs total {total} bytes, over {MAX_SOURCE_BYTES}",
            fix="Сжимайте документы по частям или отсканируйте их с меньшим разрешением",
            details={"total_bytes": total, "max_bytes": MAX_SOURCE_BYTES},
        )


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

"""A full or failing disk, recognised wherever it surfaces, and said in Russian.

It reaches us as an OSError from a write (ENOSPC, EDQUOT, EIO) or wrapped by SQLite and
SQLAlchemy ("database or disk is full", "disk I/O error"); either way nothing is lost (the
write or the transaction is rolled back) and the user must be told to free space.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Collection
from pathlib import Path

_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
_IO = (errno.EIO,)
_SQLITE_NO_SPACE = "database or disk is full"
_SQLITE_IO = "disk I/O error"


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    # SQLAlchemy keeps the driver's error in `.orig`, not always as the cause.
    originals = [getattr(e, "orig", None) for e in seen]
    return seen + [e for e in originals if isinstance(e, BaseException)]


def _caused_by(
    error: BaseException, errnos: Collection[int], sqlite_texts: Collection[str]
) -> bool:
    return any(
        (isinstance(item, OSError) and item.errno in errnos)
        or (
            isinstance(item, sqlite3.OperationalError) and any(t in str(item) for t in sqlite_texts)
        )
        for item in _chain(error)
    )


def is_no_space(error: BaseException) -> bool:
    return _caused_by(error, _NO_SPACE, [_SQLITE_NO_SPACE])


def is_disk_trouble(error: BaseException) -> bool:
    """A full disk or an I/O error: retried later, never a reason to refuse a file."""
    return _caused_by(error, {*_NO_SPACE, *_IO}, [_SQLITE_NO_SPACE, _SQLITE_IO])


def free_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def disk_message(error: BaseException, where: Path) -> str | None:
    """What to tell the user about `error` met while writing under `where`; None if it is
    not about the disk."""
    if is_no_space(error):
        free = free_bytes(where)
        left = f" (свободно {free // 1024} КБ)" if free is not None else ""
        return (
            f"Нет места на диске: {where}{left}. Освободите место — работа продолжится сама, "
            "файлы остаются на месте"
        )
    if is_disk_trouble(error):
        return (
            f"Ошибка ввода-вывода на диске: {where}. Проверьте диск; данные не изменены, "
            "операция будет повторена"
        )
    return None

"""Refusing a dropped file: it moves, bytes untouched, to `rejected/` beside a note saying
what was wrong and what to do, in plain Russian. Nothing is silently dropped."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from frmr.model.store import make_private_dir

REASON_SUFFIX = ".причина.txt"


class Refusal(Exception):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Refused:
    """A file to refuse: where it is, why, and the application whose folder it was in."""

    path: Path
    message: str
    fix: str
    folder: str | None = None
    application_id: str | None = None


def move_to_rejected(rejected: Path, refused: Refused) -> Path:
    """Move the file beside its reason note; returns where it went."""
    make_private_dir(rejected)
    target = free_name(rejected, refused.path.name)
    try:
        os.rename(refused.path, target)
    except OSError:
        shutil.move(str(refused.path), str(target))
    note = target.with_name(target.name + REASON_SUFFIX)
    where = f" (папка «{refused.folder}»)" if refused.folder else ""
    note.write_text(
        f"Файл «{refused.path.name}»{where} не принят.\n\n"
        f"Что не так: {refused.message}\n\n"
        f"Что сделать: {refused.fix}\n\n"
        f"Сам файл перенесён сюда без изменений: {target.name}\n",
        encoding="utf-8",
    )
    return target


def free_name(rejected: Path, name: str) -> Path:
    """`name`, or `name (2)`, … — whichever has neither a file nor a note yet."""
    target = rejected / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
        target = rejected / f"{stem} ({n}){suffix}"
        n += 1
    return target

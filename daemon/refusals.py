"""Refusing a dropped file: it moves, bytes untouched, to `rejected/` beside a note saying
what was wrong and what to do, in plain Russian. Nothing is silently dropped.

The note is written (and checked) before the file moves: on a full disk the file stays
where it was and is refused again later, instead of sitting in `rejected/` with an empty
note. A name that is not UTF-8 keeps its raw bytes on disk and is shown escaped; a name
too long to carry the note's suffix gets a shortened note name, and the note's text names
the file in full.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from frmr.model.rules.text import printable
from frmr.model.store.blobs import NotRegularFile
from frmr.model.store.engine import make_private_dir
from frmr.model.store.private_files import write_private

REASON_SUFFIX = ".причина.txt"
# Said of a refused new version of an attached file.
KEPT_NOTE = "К заявлению по-прежнему приложена прежняя версия этого файла"
# NAME_MAX of ext4, xfs, btrfs and tmpfs, in bytes.
NAME_MAX = 255


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
    # The document this path is attached as, when the refused file is its new version: that
    # attachment stays (model.documents.replacements.record_kept); and the refused file's size.
    replaces: str | None = None
    size: int | None = None


def shown_name(name: str) -> str:
    """`name` as text anyone can print and store: bytes that are not UTF-8 (kept by Python
    as surrogates) are shown as \\xNN escapes, and so are control and bidi characters
    (model.rules.text.printable): a name is never a line break or an escape sequence in a note, a
    log line or a listing."""
    return printable(os.fsencode(name).decode("utf-8", "backslashreplace"))


def not_a_file(name: str, *, link: bool) -> tuple[str, str]:
    """The reason and the fix for a dropped path that is a link or not a regular file."""
    if link:
        return (
            f"«{name}» — символическая ссылка, а не файл",
            "Скопируйте в папку сам файл, а не ссылку на него",
        )
    return (f"«{name}» — не обычный файл", "Положите в папку файл PDF, JPEG или PNG")


def refusal_for_error(error: OSError) -> tuple[str, str] | None:
    """The reason and the fix for a file that could not be read for what it is, or None
    when the error says nothing about the file (to be tried again)."""
    name = shown_name(Path(error.filename).name) if error.filename else "файл"
    if isinstance(error, NotRegularFile):
        return not_a_file(name, link=error.errno == errno.ELOOP)
    if isinstance(error, PermissionError):
        return (
            f"Файл «{name}» нельзя прочитать: нет прав на чтение",
            "Разрешите чтение файла его владельцу (например, «chmod u+r» для него) "
            "и положите его в папку снова",
        )
    return None


def note_path(target: Path) -> Path:
    """Where the note of `target` goes: `<name>.причина.txt`, or, when that is longer than a
    file name may be, a shortened name made unique by a digest of the full one."""
    full = os.fsencode(target.name) + REASON_SUFFIX.encode()
    if len(full) <= NAME_MAX:
        return target.with_name(target.name + REASON_SUFFIX)
    digest = hashlib.sha256(os.fsencode(target.name)).hexdigest()[:12]
    tail = f"-{digest}{REASON_SUFFIX}".encode()
    stem = os.fsencode(target.name)[: NAME_MAX - len(tail)]
    # Cut on a character boundary: the note's name stays valid UTF-8 when the file's was.
    text = stem.decode("utf-8", "ignore") if is_utf8(target.name) else os.fsdecode(stem)
    return target.with_name(os.fsdecode(os.fsencode(text) + tail))


def is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def move_to_rejected(rejected: Path, refused: Refused) -> Path:
    """Write the note, then move the file beside it; returns where the file went. If either
    fails nothing is left half done: no note without its file, no file without its note."""
    make_private_dir(rejected)
    target = free_name(rejected, refused.path.name)
    note = note_path(target)
    where = f" (папка «{shown_name(refused.folder)}»)" if refused.folder else ""
    text = (
        f"Файл «{shown_name(refused.path.name)}»{where} не принят.\n\n"
        f"Что не так: {refused.message}\n\n"
        f"Что сделать: {refused.fix}\n\n"
        + (f"{KEPT_NOTE}.\n\n" if refused.replaces else "")
        + f"Сам файл перенесён сюда без изменений: {shown_name(target.name)}\n"
    )
    write_private(note, text.encode("utf-8"))
    try:
        try:
            os.rename(refused.path, target)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            shutil.move(str(refused.path), str(target))
    except BaseException:
        note.unlink(missing_ok=True)
        raise
    return target


def free_name(rejected: Path, name: str) -> Path:
    """`name`, or `name (2)`, … — the first that holds no file yet. A note standing there
    without its file is what a kill between writing the note and moving the file leaves
    (the file stayed where it was dropped and is refused again): the new note replaces it."""
    target = rejected / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while os.path.lexists(target):
        target = rejected / f"{stem} ({n}){suffix}"
        n += 1
    return target

"""Packing files from disk or from the library into one PDF named for the portal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from frmr.model.errors import PackInputUnreadable
from frmr.model.masking import mask_personal_data
from frmr.model.packing import PackInput, PackProfile, PackResult, document_file_name, pack
from frmr.model.tables import Person


@dataclass(frozen=True)
class PackedFile:
    result: PackResult
    name: str


def read_inputs(paths: Sequence[Path]) -> list[PackInput]:
    inputs = []
    for path in paths:
        try:
            inputs.append(PackInput(path.name, path.read_bytes()))
        except OSError as exc:
            raise PackInputUnreadable(
                f"Файл «{path.name}» не удалось прочитать: {exc.strerror or exc}",
                f"can't read {mask_personal_data(str(path))!r}: {exc!r}",
                details={"name": path.name},
            ) from exc
    return inputs


def packed_name(template: str, person: Person, title: str, pages: int) -> str:
    return document_file_name(
        template,
        title=title,
        pages=pages,
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
    )


def default_title(names: Sequence[str]) -> str:
    """A document's title when none is given: the first file's name without its extension."""
    return Path(names[0]).stem if names else "документ"


def pack_inputs(
    inputs: Sequence[PackInput],
    *,
    budget: int,
    person: Person,
    template: str,
    profile: PackProfile,
    title: str | None = None,
) -> PackedFile:
    title = (title or "").strip() or default_title([i.name for i in inputs])
    result = pack(inputs, budget, profile=profile, title=title)
    return PackedFile(result, packed_name(template, person, title, result.pages))

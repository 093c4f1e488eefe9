"""File names for packed documents, in the form the portal's helpers ask for.

mediator-med.ru asks for PDF files with a lowercase extension named like «Смирнов А.В.
трудовая книжка на 3 л.»; the default template follows it, and the template is a setting.
"""

from __future__ import annotations

import re

from frmr.model.rules.errors import FieldInvalid
from frmr.model.store.settings import DEFAULT_NAME_TEMPLATE as DEFAULT_NAME_TEMPLATE

TEMPLATE_FIELDS = ("surname", "initials", "title", "pages")
# Windows, where most people upload from, refuses these in a file name; "/" and NUL
# are refused everywhere.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# ext4 and most filesystems cap a name at 255 bytes; Cyrillic takes two bytes a letter.
_MAX_NAME_BYTES = 240


def initials(first_name: str, patronymic: str | None) -> str:
    """``А.В.`` from «Анна Викторовна»; empty parts are skipped."""
    return "".join(
        f"{part.strip()[0].upper()}." for part in (first_name, patronymic or "") if part.strip()
    )


def document_file_name(
    template: str,
    *,
    title: str,
    pages: int,
    last_name: str = "",
    first_name: str = "",
    patronymic: str | None = None,
) -> str:
    """The packed file's name: the template filled in, made safe, ending in lowercase ``.pdf``."""
    fields = {
        "surname": last_name.strip(),
        "initials": initials(first_name, patronymic) if last_name.strip() else "",
        "title": title.strip() or "документ",
        "pages": pages,
    }
    try:
        text = template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise FieldInvalid(
            f"Шаблон имени файла «{template}» не подходит: можно использовать только поля "
            + ", ".join("{" + name + "}" for name in TEMPLATE_FIELDS),
            f"bad file name template: {exc!r}",
            field="pack_name_template",
        ) from exc
    text = re.sub(r"\.pdf$", "", text.strip(), flags=re.IGNORECASE)
    text = _FORBIDDEN.sub(" ", text)
    # A missing surname leaves the separator at the start: «— Диплом на 2 л».
    text = re.sub(r"\s+", " ", text).strip().lstrip("—-– ").rstrip(" .") or "документ"
    while len(text.encode()) > _MAX_NAME_BYTES:
        text = text[:-1]
    return f"{text.rstrip()}.pdf"

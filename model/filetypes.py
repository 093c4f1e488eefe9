"""Document types the product accepts, recognised by content rather than by extension.

A renamed executable or a Word file saved as ``.pdf`` must not reach the registry, so the
first bytes decide.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

SNIFF_BYTES = 16


class FileKind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        """The extension a blob or an export of this kind gets."""
        return _EXTENSIONS[self]

    @property
    def label(self) -> str:
        return self.value.upper()


_MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}
_EXTENSIONS = {FileKind.PDF: ".pdf", FileKind.JPEG: ".jpg", FileKind.PNG: ".png"}
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", FileKind.PDF),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
)


def sniff(head: bytes) -> FileKind | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def sniff_file(path: Path) -> FileKind | None:
    with path.open("rb") as file:
        return sniff(file.read(SNIFF_BYTES))

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
    def label(self) -> str:
        return self.value.upper()


_MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}
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


class Wholeness(StrEnum):
    """What a file's own structure says: all of it is there, some is still missing, it is
    all there but broken, or it is all there but can't be opened without a password."""

    WHOLE = "whole"
    INCOMPLETE = "incomplete"
    DAMAGED = "damaged"
    LOCKED = "locked"


# ISO 32000-1 §7.5.5 puts `%%EOF` on the file's last line; writers may add a few bytes (a
# newline, a NUL pad) after it, and Acrobat itself looks only within the last kilobyte.
PDF_TAIL_BYTES = 1024
# PNG (ISO/IEC 15948 §5.6): the last chunk is IEND, with no data, so its type and fixed CRC.
_PNG_IEND = b"IEND\xaeB`\x82"


def wholeness(kind: FileKind, path: Path) -> Wholeness:
    """Whether the file at `path`, already sniffed as `kind`, is complete by its format's end
    marks, and then whether a maintained parser reads it (pikepdf for PDF, Pillow for
    images): a file whole by its marks that the parser refuses is damaged, not unfinished."""
    with path.open("rb") as file:
        if kind is FileKind.JPEG:
            marks = _jpeg_wholeness(file.read())
        else:
            size = file.seek(0, 2)
            file.seek(max(0, size - PDF_TAIL_BYTES))
            tail = file.read()
            mark = b"%%EOF" if kind is FileKind.PDF else _PNG_IEND
            marks = Wholeness.WHOLE if mark in tail else Wholeness.INCOMPLETE
    if marks is not Wholeness.WHOLE:
        return marks
    return _parses(kind, path)


def _jpeg_wholeness(data: bytes) -> Wholeness:
    """Walk the JPEG's segments (ITU-T T.81 annex B) to its end-of-image marker. Lengths skip
    whole segments, so a thumbnail's own EOI inside EXIF does not count, and what follows
    the real EOI (cameras append maker data) does not matter."""
    i, end = 2, len(data)
    while i + 1 < end:
        if data[i] != 0xFF:
            return Wholeness.DAMAGED  # where a marker must be, there is none
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1  # fill byte before a marker
            continue
        if marker == 0xD9:
            return Wholeness.WHOLE
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            i += 2  # markers without a length
            continue
        if i + 4 > end:
            break
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        if marker != 0xDA:
            continue
        # Entropy-coded data after a start of scan: stuffed FF00 and restart markers are
        # part of it; any other marker ends it.
        while True:
            i = data.find(b"\xff", i)
            if i < 0 or i + 1 >= end:
                return Wholeness.INCOMPLETE
            following = data[i + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7:
                i += 2
            elif following == 0xFF:
                i += 1
            else:
                break
    return Wholeness.INCOMPLETE


def _parses(kind: FileKind, path: Path) -> Wholeness:
    # Imported here: only the daemon's workers pay for the parsers, not every CLI start.
    if kind is FileKind.PDF:
        import pikepdf

        try:
            with pikepdf.open(path) as pdf:
                return Wholeness.WHOLE if len(pdf.pages) > 0 else Wholeness.DAMAGED
        except pikepdf.PasswordError:
            # A user (open) password; an owner password alone opens with an empty one.
            # Not a PdfError: uncaught, it failed every copy and the file was never refused.
            return Wholeness.LOCKED
        except (pikepdf.PdfError, ValueError, RuntimeError):
            return Wholeness.DAMAGED
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            # Decoding every pixel is the only check that reads the whole image; Pillow's
            # decompression-bomb guard (DecompressionBombError) bounds what that may cost.
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return Wholeness.DAMAGED
    return Wholeness.WHOLE

"""Sample files for tests: real magic bytes, exact sizes, distinct contents."""

from __future__ import annotations

from pathlib import Path

PDF_HEAD = b"%PDF-1.7\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"
JPEG_HEAD = b"\xff\xd8\xff\xe0"
ELF_HEAD = b"\x7fELF\x02\x01\x01\x00"


def make_file(path: Path, head: bytes, size: int, salt: str = "") -> Path:
    body = head + salt.encode()
    path.write_bytes(body + b"0" * max(0, size - len(body)))
    return path


def make_pdf(path: Path, size: int = 2048, salt: str = "") -> Path:
    """A file that sniffs as PDF, `size` bytes long, unique per `salt` (or per path)."""
    return make_file(path, PDF_HEAD, size, salt or path.name)

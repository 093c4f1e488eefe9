"""Sample files for tests: real magic bytes, exact sizes, distinct contents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PDF_HEAD = b"%PDF-1.7\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"
JPEG_HEAD = b"\xff\xd8\xff\xe0"
ELF_HEAD = b"\x7fELF\x02\x01\x01\x00"


def make_file(path: Path, head: bytes, size: int, salt: str = "") -> Path:
    body = head + salt.encode()
    path.write_bytes(body + b"0" * max(0, size - len(body)))
    return path


def pdf_bytes(size: int = 2048, salt: str = "") -> bytes:
    """A whole, parseable one-page PDF exactly `size` bytes long (at least ~500), unique per
    `salt`: the padding is a stream nothing draws, so the cross-reference table stays true."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]

    def build(padding: int) -> bytes:
        payload = ("%" + salt + "\n").encode() + b"0" * padding
        items = [*objects, b"<< /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"]
        out = bytearray(PDF_HEAD + b"%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(items, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(items) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(items) + 1,
            xref,
        )
        return bytes(out)

    bare = len(build(0))
    # The padding's own digits move the xref offset; grow it until the length is exact.
    padding = max(0, size - bare)
    body = build(padding)
    while len(body) != size and padding > 0:
        padding += size - len(body)
        body = build(max(0, padding))
    return body


def make_pdf(path: Path, size: int = 2048, salt: str = "") -> Path:
    """A whole PDF, `size` bytes long, unique per `salt` (or per path)."""
    path.write_bytes(pdf_bytes(size, salt or path.name))
    return path


def png_bytes(salt: str = "", side: int = 64) -> bytes:
    """A whole PNG, unique per `salt` (kept in a text chunk)."""
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("salt", salt)
    out = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_bytes(salt: str = "", side: int = 64) -> bytes:
    """A whole JPEG, unique per `salt` (kept in a comment segment)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (side, side), (30, 30, 200)).save(out, "JPEG", comment=salt.encode())
    return out.getvalue()


# The scans the published list of documents names for a periodic application, one per item
# (model/readiness/checklist.py, rules.json «documents»): a library without them is «Не готово»
# and «Сформировать» is refused.
LISTED_SCANS = (
    "паспорт на 2 л.pdf",
    "диплом с приложением на 6 л.pdf",
    "сертификат специалиста на 1 л.pdf",
    "удостоверение о повышении квалификации на 1 л.pdf",
)


def listed_scans(folder: Path) -> list[Path]:
    """The listed scans as PDFs in `folder` (made if missing), distinct per folder."""
    folder.mkdir(parents=True, exist_ok=True)
    return [make_pdf(folder / name, salt=f"{folder}/{name}") for name in LISTED_SCANS]


def add_listed_scans(account: Any, folder: Path) -> None:
    """The listed scans imported into `account`'s library."""
    from frmr.model.documents.library import import_file

    for path in listed_scans(folder):
        import_file(account, path)

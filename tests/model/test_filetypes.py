from pathlib import Path

import pytest

from frmr.model.documents.library import import_file
from frmr.model.rules.errors import EmptyFile, UnsupportedFileType
from frmr.model.rules.filetypes import SNIFF_BYTES, FileKind, sniff
from frmr.model.store.account import Account

PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ELF_HEAD = b"\x7fELF\x02\x01\x01\x00" + bytes(8)


@pytest.mark.parametrize(
    ("head", "kind", "media_type"),
    [
        (PDF_HEAD, FileKind.PDF, "application/pdf"),
        (JPEG_HEAD, FileKind.JPEG, "image/jpeg"),
        (PNG_HEAD, FileKind.PNG, "image/png"),
    ],
)
def test_accepted_kinds_are_recognised_by_their_magic_bytes(
    head: bytes, kind: FileKind, media_type: str
) -> None:
    assert sniff(head) is kind
    assert kind.media_type == media_type


@pytest.mark.parametrize(
    "head",
    [
        b"",
        ELF_HEAD,
        b"PK\x03\x04\x14\x00\x06\x00",  # .docx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # .doc
        b"GIF89a",
        b"%PD",
        b"\x89PNG\r\n",
        b" %PDF-1.4",
    ],
)
def test_anything_else_is_not_recognised(head: bytes) -> None:
    assert sniff(head) is None


def test_an_executable_renamed_to_pdf_is_not_a_pdf(tmp_path: Path, account: Account) -> None:
    path = tmp_path / "диплом.pdf"
    path.write_bytes(ELF_HEAD + b"rest of the binary" * 100)
    with pytest.raises(UnsupportedFileType):
        import_file(account, path)


def test_a_real_pdf_named_as_an_image_is_still_a_pdf(tmp_path: Path, account: Account) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(PDF_HEAD + b"body")
    assert import_file(account, path).document.kind is FileKind.PDF


def test_a_file_shorter_than_the_sniffed_head_is_handled(tmp_path: Path, account: Account) -> None:
    short, empty = tmp_path / "short.jpg", tmp_path / "empty.pdf"
    short.write_bytes(JPEG_HEAD[:3])
    empty.write_bytes(b"")
    assert import_file(account, short).document.kind is FileKind.JPEG
    with pytest.raises(EmptyFile):
        import_file(account, empty)
    assert len(PNG_HEAD) <= SNIFF_BYTES


def test_kinds_are_plain_strings_on_the_wire() -> None:
    assert FileKind("pdf") is FileKind.PDF
    assert f"{FileKind.JPEG}" == "jpeg"
    assert FileKind.PNG.label == "PNG"

"""The packer on concrete files: wrapping, orientation, merging, naming, refusals."""

from __future__ import annotations

import io
import subprocess
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from frmr.model.documents.packing import PackInput, PackProfile, PackStep, document_file_name, pack
from frmr.model.rules.errors import FieldInvalid, PackDoesNotFit, PackInputUnreadable
from tests.support.documents import (
    jpeg_bytes,
    page_image,
    png_bytes,
    scan_page,
    scanned_pdf,
    text_pdf,
)

MIB = 1024 * 1024


def render(pdf: bytes, tmp_path: Path, dpi: int = 20) -> list[Image.Image]:
    source = tmp_path / "rendered.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True
    )
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def test_a_jpeg_that_fits_is_wrapped_without_reencoding() -> None:
    photo = jpeg_bytes(page_image(100, seed=1), quality=85)
    result = pack([PackInput("фото.jpg", photo)], 10 * MIB)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        (image,) = pdf.pages[0].images.values()
        assert image.read_raw_bytes() == photo
    assert not result.compressed
    assert result.pages == 1


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    # Stored landscape with a red band on the left; orientation 6 means "turn 90° clockwise",
    # so upright the page is portrait and the band runs along the top.
    stored = Image.new("RGB", (400, 300), "white")
    stored.paste((255, 0, 0), (0, 0, 60, 300))
    exif = Image.Exif()
    exif[0x0112] = 6
    result = pack([PackInput("a.jpg", jpeg_bytes(stored, exif=exif))], MIB)
    (page,) = render(result.data, tmp_path)
    assert page.height > page.width
    top_band = page.crop((0, page.height * 0.1, page.width, page.height * 0.12))
    red, green, _ = (sum(c) / len(c) for c in zip(*top_band.getdata(), strict=True))
    assert red > 200 and green < 60


def test_mirrored_orientation_is_transposed(tmp_path: Path) -> None:
    stored = Image.new("RGB", (300, 400), "white")
    stored.paste((255, 0, 0), (0, 0, 60, 400))
    exif = Image.Exif()
    exif[0x0112] = 2  # mirrored left-right: the band belongs on the right
    result = pack([PackInput("a.jpg", jpeg_bytes(stored, exif=exif))], MIB)
    (page,) = render(result.data, tmp_path)
    right = page.getpixel((page.width * 9 // 10, page.height // 2))
    left = page.getpixel((page.width // 10, page.height // 2))
    assert isinstance(right, tuple) and isinstance(left, tuple)
    assert right[0] > 200 and right[1] < 60
    assert left[1] > 200


def test_png_with_transparency_is_packed() -> None:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    result = pack([PackInput("скан.png", png_bytes(image))], MIB)
    assert result.pages == 1


def test_heic_photo_is_packed() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    # Small: encoding HEIF (x265) costs 0.3 s for a 500 × 700 page, 0.06 s at this size.
    page_image(20, seed=2, colour=True).save(out, format="HEIF")
    result = pack([PackInput("IMG_0001.HEIC", out.getvalue())], MIB)
    assert result.pages == 1


def test_an_oversized_scan_is_brought_to_the_floor_and_text_pages_are_kept(
    tmp_path: Path,
) -> None:
    scans = [scan_page(i) for i in range(3)]
    text = text_pdf(["Spravka 42"])
    inputs = [PackInput("скан.pdf", scanned_pdf(scans, 300)), PackInput("текст.pdf", text)]
    before = sum(len(i.data) for i in inputs)
    result = pack(inputs, before // 4)
    assert result.size_after <= before // 4
    assert result.dpi == 150
    assert result.summary().startswith("объединено файлов: 2; сжато: ")
    assert result.summary().endswith(", 150 dpi")
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert len(pdf.pages) == 4
        widths = [int(img.Width) for p in pdf.pages[:3] for img in p.images.values()]
        # 2481 pixels across A4 at 300 dpi; half of them at 150.
        assert all(abs(w - 2481 / 2) <= 1 for w in widths) and len(widths) == 3
        assert not pdf.pages[3].images
    source = tmp_path / "p.pdf"
    source.write_bytes(result.data)
    words = subprocess.run(
        ["pdftotext", "-f", "4", "-l", "4", str(source), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Spravka 42" in words


def test_what_cannot_fit_at_the_floor_is_refused_with_the_size_reached() -> None:
    scans = [scan_page(i) for i in range(2)]
    with pytest.raises(PackDoesNotFit) as caught:
        pack([PackInput("трудовая.pdf", scanned_pdf(scans, 300))], 50_000, title="трудовая")
    reached = caught.value.details["reached"]
    assert isinstance(reached, int) and reached > 50_000
    assert "трудовая" in caught.value.user_message
    assert "150 dpi" in caught.value.user_message
    # The size reported is the one the floor really gives.
    floor = pack([PackInput("трудовая.pdf", scanned_pdf(scans, 300))], reached)
    assert floor.size_after == reached


def test_the_same_files_pack_to_the_same_bytes_a_second_later() -> None:
    """The library keeps a packed file by its hash, so packing the same files again gives
    the same bytes: no clock in the PDF's ID (qpdf's own ID takes the time in seconds)."""
    scan = scanned_pdf([scan_page(0)], 300)
    first = pack([PackInput("скан.pdf", scan)], len(scan) // 3)
    time.sleep(1.05 - time.time() % 1)  # into the next second
    assert first.compressed
    assert pack([PackInput("скан.pdf", scan)], len(scan) // 3).data == first.data


def test_a_higher_floor_keeps_more_pixels() -> None:
    scans = [scan_page(5)]
    profile = PackProfile(dpi_floor=200, max_dpi=200)
    result = pack(
        [PackInput("a.pdf", scanned_pdf(scans, 300))], len(scans[0]) // 2, profile=profile
    )
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        (image,) = pdf.pages[0].images.values()
        assert int(image.Width) == 1654


def test_damaged_and_locked_files_are_refused_by_name() -> None:
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(text_pdf(["x"]))) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    cases = [
        ("битый.pdf", b"%PDF-1.7\n garbage", "PDF повреждён"),
        ("фото.jpg", b"\xff\xd8\xff\xe0 not really", "повреждено"),
        ("закрытый.pdf", locked.getvalue(), "защищён паролем"),
    ]
    for name, data, why in cases:
        with pytest.raises(PackInputUnreadable) as caught:
            pack([PackInput(name, data)], MIB)
        assert f"«{name}»" in caught.value.user_message
        assert why in caught.value.user_message


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (("Смирнов", "Алексей", "Викторович"), "Смирнов А.В. — трудовая книжка на 3 л.pdf"),
        (("Смирнова", "Анна", None), "Смирнова А. — трудовая книжка на 3 л.pdf"),
        (("", "", None), "трудовая книжка на 3 л.pdf"),
    ],
)
def test_default_name_follows_the_portal_advice(
    person: tuple[str, str, str | None], expected: str
) -> None:
    last, first, patronymic = person
    name = document_file_name(
        "{surname} {initials} — {title} на {pages} л",
        title="трудовая книжка",
        pages=3,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
    )
    assert name == expected


def test_names_are_safe_and_end_in_lowercase_pdf() -> None:
    name = document_file_name("{title} ({pages}).PDF", title='Диплом/приложение: "копия"', pages=2)
    assert name == "Диплом приложение копия (2).pdf"
    long = document_file_name("{title}", title="я" * 400, pages=1)
    assert len(long.encode()) <= 255 and long.endswith(".pdf")
    with pytest.raises(FieldInvalid) as caught:
        document_file_name("{фамилия}", title="x", pages=1)
    assert caught.value.user_message.startswith("Шаблон имени файла «{фамилия}» не подходит")


def test_progress_counts_pages_up_to_the_last() -> None:
    scans = [scan_page(i) for i in range(3)]
    inputs = [PackInput("скан.pdf", scanned_pdf(scans, 300)), PackInput("т.pdf", text_pdf(["x"]))]
    steps: list[PackStep] = []
    pack(inputs, sum(len(s) for s in scans) // 4, progress=steps.append)
    first = [(s.page, s.pages) for s in steps if s.attempt == 1]
    assert first[-1] == (4, 4)
    assert [p for p, _ in first] == sorted(p for p, _ in first)
    # Each scanned page was announced on its own, not only the end.
    assert {1, 2, 3} <= {p for p, _ in first}


class _Stop(Exception):
    pass


def test_a_progress_callback_that_raises_stops_the_packing() -> None:
    scans = [scan_page(i % 3) for i in range(6)]
    seen: list[int] = []

    def stop_at_two(step: PackStep) -> None:
        seen.append(step.page)
        if step.page >= 2:
            raise _Stop

    with pytest.raises(_Stop):
        pack([PackInput("скан.pdf", scanned_pdf(scans, 300))], 100_000, progress=stop_at_two)
    assert max(seen) < 6

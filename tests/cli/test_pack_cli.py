"""`frmr pack` and `frmr apps package` through the installed command, on generated scans."""

from __future__ import annotations

import io
import os
import stat
import subprocess
from pathlib import Path

import pikepdf
import pytest

from frmr.model.profile.card import update_profile
from frmr.model.store.account import open_account
from frmr.model.store.settings import load_settings
from tests.cli.test_cli import Frmr
from tests.support.documents import (
    jpeg_bytes,
    page_image,
    png_bytes,
    scan_page,
    scanned_pdf,
    text_pdf,
)

MIB = 1024 * 1024


@pytest.fixture
def frmr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Frmr:
    cli = Frmr(tmp_path / "home", tmp_path / "config.toml")
    # The card is filled in-process (one store open instead of three command starts).
    monkeypatch.setenv("FRMR_HOME", cli.env["FRMR_HOME"])
    monkeypatch.setenv("FRMR_CONFIG", cli.env["FRMR_CONFIG"])
    with open_account(load_settings()) as account:
        update_profile(
            account,
            {"last_name": "Смирнов", "first_name": "Алексей", "patronymic": "Викторович"},
        )
    return cli


def _pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _renders(path: Path, tmp_path: Path) -> int:
    out = tmp_path / "render"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "10", "-gray", str(path), str(out / "p")], check=True)
    return len(list(out.glob("p-*.pgm")))


def test_pack_merges_in_order_fits_the_budget_and_names_by_template(
    frmr: Frmr, tmp_path: Path
) -> None:
    first = tmp_path / "стр1.jpg"
    first.write_bytes(scan_page(1))
    second = tmp_path / "стр2.pdf"
    second.write_bytes(scanned_pdf([scan_page(2)], 300))
    third = tmp_path / "опись.pdf"
    third.write_bytes(text_pdf(["opis"]))
    out = tmp_path / "out"
    out.mkdir()
    result = frmr(
        "pack", str(first), str(second), str(third),
        "--budget", "0.5", "--title", "трудовая книжка", "-o", str(out),
    )  # fmt: skip
    packed = out / "Смирнов А.В. — трудовая книжка на 3 л.pdf"
    assert [p.name for p in out.iterdir()] == [packed.name]
    assert packed.stat().st_size <= MIB // 2
    assert _pages(packed) == 3
    assert _renders(packed, tmp_path) == 3
    assert "сжато: " in result.stdout and "150 dpi" in result.stdout
    # The originals are only read.
    assert first.read_bytes()[:3] == b"\xff\xd8\xff"


def test_pack_refuses_what_cannot_fit_and_writes_nothing(frmr: Frmr, tmp_path: Path) -> None:
    scan = tmp_path / "скан.pdf"
    scan.write_bytes(scanned_pdf([scan_page(3)] * 2, 300))
    out = tmp_path / "out"
    out.mkdir()
    result = frmr("pack", str(scan), "--budget", "0.02", "-o", str(out), ok=False)
    assert result.returncode == 2
    assert "Ошибка валидации: «скан» не уместить в 20,5 КБ: даже при 150 dpi получается" in (
        result.stderr
    )
    assert list(out.iterdir()) == []


def test_apps_package_holds_exactly_the_application(frmr: Frmr, tmp_path: Path) -> None:
    # «Нет» for «Согласование отчёта»: the sheet reads it from the report.
    frmr("report", "set", "variant=refused")
    app_id = frmr(
        "apps", "new", "--specialty", "Терапия", "--phone", "9123456789",
        "--email", "smirnov@example.ru", "--comment", "Прошу принять",
    ).stdout.strip()  # fmt: skip
    book = tmp_path / "трудовая книжка.pdf"
    book.write_bytes(scanned_pdf([scan_page(s, quality=90) for s in (4, 5)], 300))
    photo = tmp_path / "диплом.jpg"
    photo.write_bytes(jpeg_bytes(page_image(200, seed=6, colour=True), quality=90))
    scan = tmp_path / "удостоверение.png"
    scan.write_bytes(png_bytes(page_image(100, seed=7)))
    frmr("apps", "attach", app_id, str(book), str(photo), str(scan))

    target = tmp_path / "подача"
    frmr("apps", "package", app_id, str(target))

    expected = [
        "Смирнов А.В. — трудовая книжка на 2 л.pdf",
        "Смирнов А.В. — диплом на 1 л.pdf",
        "Смирнов А.В. — удостоверение на 1 л.pdf",
    ]
    assert sorted(p.name for p in target.iterdir()) == sorted([*expected, "ПОДАЧА.txt"])
    total = 0
    for name, pages in zip(expected, (2, 1, 1), strict=True):
        path = target / name
        assert _pages(path) == pages
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        total += path.stat().st_size
    assert total <= 10 * MIB
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    # The library's PDF goes as it is; the photo is wrapped without re-encoding.
    assert (target / expected[0]).read_bytes() == book.read_bytes()
    with pikepdf.open(target / expected[1]) as pdf:
        (image,) = pdf.pages[0].images.values()
        assert image.read_raw_bytes() == photo.read_bytes()

    sheet = (target / "ПОДАЧА.txt").read_text()
    fields = [
        "Сведения о специалисте",
        "ФИО: Смирнов Алексей Викторович",
        "Вид аккредитации: Периодическая аккредитация",
        "Контактный телефон: +7 912 345-67-89",
        "Адрес электронной почты: smirnov@example.ru",
        "Специальность: Терапия",
        "Уровень образования:",
        "Портфолио:",
        "Согласование отчёта о профессиональной деятельности: Нет",
        "Дополнительные документы (файлов 3 из 5,",
        *(f"пункт «{t}» — файл «{n}»" for t, n in zip(
            ("трудовая книжка", "диплом", "удостоверение"), expected, strict=True
        )),
        "Комментарий: Прошу принять",
        "«Сформировать заявление»",
    ]  # fmt: skip
    positions = [sheet.find(f) for f in fields]
    assert all(p >= 0 for p in positions), list(zip(fields, positions, strict=True))
    assert positions == sorted(positions), "fields out of the portal's order"


def test_apps_package_never_mixes_into_a_folder_with_files(frmr: Frmr, tmp_path: Path) -> None:
    app_id = frmr(
        "apps", "new", "--specialty", "Терапия", "--phone", "9123456789", "--email", "a@b.ru"
    ).stdout.strip()
    target = tmp_path / "занято"
    target.mkdir()
    (target / "старое.pdf").write_bytes(b"%PDF-1.7\n")
    result = frmr("apps", "package", app_id, str(target), ok=False)
    assert result.returncode == 2
    assert "уже существует и не пуста" in result.stderr
    assert os.listdir(target) == ["старое.pdf"]


def test_packed_output_is_a_valid_pdf_for_qpdf(frmr: Frmr, tmp_path: Path) -> None:
    photo = tmp_path / "фото.jpg"
    photo.write_bytes(jpeg_bytes(page_image(200, seed=8, colour=True), quality=95))
    assert photo.stat().st_size > 0.3 * MIB  # so it is re-encoded
    out = tmp_path / "фото.pdf"
    frmr("pack", str(photo), "--budget", "0.3", "-o", str(out))
    with pikepdf.open(io.BytesIO(out.read_bytes())) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        assert check() == []


def test_pack_refuses_sparse_and_oversized_inputs_before_reading_them(
    frmr: Frmr, tmp_path: Path
) -> None:
    """The packer reads its inputs whole: a 5 GB sparse file (8 KB on disk) is refused by its
    blocks, and allocated files over the ceiling together by their sizes, before a read."""
    sparse = tmp_path / "дыра.pdf"
    with sparse.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(5 * 1024**3)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = frmr("pack", str(sparse), "-o", str(out_dir), ok=False)
    assert result.returncode == 2
    assert "Файл «дыра.pdf» не принят: его размер 5 ГБ, а на диске он занимает" in result.stderr
    halves = []
    for i in range(2):
        half = tmp_path / f"том {i}.pdf"
        with half.open("wb") as out:
            out.write(b"%PDF-1.7\n")
            os.posix_fallocate(out.fileno(), 0, 110 * MIB)
        halves.append(str(half))
    result = frmr("pack", *halves, "-o", str(out_dir), ok=False)
    assert result.returncode == 2
    assert "Файлы для сжатия вместе занимают 220 МБ — больше 200 МБ" in result.stderr
    assert list(out_dir.iterdir()) == []

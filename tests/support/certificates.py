"""Generated удостоверения о повышении квалификации and НМО certificates with known fields.

The text is set in PT Serif (the font the project bundles) by fpdf2, like the real forms'
wording; a "scan" is that page rasterised by pypdfium2 at 150–300 dpi, then skewed or
turned, given sensor noise and blur, and saved as JPEG, PNG or an image PDF. Every document
is reproducible from its seed, so the bench and the tests know what each one says.
"""

from __future__ import annotations

import copy
import fcntl
import functools
import io
import os
import pickle
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import img2pdf

if TYPE_CHECKING:
    from frmr.model.documents.ocr.reader import ReadText

MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
PROGRAMMES = (
    "Кардиология: актуальные вопросы диагностики и лечения",
    "Терапия",
    "Неотложная помощь в практике участкового терапевта",
    "Организация здравоохранения и общественное здоровье",
    "Ультразвуковая диагностика заболеваний щитовидной железы",
    "Сестринское дело в хирургии",
    "Инфекционная безопасность в медицинской организации",
    "Современные методы лечения сахарного диабета",
)
ORGANISATIONS = (
    "ФГБОУ ДПО «Российская медицинская академия непрерывного профессионального образования» "
    "Минздрава России",
    "ГБУ ДПО «Учебный центр повышения квалификации специалистов здравоохранения»",
    "ФГБОУ ВО «Казанский государственный медицинский университет» Минздрава России",
    "АНО ДПО «Институт медицинского образования»",
)
CITIES = ("Москва", "Казань", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Самара")
MODULES = (
    "Артериальная гипертензия у взрослых",
    "Хроническая сердечная недостаточность",
    "Пневмония внебольничная у взрослых",
    "Сахарный диабет 2 типа у взрослых",
    "Профилактика инфекций, связанных с оказанием медицинской помощи",
)
NAMES = ("Иванова Мария Петровна", "Смирнов Алексей Викторович", "Кузнецова Ольга Игоревна")


@dataclass
class Generated:
    """A generated document and what it says (values as the reader should give them)."""

    kind: str  # "pk" | "nmo"
    fields: dict[str, str]
    pdf: bytes = b""
    scan: bytes = b""
    scan_name: str = ""
    dpi: int = 0
    notes: list[str] = field(default_factory=list)


def _long(d: date) -> str:
    return f"«{d.day:02d}» {MONTHS[d.month - 1]} {d.year} г."


def _short(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _font_dir() -> Path:
    import fontpkg_pt_serif

    return Path(fontpkg_pt_serif.ROOT) / "files"


def _pdf(lines: list[tuple[str, int, bool, str]]) -> bytes:
    """A one-page A4 PDF: (text, size, bold, align) per line, wrapped in the margins."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    files = _font_dir()
    pdf.add_font("PTSerif", "", str(files / "PT_Serif-Web-Regular.ttf"))
    pdf.add_font("PTSerif", "B", str(files / "PT_Serif-Web-Bold.ttf"))
    pdf.set_margins(25, 20, 20)
    # A fixed date: the same seed gives the same bytes.
    pdf.set_creation_date(datetime(2025, 1, 1))
    pdf.add_page()
    for text, size, bold, align in lines:
        if not text:
            pdf.ln(size / 2)
            continue
        pdf.set_font("PTSerif", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    return bytes(pdf.output())


def pk_document(rng: random.Random) -> Generated:
    begin = date(2021, 1, 11) + timedelta(days=rng.randrange(0, 1400))
    hours = rng.choice((18, 36, 36, 72, 72, 144, 144, 108, 250, 504))
    end = begin + timedelta(days=max(2, hours // 6) + rng.randrange(0, 5))
    issued = end + timedelta(days=rng.randrange(0, 4))
    registration = rng.choice(
        (
            str(rng.randrange(100, 99999)),
            f"{rng.randrange(1, 999)}-{rng.randrange(10, 99)}/{issued.year % 100:02d}",
            f"ПК-{rng.randrange(1000, 9999)}",
        )
    )
    blank = "".join(str(rng.randrange(10)) for _ in range(12))
    programme = rng.choice(PROGRAMMES)
    organisation = rng.choice(ORGANISATIONS)
    city = rng.choice(CITIES)
    long_dates = rng.random() < 0.5
    period = (
        f"с {_long(begin)} по {_long(end)}" if long_dates else f"с {_short(begin)} по {_short(end)}"
    )
    hours_text = rng.choice(
        (f"в объёме {hours} часов", f"в объеме {hours} ак. ч.", f"{hours} академических часов")
    )
    lines = [
        (organisation, 11, False, "C"),
        ("", 10, False, "L"),
        ("РОССИЙСКАЯ ФЕДЕРАЦИЯ", 12, True, "C"),
        ("УДОСТОВЕРЕНИЕ", 18, True, "C"),
        ("о повышении квалификации", 13, True, "C"),
        (blank, 12, False, "C"),
        ("", 10, False, "L"),
        (f"Документ о квалификации. Регистрационный номер {registration}", 11, False, "L"),
        (f"Город {city}", 11, False, "L"),
        (f"Дата выдачи {_long(issued) if long_dates else _short(issued)}", 11, False, "L"),
        ("", 10, False, "L"),
        ("Настоящее удостоверение свидетельствует о том, что", 11, False, "L"),
        (rng.choice(NAMES), 13, True, "C"),
        (f"прошла повышение квалификации {period}", 11, False, "L"),
        ("по дополнительной профессиональной программе", 11, False, "L"),
        (f"«{programme}»", 12, True, "C"),
        (hours_text, 11, False, "L"),
        ("", 10, False, "L"),
        ("Руководитель ______________   Секретарь ______________   М.П.", 11, False, "L"),
    ]
    return Generated(
        "pk",
        {
            "programme": programme,
            "hours": str(hours),
            "date_from": begin.isoformat(),
            "date_to": end.isoformat(),
            "registration_number": registration,
            "organisation": organisation,
            "city": city,
            "issue_date": issued.isoformat(),
        },
        pdf=_pdf(lines),
    )


def nmo_document(rng: random.Random) -> Generated:
    issued = date(2021, 3, 1) + timedelta(days=rng.randrange(0, 1400))
    module = rng.random() < 0.6
    zet = rng.choice((1, 2, 2, 3, 4, 5, 6, 12)) if not module else rng.choice((1, 2, 3, 4, 5))
    prefix = "ИОМ" if module else "НМО"
    number = f"{prefix}-{rng.randrange(10000, 999999):06d}-{issued.year}"
    topic = rng.choice(MODULES)
    organisation = rng.choice(ORGANISATIONS)
    long_date = rng.random() < 0.5
    lines = [
        ("Портал непрерывного медицинского и фармацевтического образования", 10, False, "C"),
        ("Минздрава России", 10, False, "C"),
        ("", 10, False, "L"),
        ("СВИДЕТЕЛЬСТВО" if module else "СЕРТИФИКАТ", 20, True, "C"),
        (
            "об освоении интерактивного образовательного модуля"
            if module
            else "об участии в образовательном мероприятии",
            13,
            True,
            "C",
        ),
        ("", 10, False, "L"),
        (rng.choice(NAMES), 14, True, "C"),
        (
            "освоила интерактивный образовательный модуль"
            if module
            else "приняла участие в образовательном мероприятии",
            11,
            False,
            "C",
        ),
        (f"«{topic}»", 12, True, "C"),
        (f"Организатор: {organisation}", 10, False, "L"),
        ("", 10, False, "L"),
        (f"Количество зачётных единиц трудоёмкости (ЗЕТ): {zet}", 12, False, "L"),
        (f"Уникальный номер образовательной активности: {number}", 12, False, "L"),
        (f"Дата: {_long(issued) if long_date else _short(issued)}", 12, False, "L"),
    ]
    return Generated(
        "nmo",
        {
            "kind": "nmo_module" if module else "nmo_event",
            "programme": topic,
            "zet": str(zet),
            "activity_number": number,
            "date": issued.isoformat(),
            "organisation": organisation,
        },
        pdf=_pdf(lines),
    )


def scan_of(doc: Generated, rng: random.Random, *, dpi: int | None = None) -> Generated:
    """Rasterise the document's PDF as a scanner or a phone would: a skew, at times a
    quarter turn, noise and blur; saved as JPEG, PNG or an image PDF."""
    import pypdfium2
    from PIL import Image, ImageFilter

    doc.dpi = dpi or rng.choice((150, 200, 240, 300))
    pdf = pypdfium2.PdfDocument(doc.pdf)
    try:
        image = pdf[0].render(scale=doc.dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    skew = rng.uniform(-2.5, 2.5)
    image = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=245)
    doc.notes.append(f"skew {skew:+.1f}°")
    turn = rng.random()
    if turn < 0.15:
        image = image.transpose(Image.Transpose.ROTATE_90)
        doc.notes.append("turned 90°")
    elif turn < 0.25:
        image = image.transpose(Image.Transpose.ROTATE_180)
        doc.notes.append("turned 180°")
    if rng.random() < 0.5:
        noise = Image.effect_noise(image.size, rng.uniform(20, 45))
        image = Image.blend(image, noise, rng.uniform(0.08, 0.16))
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
        doc.notes.append("noisy")
    out = io.BytesIO()
    form = rng.choice(("jpeg", "png", "pdf"))
    if form == "png":
        image.save(out, "PNG", optimize=False)
        doc.scan_name = "скан.png"
    else:
        image.save(out, "JPEG", quality=rng.choice((70, 85, 92)), dpi=(doc.dpi, doc.dpi))
        doc.scan_name = "скан.jpg"
    doc.scan = out.getvalue()
    if form == "pdf":
        doc.scan = img2pdf.convert(doc.scan)
        doc.scan_name = "скан.pdf"
    return doc


def documents(count: int, seed: int = 24) -> list[Generated]:
    """`count` scans, alternately удостоверения о ПК and НМО certificates."""
    rng = random.Random(seed)
    made = []
    for i in range(count):
        doc = pk_document(rng) if i % 2 == 0 else nmo_document(rng)
        made.append(scan_of(doc, rng))
    return made


# Set under xdist to the folder the run's workers share (tests/conftest.py).
RUN_FOLDER = "FRMR_TEST_RUN_FOLDER"

# The first scan of this seed lies on its side, skewed by 2.5° (Tesseract splits lines tilted
# by 2° into columns), without noise: Pillow's noise comes from C's rand(), not from the seed,
# so a noisy scan differs with what ran before it in the process.
TURNED_SEED = 220


def turned_scan_read() -> tuple[Generated, ReadText]:
    """An удостоверение scanned at 200 dpi lying on its side and askew, and the reader's
    reading of it. Made and read once a test process (seconds of OCR) for every module that
    checks a reading; each caller gets its own copy, so no test can change another's."""
    return copy.deepcopy(_turned_scan_read())


@functools.cache
def _turned_scan_read() -> tuple[Generated, ReadText]:
    """Under xdist, read by the first worker that asks and kept for the run's others (each
    of its modules on another worker read it again: 2.6 s of CPU); the file is the run's,
    in the folder of its workers' temporary folders (tests/conftest.py)."""
    shared = os.environ.get(RUN_FOLDER)
    if shared is None:
        return _read_turned_scan()
    kept = Path(shared) / "turned-scan-read.pickle"
    with open(kept.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.exists():
            read: tuple[Generated, ReadText] = pickle.loads(kept.read_bytes())
            return read
        made = _read_turned_scan()
        part = kept.with_suffix(".part")
        part.write_bytes(pickle.dumps(made))
        part.rename(kept)
        return made


def _read_turned_scan() -> tuple[Generated, ReadText]:
    from frmr.model.documents.ocr.reader import Reader, find_tessdata
    from frmr.model.rules.filetypes import sniff

    rng = random.Random(TURNED_SEED)
    doc = scan_of(pk_document(rng), rng, dpi=200)
    assert doc.notes[:2] == ["skew -2.5°", "turned 90°"], doc.notes
    kind = sniff(doc.scan[:64])
    assert kind is not None
    with Reader(find_tessdata()) as reader:
        read = reader.read(doc.scan, kind, max_pages=2, max_seconds=60)
    return doc, read

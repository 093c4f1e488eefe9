"""The report's PDF and DOCX: content in order, Cyrillic, layout, variants, long text, attaching."""

from __future__ import annotations

import io
import os
import re
import subprocess
from bisect import bisect_left
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from frmr.model.applications.lifecycle import new_application
from frmr.model.documents.library import attach_files
from frmr.model.portfolio.edits import add_row
from frmr.model.profile.card import update_profile
from frmr.model.report.blocks import BLOCKS
from frmr.model.report.document import VARIANT_NOTES, ReportDocument, build_document
from frmr.model.report.docx_file import render_docx
from frmr.model.report.output import REPORT_TITLE, attach_report, produce_docx, produce_pdf
from frmr.model.report.pdf_file import render_pdf
from frmr.model.report.record import load_report, update_report
from frmr.model.rules.errors import UploadLimitExceeded
from frmr.model.store.account import Account
from frmr.model.store.tables import ReportVariant
from tests.samples import make_pdf
from tests.support.reads import stored_application

TODAY = date(2026, 11, 26)
CREATED = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SNAPSHOT = Path(__file__).parent / "snapshots" / "report_page1.png"
# Share of pixels of page one allowed to differ from the snapshot (antialiasing of another
# poppler build); a moved line or a changed word changes far more.
SNAPSHOT_TOLERANCE = 0.002

BLOCK_TEXTS = {
    "organization_text": "Многопрофильная городская больница на 850 коек.",
    "department_text": "Терапевтическое отделение поликлиники, 14 участков.",
    "experience_text": "Стаж по специальности «Терапия» — с 2015 года.",
    "duties": "Приём пациентов участка.\nДиспансерное наблюдение пациентов с гипертензией.",
    "achievements": "Охват диспансерным наблюдением вырос с 62 до 85 %.",
    "mentoring": "Наставник двух молодых участковых терапевтов.",
    "proposals": "Ввести дистанционное наблюдение пациентов с гипертензией.",
}


@pytest.fixture
def filled(account: Account) -> Account:
    update_profile(
        account, {"last_name": "Иванова", "first_name": "Мария", "patronymic": "Петровна"}
    )
    add_row(
        account,
        "employment",
        {
            "organization": "ГБУЗ «ГКБ № 1»",
            "department": "Терапевтическое отделение",
            "position": "Врач-терапевт участковый",
            "position_type": "main",
            "begin_date": "01.09.2015",
        },
    )
    update_report(
        account,
        {
            **BLOCK_TEXTS,
            "variant": "agreed",
            "signer_name": "Сидоров Алексей Николаевич",
            "signer_position": "Главный врач",
        },
        TODAY,
    )
    return account


def _words(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _pdf_pages(path: Path, pages: int) -> list[str]:
    """Each page's text, from one pdftotext run (it ends every page with a form feed)."""
    texts = _pdf_text(path).split("\f")
    assert texts[-1] == "" and len(texts) == pages + 1
    return texts[:-1]


def _in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(_words(needle), position)
        assert found >= 0, f"{needle!r} missing after offset {position}"
        position = found + len(_words(needle))


def _expected_order() -> list[str]:
    return [
        "ОТЧЁТ",
        "о профессиональной деятельности",
        "Иванова Мария Петровна, Врач-терапевт участковый",
        "за период с 26.11.2021 по 26.11.2026",
        "Организация: ГБУЗ «ГКБ № 1»",
        "Подразделение: Терапевтическое отделение",
        "Должность: Врач-терапевт участковый",
        "Стаж работы: 11 лет 2 месяца 26 дней",
        *(
            part
            for number, block in enumerate(BLOCKS, 1)
            for part in (f"{number}. {block.title}", *BLOCK_TEXTS[block.name].split("\n"))
        ),
        "М.П. Иванова",
        "СОГЛАСОВАНО",
        "Главный врач",
        "А.Н. Сидоров",
    ]


def test_pdf_holds_every_fact_and_block_in_order_in_cyrillic(
    filled: Account, tmp_path: Path
) -> None:
    produced = produce_pdf(filled, tmp_path, TODAY)
    assert produced.path.name == ("Иванова М.П. отчёт о профессиональной деятельности на 1 л.pdf")
    assert produced.path.read_bytes().startswith(b"%PDF-")
    assert os.stat(produced.path).st_mode & 0o777 == 0o600
    _in_order(_words(_pdf_text(produced.path)), _expected_order())
    fonts = subprocess.run(
        ["pdffonts", str(produced.path)], check=True, capture_output=True, text=True
    ).stdout
    assert "PTSerif" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # embedded


def test_the_same_report_gives_the_same_bytes(filled: Account) -> None:
    document = build_document(load_report(filled, TODAY))
    assert render_pdf(document, CREATED).data == render_pdf(document, CREATED).data


def test_page_one_at_100_dpi_matches_the_snapshot(filled: Account, tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(build_document(load_report(filled, TODAY)), CREATED).data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    assert page.size == (827, 1170)  # A4 at 100 dpi
    if os.environ.get("FRMR_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        page.save(SNAPSHOT)
    expected = Image.open(SNAPSHOT).convert("L")
    diff = ImageChops.difference(page, expected).point(lambda v: 255 if v > 64 else 0)
    changed = diff.histogram()[255] / (page.size[0] * page.size[1])
    assert changed <= SNAPSHOT_TOLERANCE


def test_margins_follow_gost(filled: Account, tmp_path: Path) -> None:
    """The text starts 30 mm from the left edge and 20 mm from the top (ГОСТ Р 7.0.97)."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(build_document(load_report(filled, TODAY)), CREATED).data)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = [
        tuple(map(float, box))
        for box in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox
        )
    ]
    mm = 72 / 25.4
    assert min(w[0] for w in words) == pytest.approx(30 * mm, abs=1.5)
    # Glyph boxes reach a little above the line they sit on: 1 mm of slack.
    assert min(w[1] for w in words) >= 19 * mm
    assert max(w[2] for w in words) <= (210 - 10) * mm + 1


def test_page_numbers_sit_centred_in_the_top_margin(filled: Account, tmp_path: Path) -> None:
    """ГОСТ Р 7.0.97: from page 2, in the middle of the top margin, ≥ 10 mm from the edge."""
    update_report(filled, {"duties": "Приём пациентов участка. " * 400}, TODAY)
    produced = produce_pdf(filled, tmp_path, TODAY)
    assert produced.pages is not None and produced.pages >= 2
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", str(produced.path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    top = min(
        (float(y0), float(x0), float(x1), float(y1), text)
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            bbox,
        )
    )
    _y0, x0, x1, y1, text = top
    mm = 72 / 25.4
    assert text == "2"
    assert y1 <= 20 * mm  # inside the top margin, above the text
    # Centred between the margins (30 mm left, 10 mm right) of the 210 mm page.
    assert (x0 + x1) / 2 == pytest.approx((30 + (210 - 10)) / 2 * mm, abs=1)
    # The ink, not the font's ascender box pdftotext reports: the first dark row of page 2.
    from PIL import Image

    subprocess.run(
        [
            *("pdftoppm", "-r", "100", "-f", "2", "-l", "2", "-png", "-singlefile"),
            *(str(produced.path), str(tmp_path / "p2")),
        ],
        check=True,
    )
    page = Image.open(tmp_path / "p2.png").convert("L")
    first_dark = next(
        y
        for y in range(page.size[1])
        if min(page.crop((0, y, page.size[0], y + 1)).getdata()) < 128
    )
    assert first_dark / 100 * 25.4 >= 10


def test_docx_reads_back_with_the_same_content_and_layout(filled: Account, tmp_path: Path) -> None:
    import docx

    produced = produce_docx(filled, tmp_path / "report.docx", TODAY)
    doc = docx.Document(str(produced.path))
    text = _words("\n".join(p.text for p in doc.paragraphs))
    _in_order(text, _expected_order())
    section = doc.sections[0]
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    # Word stores twips: a millimetre comes back within a twip.
    assert [round(m.mm, 1) for m in margins if m is not None] == [30, 10, 20, 20]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert doc.styles["Normal"].font.name == "Times New Roman"  # type: ignore[union-attr]
    assert doc.core_properties.author == "Иванова Мария Петровна"


@pytest.mark.parametrize("variant", list(ReportVariant))
def test_each_variant_prints_its_own_signature_wording(
    filled: Account, tmp_path: Path, variant: ReportVariant
) -> None:
    import docx

    update_report(filled, {"variant": variant.value}, TODAY)
    document = build_document(load_report(filled, TODAY))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(document, CREATED).data)
    pdf_text = _words(_pdf_text(pdf))
    (tmp_path / "report.docx").write_bytes(render_docx(document, CREATED))
    docx_text = _words(
        "\n".join(p.text for p in docx.Document(str(tmp_path / "report.docx")).paragraphs)
    )
    for text in (pdf_text, docx_text):
        assert "М.П. Иванова" in text
        if variant is ReportVariant.AGREED:
            assert "СОГЛАСОВАНО" in text and "А.Н. Сидоров" in text
        else:
            assert _words(VARIANT_NOTES[variant]) in text
            assert "СОГЛАСОВАНО" not in text
        # The head signs an agreement or a refusal, nobody else's name belongs there.
        shows_head = "А.Н. Сидоров" in text
        assert shows_head == (variant in (ReportVariant.AGREED, ReportVariant.REFUSED))


def test_twenty_thousand_characters_flow_across_numbered_pages(
    filled: Account, tmp_path: Path
) -> None:
    words = [f"наблюдение{n}" for n in range(1800)]
    long_text = " ".join(words)[:20000].rsplit(" ", 1)[0]
    update_report(filled, {"duties": long_text}, TODAY)
    produced = produce_pdf(filled, tmp_path, TODAY)
    assert produced.pages is not None and produced.pages >= 4
    pages = [page.split() for page in _pdf_pages(produced.path, produced.pages)]
    assert pages[0][0] == "ОТЧЁТ"  # no number on page one
    for number, words_on_page in enumerate(pages[1:], 2):
        assert words_on_page[0] == str(number)
    text = " ".join(" ".join(page[1:] if n else page) for n, page in enumerate(pages))
    assert _words(long_text) in text
    last = long_text.split()[-1]
    _in_order(
        text,
        ["4. Функциональные обязанности", words[0], last, "5. Профессиональные", "СОГЛАСОВАНО"],
    )
    rendered = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(produced.path), str(tmp_path / "p")],
        capture_output=True,
        text=True,
    )
    assert rendered.returncode == 0 and rendered.stderr == ""
    assert len(list(tmp_path.glob("p-*.png"))) == produced.pages


def _app(account: Account) -> str:
    return new_application(
        account, specialty="Терапия", phone="+79123456789", email="a@b.ru"
    ).app.id


def test_attaching_the_report_is_one_item_replaced_on_a_new_version(filled: Account) -> None:
    app_id = _app(filled)
    first = attach_report(filled, app_id, TODAY)
    assert first.title == REPORT_TITLE and first.kind.value == "pdf"
    update_report(filled, {"mentoring": "Руководство практикой ординаторов."}, TODAY)
    second = attach_report(filled, app_id, TODAY)
    assert second.id != first.id
    docs = stored_application(filled, app_id).documents
    assert [d.id for d in docs] == [second.id]
    assert attach_report(filled, app_id, TODAY).id == second.id
    assert len(stored_application(filled, app_id).documents) == 1


def test_the_report_counts_against_the_five_files(filled: Account, tmp_path: Path) -> None:
    app_id = _app(filled)
    attach_files(filled, app_id, [make_pdf(tmp_path / f"d{n}.pdf") for n in range(5)])
    with pytest.raises(UploadLimitExceeded):
        attach_report(filled, app_id, TODAY)
    assert len(stored_application(filled, app_id).documents) == 5


def test_the_signatures_never_stand_alone_on_a_page(filled: Account, tmp_path: Path) -> None:
    """However long the report, the page with «СОГЛАСОВАНО» also holds the last paragraph
    and every signature: one duty more or less moves the page break across the block.
    Every length from a report of one page to one of two, where the break crosses it."""
    on_the_first_page = moved_to_a_later_page = False
    for duties in range(12, 24):
        text = "\n".join(f"Обязанность номер {n}: приём и наблюдение." for n in range(duties))
        update_report(filled, {"duties": text}, TODAY)
        rendered = render_pdf(build_document(load_report(filled, TODAY)), CREATED)
        pdf = tmp_path / f"report-{duties}.pdf"
        pdf.write_bytes(rendered.data)
        pages = [_words(page) for page in _pdf_pages(pdf, rendered.pages)]
        [signed] = [n for n, page in enumerate(pages, 1) if "СОГЛАСОВАНО" in page]
        page = pages[signed - 1]
        assert "М.П. Иванова" in page and "А.Н. Сидоров" in page, (duties, page)
        assert "Ввести дистанционное наблюдение" in page, (duties, page)
        on_the_first_page |= signed == 1
        moved_to_a_later_page |= signed > 1
    assert on_the_first_page and moved_to_a_later_page  # the range crossed a page break


def test_the_docx_keeps_the_last_paragraph_and_the_signatures_on_one_page(
    filled: Account, tmp_path: Path
) -> None:
    """No word processor runs here: at the length where the PDF moves the block to the next
    page (the break falls inside it), every paragraph from the last one of the body to the
    last date stays whole and goes with the next, which is how Word and LibreOffice are told
    to move the block, not a part of it."""
    import docx

    documents: dict[int, tuple[ReportDocument, int]] = {}

    def signed_page(duties: int) -> int:
        if duties not in documents:
            text = "\n".join(f"Обязанность номер {n}: приём и наблюдение." for n in range(duties))
            update_report(filled, {"duties": text}, TODAY)
            document = build_document(load_report(filled, TODAY))
            rendered = render_pdf(document, CREATED)
            pdf = tmp_path / f"report-{duties}.pdf"
            pdf.write_bytes(rendered.data)
            pages = [_words(page) for page in _pdf_pages(pdf, rendered.pages)]
            [signed] = [n for n, page in enumerate(pages, 1) if "СОГЛАСОВАНО" in page]
            documents[duties] = (document, signed)
        return documents[duties][1]

    # A longer report never brings the signatures to an earlier page: the first length that
    # moves them is found by halving the range, and its neighbour checked.
    lengths = range(2, 52, 2)
    first_page = signed_page(lengths[0])
    moved = bisect_left(lengths, True, key=lambda duties: signed_page(duties) > first_page)
    if moved == len(lengths):
        raise AssertionError("no length in the range moves the signatures to the next page")
    assert signed_page(lengths[moved - 1]) < signed_page(lengths[moved])
    document = documents[lengths[moved]][0]
    paragraphs = docx.Document(io.BytesIO(render_docx(document, CREATED))).paragraphs
    first = max(i for i, p in enumerate(paragraphs) if "Ввести дистанционное наблюдение" in p.text)
    block = paragraphs[first:]
    assert [p.text.split("\t")[0] for p in block if "СОГЛАСОВАНО" in p.text] == ["СОГЛАСОВАНО"]
    assert all(p.paragraph_format.keep_together for p in block)
    assert [bool(p.paragraph_format.keep_with_next) for p in block] == [True] * (len(block) - 1) + [
        False
    ]
    # The paragraph before the block may break from it: only the block is held together.
    assert not paragraphs[first - 1].paragraph_format.keep_together

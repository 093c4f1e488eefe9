"""What the printed report says, once for the PDF and the DOCX: title, facts, blocks, signatures.

Layout rules from ГОСТ Р 7.0.97 «Организационно-распорядительная документация. Требования к
оформлению документов»: the 2016 edition (in force 01.07.2018) until 18.08.2025, since then
ГОСТ Р 7.0.97-2025, whose changes the reviews list as a QR-code requisite, the typeface, the
date and the signature's initials, with no fundamental change to the rest (1С:
https://v8.1c.ru/metod/article/novyy-gost-r-7-0-97-2025-izmeneniya-v-oformlenii-dokumentov.htm ;
delo-press.ru, «ГОСТ Р 7.0.97-2025 на оформление документов: изменения в 2025 году»).
Neither edition's own text was in the searchable copies, so the rules below come from
secondary sources that quote the 2016 one, and no clause numbers are given:
- A4; margins of at least 20 mm left, 10 mm right, 20 mm top and bottom, and at least
  30 mm left for documents kept over ten years — the report is kept in the personnel file
  and the accreditation file, so 30 mm here
  (https://www.dvenashka.ru/2021/12/gost-o-blankah-dokumentov.html ;
  https://profiz.ru/sr/4_2025/blanki_ne_po_GOST);
- from the second page, page numbers in the middle of the top margin, at least 10 mm from
  the top edge
  (http://dlynaroda.ru/index.php/trudovoe/deloproizvodstvo/trebovaniya-k-oformleniyu-dokumentov ;
  http://www.consultant.ru./document/cons_doc_LAW_382536/26f4b25df0255f0acc2105e8aa48427f3797bb4f/);
- freely distributed free fonts of 12–14 pt (the 2016 edition as amended; the 2025 one
  leaves the typeface to the organisation and keeps 12–14 pt: same dlynaroda.ru page;
  https://www.klerk.ru/user/1971733/658276/);
- the signature as position, signature and «И.О. Фамилия», and the agreement as
  «СОГЛАСОВАНО» with the position, signature, «И.О. Фамилия» and date of the one who
  agrees: the standard's requisites «Подпись» and «Гриф согласования» as commonly
  described; their exact wording in the 2025 edition (which refines the initials in a
  signature) was not verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from frmr.model.report.blocks import BLOCKS
from frmr.model.report.variant import ReportVariant
from frmr.model.report.view import ReportRecord, ReportView
from frmr.model.rules.dates import format_date

# ГОСТ Р 7.0.97 (see the module docstring): the margins, the size, the first-page-less numbers.
PAGE_SIZE = "A4"
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 10.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
PAGE_NUMBER_TOP_MM = 10.0
FONT_SIZE_PT = 12.0
TITLE_SIZE_PT = 14.0
PARAGRAPH_INDENT_MM = 12.5
LINE_SPACING = 1.15

TITLE = "ОТЧЁТ"
SUBTITLE = "о профессиональной деятельности"
BLANK_DATE = "«___» ____________ 20___ г."
SIGNATURE_LINE = "________________"

VARIANT_NOTES: dict[ReportVariant, str] = {
    ReportVariant.AGREED: "",
    ReportVariant.REFUSED: (
        "Руководитель организации отказал в согласовании отчёта. Мотивированный отказ прилагается."
    ),
    ReportVariant.NOT_WORKING: (
        "Отчёт не согласован руководителем: на дату подачи специалист "
        "не осуществляет профессиональную деятельность."
    ),
    ReportVariant.HEAD: (
        "Отчёт не требует согласования: специалист является руководителем организации."
    ),
    ReportVariant.SOLE_PROPRIETOR: (
        "Отчёт не требует согласования: специалист осуществляет медицинскую деятельность "
        "в качестве индивидуального предпринимателя."
    ),
}

Kind = Literal["fact", "heading", "text", "note", "caption", "sign", "date"]


@dataclass(frozen=True)
class Element:
    """One line or paragraph of the document; `sign` rows put `left` and `right` apart."""

    kind: Kind
    text: str = ""
    left: str = ""
    right: str = ""


@dataclass(frozen=True)
class ReportDocument:
    author: str
    heading: str
    period: str
    body: list[Element] = field(default_factory=list)
    signatures: list[Element] = field(default_factory=list)

    def title_lines(self) -> list[tuple[str, float, bool]]:
        """The centred lines above the body: text, size in pt, bold."""
        lines = [(TITLE, TITLE_SIZE_PT, True), (SUBTITLE, TITLE_SIZE_PT, True)]
        return lines + [(line, FONT_SIZE_PT, False) for line in (self.heading, self.period) if line]

    def split_tail(self) -> tuple[list[Element], list[Element]]:
        """The body, and the tail both files keep on one page: the last paragraph with the
        signatures, since a page holding only «СОГЛАСОВАНО» and the signature lines says
        nothing of what was signed."""
        cut = len(self.body) - (1 if self.body and self.body[-1].kind == "text" else 0)
        return self.body[:cut], [*self.body[cut:], *self.signatures]

    def plain_text(self) -> str:
        """The words in reading order, as a text extraction of the output should find them."""
        lines = [TITLE, SUBTITLE, self.heading, self.period]
        for element in (*self.body, *self.signatures):
            if element.kind == "sign":
                lines.append(" ".join(p for p in (element.left, element.right) if p))
            else:
                lines.append(element.text)
        return "\n".join(line for line in lines if line)


def initials_first(full_name: str) -> str:
    """«Сидоров Алексей Николаевич» → «А.Н. Сидоров», as a signature is printed."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    surname, *names = parts
    return "".join(f"{n[0]}." for n in names) + " " + surname


def _when(d: date | None) -> str:
    return format_date(d) if d else BLANK_DATE


def _signatures(report: ReportRecord, author: str) -> list[Element]:
    rows = [
        Element("sign", left=report.position or "Специалист", right=initials_first(author)),
        Element("date", text=BLANK_DATE),
    ]
    head = [
        Element(
            "sign",
            left=report.signer_position or "Руководитель организации",
            right=initials_first(report.signer_name),
        ),
        Element("date", text=_when(report.signed_on)),
    ]
    variant = report.variant
    if variant is ReportVariant.AGREED:
        return [*rows, Element("caption", text="СОГЛАСОВАНО"), *head]
    rows.append(Element("note", text=VARIANT_NOTES[variant]))
    if variant is ReportVariant.REFUSED and (report.signer_name or report.signer_position):
        rows += head
    return rows


def build_document(view: ReportView) -> ReportDocument:
    r = view.report
    heading = ", ".join(p for p in (view.author, r.position) if p)
    specialty = f"по специальности «{view.specialty}» " if view.specialty else ""
    period = (
        f"{specialty}за период с {format_date(r.period_start)} по {format_date(r.period_end)}"
        if r.period_start and r.period_end
        else ""
    )
    body = [
        Element("fact", left="Организация", right=r.organization),
        Element("fact", left="Подразделение", right=r.department),
        Element("fact", left="Должность", right=r.position),
        Element("fact", left="Стаж работы", right=r.seniority),
    ]
    body = [
        Element("fact", text=f"{e.left}: {e.right}", left=e.left, right=e.right)
        for e in body
        if e.right
    ]
    number = 0
    for block in BLOCKS:
        text = getattr(r, block.name)
        if not text:
            continue
        number += 1
        body.append(Element("heading", text=f"{number}. {block.title}"))
        body += [Element("text", text=p.strip()) for p in text.split("\n") if p.strip()]
    return ReportDocument(
        author=view.author,
        heading=heading,
        period=period,
        body=body,
        signatures=_signatures(r, view.author),
    )

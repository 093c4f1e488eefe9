"""The report as a DOCX the HR office can edit: the same content, margins and sizes as the PDF.

python-docx writes it (maintained, pure Python, reads back what it writes, which the tests
use). The font is named, not embedded: Times New Roman, which every office suite has or
replaces by a metric twin (Liberation Serif); ГОСТ Р 7.0.97-2025 leaves the typeface to the
organisation (the 2016 edition as amended asked for freely distributed fonts, which the PDF's
embedded PT Serif is; see model/report/document.py). Imported only when a DOCX is produced.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frmr.model.report.document import (
    FONT_SIZE_PT,
    LINE_SPACING,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_NUMBER_TOP_MM,
    PARAGRAPH_INDENT_MM,
    SIGNATURE_LINE,
    SUBTITLE,
    TITLE,
    Element,
    ReportDocument,
)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

DOCX_FONT = "Times New Roman"


def _page_number_field(paragraph: Any) -> None:
    """A PAGE field: Word fills in the number of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _setup(doc: DocxDocument, document: ReportDocument, created: datetime) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.header_distance = Mm(PAGE_NUMBER_TOP_MM)
    # ГОСТ Р 7.0.97: no number on the first page, centred in the top margin on the others.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(header)

    normal: Any = doc.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(FONT_SIZE_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    normal.paragraph_format.line_spacing = LINE_SPACING
    normal.paragraph_format.space_after = Pt(0)

    props = doc.core_properties
    props.title = f"{TITLE} {SUBTITLE}"
    props.author = document.author
    props.created = props.modified = created.replace(tzinfo=None)
    props.last_modified_by = document.author
    props.revision = 1


def _centered(doc: DocxDocument, text: str, *, size: float, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _element(doc: DocxDocument, element: Element) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm

    if element.kind == "fact":
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{element.left}: ").bold = True
        paragraph.add_run(element.right)
    elif element.kind == "heading":
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Mm(2)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(element.text).bold = True
    elif element.kind in ("text", "note"):
        paragraph = doc.add_paragraph(element.text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if element.kind == "text":
            paragraph.paragraph_format.first_line_indent = Mm(PARAGRAPH_INDENT_MM)
        else:
            paragraph.paragraph_format.space_before = Mm(5)
    elif element.kind == "caption":
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Mm(5)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(element.text).bold = True
    elif element.kind == "sign":
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Mm(5)
        paragraph.paragraph_format.keep_with_next = True
        stops = paragraph.paragraph_format.tab_stops
        width = 210 - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
        stops.add_tab_stop(Mm(width * 0.45))
        stops.add_tab_stop(Mm(width), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(f"{element.left}\t{SIGNATURE_LINE}\t{element.right}")
    elif element.kind == "date":
        doc.add_paragraph(element.text)


def _keep_together(paragraphs: Sequence[Any]) -> None:
    """The tail on one page (ReportDocument.split_tail): each paragraph stays whole and goes
    with the next; the word processor moves the block, not a part."""
    for index, paragraph in enumerate(paragraphs):
        paragraph.paragraph_format.keep_together = True
        paragraph.paragraph_format.keep_with_next = index < len(paragraphs) - 1


def render_docx(document: ReportDocument, created: datetime) -> bytes:
    import docx

    doc = docx.Document()
    _setup(doc, document, created)
    for text, size, bold in document.title_lines():
        _centered(doc, text, size=size, bold=bold)
    doc.add_paragraph()
    body, tail = document.split_tail()
    for element in body:
        _element(doc, element)
    first_kept = len(doc.paragraphs)
    for element in tail:
        _element(doc, element)
    _keep_together(doc.paragraphs[first_kept:])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_docx(document: ReportDocument, path: Path, created: datetime) -> None:
    path.write_bytes(render_docx(document, created))

"""The report as a PDF ready to print and sign: A4, PT Serif embedded, ГОСТ Р 7.0.97 layout.

fpdf2 writes the PDF (pure Python, maintained, embeds and subsets TrueType fonts, so Cyrillic
needs no system font). The font is PT Serif from the `fontpkg-pt-serif` wheel: ParaType made
the PT family for the «Public Types of Russian Federation» project, it covers Cyrillic fully,
and the SIL Open Font License allows embedding it. Both libraries are imported only here,
when a report is produced, so nothing else (the TUI's startup above all) pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from frmr.model.report.document import (
    FONT_SIZE_PT,
    LINE_SPACING,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_NUMBER_TOP_MM,
    PAGE_SIZE,
    PARAGRAPH_INDENT_MM,
    SIGNATURE_LINE,
    SUBTITLE,
    TITLE,
    Element,
    ReportDocument,
)

if TYPE_CHECKING:
    from fpdf import FPDF

FAMILY = "PTSerif"
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def _font_files() -> dict[str, Path]:
    import fontpkg_pt_serif

    files = Path(fontpkg_pt_serif.ROOT) / "files"
    return {"": files / "PT_Serif-Web-Regular.ttf", "B": files / "PT_Serif-Web-Bold.ttf"}


def _line_height() -> float:
    return FONT_SIZE_PT * LINE_SPACING / PT_PER_MM


def _make_pdf(title: str, author: str, created: datetime) -> FPDF:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    class GostPdf(FPDF):
        def header(self) -> None:
            # ГОСТ Р 7.0.97: numbers from page 2, centred in the top margin, 10 mm down.
            if self.page_no() < 2:
                return
            self.set_y(PAGE_NUMBER_TOP_MM)
            self.set_font(FAMILY, "", FONT_SIZE_PT)
            self.cell(0, _line_height(), str(self.page_no()), align="C")
            self.set_y(MARGIN_TOP_MM)

    pdf = GostPdf(orientation="P", unit="mm", format=PAGE_SIZE)
    for style, path in _font_files().items():
        pdf.add_font(FAMILY, style, str(path))
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            # Subsetting keeps each glyph's outline, so its bounds stand; recalculating them
            # (fontTools' default when a font is opened, not its subsetter's) decoded and
            # recompiled every glyph kept: a third of a warm report (95 → 63 ms), for the
            # same pixels.
            font.ttfont.recalcBBoxes = False
    pdf.set_margins(MARGIN_LEFT_MM, MARGIN_TOP_MM, MARGIN_RIGHT_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM_MM)
    # The margins are where the text begins: no extra padding inside cells.
    pdf.c_margin = 0
    # A fixed creation date makes the same report give the same bytes (and the same blob).
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("frmr")
    pdf.set_lang("ru")
    return pdf


def _centered(pdf: FPDF, text: str, *, size: float, bold: bool = False) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, size * LINE_SPACING / PT_PER_MM, text, align="C", new_x="LMARGIN")


class _Widths:
    """Widths in the body face (regular, FONT_SIZE_PT), each character measured once.

    Without text shaping fpdf2 measures a string as the sum of its characters' widths
    (`TTFFont.get_text_width`), so this gives the same numbers at a fraction of the cost of
    one `get_string_width` call per word. One instance serves the whole document: a
    paragraph of its own measured the same alphabet again, 1,300 calls for a full report.
    """

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.chars: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        chars = self.chars
        total = 0.0
        for ch in text:
            w = chars.get(ch)
            if w is None:
                w = chars[ch] = self.pdf.get_string_width(ch)
            total += w
        return total


def _fit(measure: _Widths, word: str, width: float) -> list[str]:
    """A word wider than a line, cut into pieces that fit (a long URL, a run of dashes)."""
    pieces, piece, used = [], "", 0.0
    for ch in word:
        w = measure(ch)
        if piece and used + w > width:
            pieces.append(piece)
            piece, used = "", 0.0
        piece += ch
        used += w
    return [*pieces, piece] if piece else pieces


def _lines(
    measure: _Widths, text: str, first: float, width: float
) -> list[list[tuple[str, float]]]:
    """Greedy line breaking on words measured once each.

    fpdf2's own breaking re-measures the whole line for every character it adds, so a
    line costs the square of its length: 80 % of producing a long report went there.
    """
    space = measure(" ")
    lines: list[list[tuple[str, float]]] = [[]]
    used, limit = 0.0, first
    for raw in text.split():
        measured = [(raw, measure(raw))]
        if measured[0][1] > width:
            measured = [(p, measure(p)) for p in _fit(measure, raw, width)]
        for word, w in measured:
            needed = w if not lines[-1] else used + space + w
            if lines[-1] and needed > limit:
                lines.append([])
                used, limit, needed = 0.0, width, w
            lines[-1].append((word, w))
            used = needed
    return lines


def _paragraph(
    pdf: FPDF, measure: _Widths, text: str, *, indent: float = PARAGRAPH_INDENT_MM
) -> None:
    """A justified paragraph with a first-line indent, words placed one by one.

    One `text()` per word: fpdf2 justifies only inside `multi_cell` (whose line breaking is
    what this module avoids) and refuses a justified `cell`, and a TrueType font embedded as
    Identity-H ignores the PDF's word spacing operator, so there is no public call that
    places a whole justified line.
    """
    pdf.set_font(FAMILY, "", FONT_SIZE_PT)
    height = _line_height()
    width = pdf.epw
    space = measure(" ")
    lines = _lines(measure, text, width - indent, width)
    for number, line in enumerate(lines):
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        baseline = y + height / 2 + 0.3 * pdf.font_size
        x = pdf.l_margin + (indent if number == 0 else 0)
        avail = width - (indent if number == 0 else 0)
        last = number == len(lines) - 1
        gap = space
        if not last and len(line) > 1:
            gap = (avail - sum(w for _, w in line)) / (len(line) - 1)
        for word, w in line:
            pdf.text(x, baseline, word)
            x += w + gap
        pdf.set_xy(pdf.l_margin, y + height)


def _sign(pdf: FPDF, element: Element) -> None:
    height = _line_height()
    pdf.ln(height)
    pdf.set_font(FAMILY, "", FONT_SIZE_PT)
    width = pdf.epw
    left_w = width * 0.45
    # Keep a signature row with its date on one page.
    if pdf.will_page_break(height * 3):
        pdf.add_page()
    pdf.multi_cell(left_w, height, element.left, align="L", new_x="RIGHT", new_y="TOP")
    pdf.cell(width * 0.25, height, SIGNATURE_LINE, align="C")
    pdf.cell(0, height, element.right, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin)
    rows = len(pdf.multi_cell(left_w, height, element.left, dry_run=True, output="LINES"))  # type: ignore[arg-type]
    if rows > 1:
        pdf.ln(height * (rows - 1))


def _element(pdf: FPDF, measure: _Widths, element: Element) -> None:
    height = _line_height()
    if element.kind == "fact":
        pdf.set_font(FAMILY, "B", FONT_SIZE_PT)
        pdf.write(height, f"{element.left}: ")
        pdf.set_font(FAMILY, "", FONT_SIZE_PT)
        pdf.write(height, element.right)
        pdf.ln(height)
    elif element.kind == "heading":
        pdf.ln(height / 2)
        if pdf.will_page_break(height * 3):
            pdf.add_page()
        pdf.set_font(FAMILY, "B", FONT_SIZE_PT)
        pdf.multi_cell(0, height, element.text, align="L", new_x="LMARGIN")
    elif element.kind == "text":
        _paragraph(pdf, measure, element.text)
    elif element.kind == "note":
        pdf.ln(height)
        _paragraph(pdf, measure, element.text, indent=0)
    elif element.kind == "caption":
        pdf.ln(height)
        if pdf.will_page_break(height * 5):
            pdf.add_page()
        pdf.set_font(FAMILY, "B", FONT_SIZE_PT)
        pdf.cell(0, height, element.text, new_x="LMARGIN", new_y="NEXT")
    elif element.kind == "sign":
        _sign(pdf, element)
    elif element.kind == "date":
        pdf.set_font(FAMILY, "", FONT_SIZE_PT)
        pdf.cell(0, height, element.text, new_x="LMARGIN", new_y="NEXT")


def render_pdf(document: ReportDocument, created: datetime) -> RenderedPdf:
    title = f"{TITLE} {SUBTITLE}"
    pdf = _make_pdf(title, document.author, created)
    pdf.add_page()
    for text, size, bold in document.title_lines():
        _centered(pdf, text, size=size, bold=bold)
    pdf.ln(_line_height())
    measure = _Widths(pdf)
    body, tail = document.split_tail()
    for element in body:
        _element(pdf, measure, element)
    # The tail (ReportDocument.split_tail) is laid out on a trial copy first: when it would
    # break across pages, it starts on a new one.
    # `measure` reads the real document's font: the paragraphs' one during the trial too.
    pdf.set_font(FAMILY, "", FONT_SIZE_PT)
    with pdf.offset_rendering() as trial:
        # The recorder replays every call on a copy of the document; it is not an FPDF.
        for element in tail:
            _element(cast("FPDF", trial), measure, element)
    if trial.page_break_triggered:
        pdf.add_page()
    for element in tail:
        _element(pdf, measure, element)
    data: Any = pdf.output()
    return RenderedPdf(bytes(data), pdf.pages_count)

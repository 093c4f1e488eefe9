"""A document's text, read on this machine: a PDF's own text layer, or Tesseract's reading of
each scanned page.

pypdfium2 (PDFium, the PDF engine of Chromium, as a wheel) gives a text PDF's text and
renders a scanned PDF's pages; tesserocr drives Tesseract's C API in this process, with the
Russian model loaded once per reader instead of once per page (bench/ocr_engines.py: why
not pytesseract). Nothing leaves the machine. A page whose text is upside down or turned a
quarter is turned back by Tesseract's orientation detection (the `osd` model).

Limits: at most `max_pages` pages are read, and the reading stops at the page under way
when `max_seconds` have gone; the result says how far it got, so nothing is taken for
read that was not.
"""

from __future__ import annotations

import functools
import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from frmr.model.rules.errors import FrmrError
from frmr.model.rules.filetypes import FileKind

if TYPE_CHECKING:
    from PIL import Image

# Tesseract reads best at about 300 dpi; a scanned PDF's pages are rendered at that.
RENDER_DPI = 300
# A page's text layer shorter than this is a scan with stray text (a stamp, a footer).
MIN_TEXT_CHARS = 40
# An A4 page's sides at 300 dpi, in pixels: a smaller scan is enlarged until it fills them.
A4_SHORT_SIDE = 2480
A4_LONG_SIDE = 3508
# Skews searched: ±4°, by whole degrees and then by quarter degrees around the sharpest.
# On the 36 pages of bench/ocr_documents.py it finds the angle the search of every quarter
# degree found, with 15 rotations instead of 33.
SKEW_LIMIT = 4.0
SKEW_COARSE_STEP = 1.0
SKEW_STEP = 0.25
# Tesseract's own orientation guess is trusted from this confidence on.
MIN_OSD_CONFIDENCE = 1.5


# Where Debian (tesseract-ocr-rus), Fedora, Homebrew and a source build put the models.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tesseract/tessdata",
    "/usr/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tessdata",
)


class OcrUnavailable(FrmrError):
    """Tesseract's Russian model is not installed: nothing can be read until it is."""

    code = "ocr_unavailable"


def find_tessdata(configured: str = "") -> str:
    """The folder holding rus.traineddata and osd.traineddata: the setting, then
    TESSDATA_PREFIX, then the system's usual places."""
    import os

    candidates = [configured, os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and all(
            os.path.isfile(os.path.join(folder, f"{model}.traineddata")) for model in ("rus", "osd")
        ):
            return folder
    raise OcrUnavailable(
        "Не найдена русская модель распознавания Tesseract",
        f"no tessdata with rus and osd in {[c for c in candidates if c]}",
        fix="Установите её: sudo apt install tesseract-ocr tesseract-ocr-rus "
        "(или укажите папку в настройке tessdata_dir)",
    )


class PageTimeout(Exception):
    """Tesseract stopped a page at the time cap."""


class Stop(Exception):
    """Raised by a progress callback to end the reading (the daemon stopping)."""


@dataclass(frozen=True)
class Word:
    """A word as read, its offset in the page text, Tesseract's confidence (0–100) and
    where it stands on the upright page (left, top, right, bottom in pixels)."""

    start: int
    end: int
    confidence: float
    box: tuple[int, int, int, int] | None = None


@dataclass
class PageText:
    text: str
    # Empty for a text layer: its words are what the PDF says, with no doubt.
    words: list[Word] = field(default_factory=list)
    ocr: bool = False
    # How the scan was set upright before reading (see `upright`): the words' boxes are on
    # that image, which is `size` pixels.
    turned: int = 0
    skew: float = 0.0
    size: tuple[int, int] = (0, 0)

    def confidence(self, start: int, end: int) -> float:
        """The least confidence (0–1) among the words of text[start:end]; 1 for a text layer."""
        if not self.ocr:
            return 1.0
        inside = [w.confidence for w in self.words if w.end > start and w.start < end]
        return min(inside) / 100 if inside else 0.0


@dataclass
class ReadText:
    pages: list[PageText]
    page_count: int
    # Why the reading stopped before the last page: "pages" or "time"; None when it did not.
    cut: str | None = None
    seconds: float = 0.0

    @property
    def ocr(self) -> bool:
        return any(p.ocr for p in self.pages)


@dataclass(frozen=True)
class ReadStep:
    page: int
    pages: int


Progress = Callable[[ReadStep], None]


def _no_progress(_step: ReadStep) -> None:
    return None


class Reader:
    """One Tesseract engine, for one thread at a time: the daemon's OCR worker holds one."""

    def __init__(self, tessdata: str, language: str = "rus") -> None:
        import tesserocr

        self._tesserocr = tesserocr
        path = tessdata
        # One column of text: the automatic layout split a wrapped line into "columns" and
        # interleaved them.
        self.api = tesserocr.PyTessBaseAPI(
            path=path, lang=language, psm=tesserocr.PSM.SINGLE_COLUMN
        )
        self.osd = tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)

    def close(self) -> None:
        self.api.End()
        self.osd.End()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def read(
        self,
        data: bytes,
        kind: FileKind,
        *,
        max_pages: int,
        max_seconds: float,
        progress: Progress = _no_progress,
    ) -> ReadText:
        began = time.monotonic()
        pages: list[PageText] = []
        sources = list(_pages(data, kind)) if kind is not FileKind.PDF else None
        if sources is not None:
            total = len(sources)
            items: Iterator[tuple[str | None, Callable[[], Image.Image]]] = iter(sources)
        else:
            total, items = _pdf_pages(data)
        cut: str | None = None
        try:
            for number, (text, render) in enumerate(items, start=1):
                if number > max_pages:
                    cut = "pages"
                    break
                if pages and time.monotonic() - began > max_seconds:
                    cut = "time"
                    break
                # Before the page: the daemon shows the page under way, and may stop here.
                progress(ReadStep(number, min(total, max_pages)))
                if text is not None and len(text.strip()) >= MIN_TEXT_CHARS:
                    pages.append(PageText(text))
                    continue
                left = max_seconds - (time.monotonic() - began)
                try:
                    pages.append(self.ocr(render(), seconds=max(1.0, left)))
                except PageTimeout:
                    cut = "time"
                    break
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        return ReadText(pages, total, cut, time.monotonic() - began)

    def ocr(self, image: Image.Image, seconds: float = 0.0) -> PageText:
        """One page image read by Tesseract, turned upright first where it lies on a side."""
        gray = _prepared(image)
        turned = self._orientation(gray)
        if turned:
            gray = gray.rotate(turned, expand=True)
        skew = _skew(gray)
        if skew:
            gray = _deskewed(gray, skew)
        self.api.SetImage(gray)
        # Tesseract's own deadline (ms; 0 is none): one huge page cannot hold the worker.
        if not self.api.Recognize(timeout=round(seconds * 1000)):
            raise PageTimeout
        text, words = _collect(self.api, self._tesserocr)
        return PageText(text, words, ocr=True, turned=turned, skew=skew, size=gray.size)

    def _orientation(self, gray: Image.Image) -> int:
        """Degrees to rotate (counter-clockwise) so the text stands upright; 0 when unsure."""
        try:
            self.osd.SetImage(gray)
            found = self.osd.DetectOrientationScript()
        except RuntimeError:
            return 0
        if not found or found.get("orient_conf", 0.0) < MIN_OSD_CONFIDENCE:
            return 0
        return int(found.get("orient_deg", 0)) % 360


def upright(image: Image.Image, turned: int, skew: float) -> Image.Image:
    """A scanned page as Tesseract read it: prepared, turned and deskewed by the angles
    the reading recorded, so the boxes of its words fall on their words again."""
    gray = _prepared(image)
    if turned:
        gray = gray.rotate(turned, expand=True)
    return _deskewed(gray, skew) if skew else gray


def _deskewed(gray: Image.Image, skew: float) -> Image.Image:
    from PIL import Image

    return gray.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def page_image(data: bytes, kind: FileKind, number: int) -> Image.Image:
    """Page `number` (from 1) of a document as an image: a scan as it is, a PDF's page
    rendered as the reading renders it."""
    if kind is not FileKind.PDF:
        ((_text, render),) = list(_pages(data, kind))
        return render()
    _total, pages = _pdf_pages(data)
    try:
        for index, (_text, render) in enumerate(pages, start=1):
            if index == number:
                return render()
    finally:
        close = getattr(pages, "close", None)
        if close is not None:
            close()
    raise IndexError(number)


def _prepared(image: Image.Image) -> Image.Image:
    """Grey, at about 300 dpi across an A4 page (Tesseract misreads 3 for 5 and 8 at 150 dpi),
    with the sensor's speckle smoothed away. Enlarged only as far as it still fits A4 at 300
    dpi: a strip cut out of a page (a field's picture) stays near its page's resolution
    instead of growing until its short side is a page's."""
    from PIL import Image, ImageFilter

    gray = image.convert("L")
    scale = min(A4_SHORT_SIDE / min(gray.size), A4_LONG_SIDE / max(gray.size))
    if scale > 1:
        gray = gray.resize(
            (round(gray.width * scale), round(gray.height * scale)), Image.Resampling.LANCZOS
        )
    return gray.filter(ImageFilter.MedianFilter(3))


def _skew(gray: Image.Image) -> float:
    """The small angle a page was scanned askew by, from the projection profile: rows of
    text make the sharpest profile when they lie level. Tesseract splits lines tilted by
    2° into "columns" and interleaves their words."""
    from PIL import Image, ImageOps

    small = ImageOps.invert(gray.resize((gray.width // 4, gray.height // 4)))

    @functools.cache
    def sharpness(angle: float) -> float:
        rows = small.rotate(angle, resample=Image.Resampling.BILINEAR).resize(
            (1, small.height), Image.Resampling.BOX
        )
        values = list(rows.tobytes())
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values)

    def sharpest(angles: Iterable[float]) -> float:
        # A tie goes to the smaller angle: a page with no text (a blank back side) is level,
        # not turned by the first angle tried.
        return max(sorted(angles, key=abs), key=sharpness)

    coarse_steps = round(SKEW_LIMIT / SKEW_COARSE_STEP)
    coarse = sharpest(step * SKEW_COARSE_STEP for step in range(-coarse_steps, coarse_steps + 1))
    fine_steps = round(SKEW_COARSE_STEP / SKEW_STEP)
    best = sharpest(
        angle
        for angle in (coarse + step * SKEW_STEP for step in range(-fine_steps, fine_steps + 1))
        if abs(angle) <= SKEW_LIMIT
    )
    return best if abs(best) >= SKEW_STEP else 0.0


def _collect(api: object, tesserocr: object) -> tuple[str, list[Word]]:
    """The page's text, a line a row, and each word's place in it with its confidence."""
    level = tesserocr.RIL  # type: ignore[attr-defined]
    iterator = api.GetIterator()  # type: ignore[attr-defined]
    parts: list[str] = []
    words: list[Word] = []
    offset = 0
    if iterator is None:
        return "", []
    line_started = False
    while True:
        try:
            word = iterator.GetUTF8Text(level.WORD)
        except RuntimeError:
            # A page with no text at all (a blank back side): nothing to collect.
            return "".join(parts), words
        if word:
            if line_started:
                parts.append(" ")
                offset += 1
            box = iterator.BoundingBox(level.WORD)
            words.append(
                Word(
                    offset,
                    offset + len(word),
                    iterator.Confidence(level.WORD),
                    tuple(box) if box else None,
                )
            )
            parts.append(word)
            offset += len(word)
            line_started = True
        if iterator.IsAtFinalElement(level.TEXTLINE, level.WORD):
            parts.append("\n")
            offset += 1
            line_started = False
            if iterator.IsAtFinalElement(level.BLOCK, level.WORD):
                parts.append("\n")
                offset += 1
        if not iterator.Next(level.WORD):
            break
    return "".join(parts), words


def _pages(data: bytes, kind: FileKind) -> Iterator[tuple[None, Callable[[], Image.Image]]]:
    from PIL import Image, ImageOps

    def render() -> Image.Image:
        with Image.open(io.BytesIO(data)) as image:
            return ImageOps.exif_transpose(image).convert("L")

    yield None, render


def _pdf_pages(
    data: bytes,
) -> tuple[int, Iterator[tuple[str | None, Callable[[], Image.Image]]]]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)

    def pages() -> Iterator[tuple[str | None, Callable[[], Image.Image]]]:
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                text = textpage.get_text_bounded()
                textpage.close()

                def render(page: pypdfium2.PdfPage = page) -> Image.Image:
                    bitmap = page.render(scale=RENDER_DPI / 72, grayscale=True)
                    image: Image.Image = bitmap.to_pil().convert("L")
                    return image

                yield text, render
                page.close()
        finally:
            pdf.close()

    return len(pdf), pages()

"""Fitting a PDF into a byte budget by downsampling and re-encoding its page images.

Only images are touched; text, vector drawing and fonts stay as they are. Every image is
decoded and scaled once, and encoded at the first rung of a ladder of (resolution, JPEG
quality) settings in the same step; lower rungs, down to the legibility floor, are encoded
only when the first does not fit. The first rung whose total fits the budget is applied.
The work is spread over a thread pool (Pillow releases the GIL while it decodes, resizes
and encodes). pikepdf is not thread-safe, so all PDF access, and every progress callback,
stays on the calling thread.
"""

from __future__ import annotations

import io
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frmr.model.documents.packing.placement import ImagePlacement, image_placements
from frmr.model.documents.packing.progress import PackStep, Progress, no_progress

if TYPE_CHECKING:
    import pikepdf
    from PIL import Image

# Images smaller than this on either side (logos, signatures, bullets) are not worth it.
_MIN_SIDE_PX = 48
# Resizing by less than this is pointless: it blurs and saves next to nothing.
_MIN_SHRINK = 0.95
# An RGB image whose pixels are this close to grey is encoded as greyscale, a third of the
# bytes. Kept strict: a blue stamp or signature (often under 1 % of a page) keeps colour.
_GREY_CHROMA = 24
_GREY_MAX_SHARE = 0.0005
_GREY_SAMPLE_PX = 256


@dataclass(frozen=True, order=True)
class Rung:
    """One setting of the ladder: the resolution cap and the JPEG quality."""

    dpi: int
    quality: int


@dataclass(frozen=True)
class PackProfile:
    """How far the packer may go. The floor is what stays legible for a text page."""

    dpi_floor: int = 150
    # Above the floor only when asked: 150 dpi reads well on screen and in print, and every
    # byte a document takes is taken from the other files of the application (10 MiB).
    max_dpi: int = 150
    # 75 with a bilinear downscale: smaller than Ghostscript's /ebook on grey scans and more
    # legible (bench/README.md, «Packing documents»); 80 made the grey set 10 % larger.
    quality: int = 75
    min_quality: int = 30

    def ladder(self) -> list[Rung]:
        """Rungs from the most to the least faithful: resolution first, then quality."""
        rungs = [Rung(dpi, self.quality) for dpi in range(self.max_dpi, self.dpi_floor, -50)]
        quality = self.quality
        while True:
            rungs.append(Rung(self.dpi_floor, quality))
            if quality <= self.min_quality:
                return rungs
            quality = max(self.min_quality, quality - 15)


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int
    grey: bool
    dpi: float


@dataclass
class _Job:
    placement: ImagePlacement
    raw_size: int
    source: bytes | Image.Image


@dataclass(frozen=True)
class _Scaled:
    """An image's pixels at one resolution cap, kept to be encoded at each quality tried."""

    image: Image.Image
    grey: bool
    dpi: float


class Ladder:
    """Each image's pixels at each resolution of the ladder, and its encodings so far.

    An image is decoded and scaled once; a rung is encoded only when it is tried, so the
    common case (the first rung fits) costs one encode per image.
    """

    def __init__(self, pages: int, progress: Progress = no_progress) -> None:
        self.pages = pages
        self.progress = progress
        self.raw_sizes: dict[tuple[int, int], int] = {}
        self.scaled: dict[tuple[int, int], dict[int, _Scaled | None]] = {}
        self.encodings: dict[tuple[int, int], dict[Rung, Encoded | None]] = {}
        # The page (counted from 1) after which each image's pages are all done.
        self.last_page: dict[tuple[int, int], int] = {}
        self.attempts: list[Rung] = []

    def encode(self, rung: Rung) -> None:
        """Encode every image at ``rung`` (once)."""
        todo = [key for key in self.scaled if rung not in self.encodings[key]]
        if not todo:
            return
        if rung not in self.attempts:
            self.attempts.append(rung)
        attempt = self.attempts.index(rung) + 1
        done = 0
        with ThreadPoolExecutor(max_workers=_workers()) as pool:
            futures = [pool.submit(self._encode_one, key, rung) for key in todo]
            try:
                for key, future in zip(todo, futures, strict=True):
                    self.encodings[key][rung] = future.result()
                    done = max(done, self.last_page[key])
                    self.progress(PackStep(done, self.pages, attempt))
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def _encode_one(self, key: tuple[int, int], rung: Rung) -> Encoded | None:
        scaled = self.scaled[key].get(rung.dpi)
        return None if scaled is None else _encoded(scaled, rung, self.raw_sizes[key])

    def image_bytes(self, rung: Rung) -> int:
        self.encode(rung)
        total = 0
        for key, raw in self.raw_sizes.items():
            encoded = self.encodings[key].get(rung)
            total += raw if encoded is None else len(encoded.data)
        return total

    def reached_dpi(self, rung: Rung) -> int | None:
        dpis = [e.dpi for per in self.encodings.values() if (e := per.get(rung)) is not None]
        return round(max(dpis)) if dpis else None


def _encoded(scaled: _Scaled, rung: Rung, raw_size: int) -> Encoded | None:
    out = io.BytesIO()
    # Baseline, not progressive: progressive saved 3 % here and took 3.5 times as long.
    scaled.image.save(out, format="JPEG", quality=rung.quality, optimize=True)
    data = out.getvalue()
    if len(data) >= raw_size:
        # Re-encoding would not save anything: the image stays as it was.
        return None
    image = scaled.image
    return Encoded(data, image.width, image.height, scaled.grey, scaled.dpi)


def _number(xobject: pikepdf.Object, key: str, default: int) -> int:
    value = xobject.get(key)
    try:
        return default if value is None else int(value)
    except (TypeError, ValueError):
        return default


def _eligible(xobject: pikepdf.Object) -> bool:
    import pikepdf

    if bool(xobject.get("/ImageMask")) or isinstance(xobject.get("/Mask"), pikepdf.Array):
        # Stencils are one bit; a colour-key mask names exact colours that JPEG would shift.
        return False
    if _number(xobject, "/BitsPerComponent", 8) < 8:
        return False
    filters = xobject.get("/Filter")
    names = list(filters.as_list()) if isinstance(filters, pikepdf.Array) else [filters]
    if pikepdf.Name.JBIG2Decode in names or pikepdf.Name.CCITTFaxDecode in names:
        return False
    return (
        _number(xobject, "/Width", 0) >= _MIN_SIDE_PX
        and _number(xobject, "/Height", 0) >= _MIN_SIDE_PX
    )


def _plain_jpeg(xobject: pikepdf.Object) -> bool:
    import pikepdf

    return (
        xobject.get("/Filter") == pikepdf.Name.DCTDecode
        and "/Decode" not in xobject
        and xobject.get("/ColorSpace") in (pikepdf.Name.DeviceGray, pikepdf.Name.DeviceRGB)
    )


def _job(placement: ImagePlacement) -> _Job | None:
    import pikepdf

    xobject = placement.xobject
    if not _eligible(xobject) or placement.width_in <= 0 or placement.height_in <= 0:
        return None
    raw = xobject.read_raw_bytes()
    if _plain_jpeg(xobject):
        return _Job(placement, len(raw), raw)
    if not isinstance(xobject, pikepdf.Stream):
        return None
    try:
        image = pikepdf.PdfImage(xobject).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError, OSError):
        # A colour space or filter pikepdf can't turn into pixels: left as it is.
        return None
    return _Job(placement, len(raw), image)


def _pixels(job: _Job, largest: tuple[int, int]) -> Image.Image | None:
    from PIL import Image

    image: Image.Image
    if isinstance(job.source, bytes):
        jpeg = Image.open(io.BytesIO(job.source))
        # JPEG can decode at 1/2, 1/4, 1/8 scale at a fraction of the cost of full size, but
        # that scaling averages blocks and blurs text (SSIM 0.85 against bicubic's 0.89 for
        # a 300 → 150 dpi scan at the same bytes), so it only takes the image to twice the
        # size wanted and bicubic does the last step.
        jpeg.draft(jpeg.mode, (largest[0] * 2, largest[1] * 2))
        jpeg.load()
        image = jpeg
    else:
        image = job.source
    if image.mode == "1":
        return None
    if image.mode in ("LA", "I", "I;16", "F"):
        image = image.convert("L")
    elif image.mode != "L" and image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _nearly_grey(image: Image.Image) -> bool:
    from PIL import Image, ImageChops

    # A 256-pixel sample as `thumbnail` makes it, without first copying the whole image for
    # it to shrink in place (17 of the 37 ms this took for an A4 colour page at 300 dpi).
    scale = min(1.0, _GREY_SAMPLE_PX / max(image.width, image.height))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    sample = image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    r, g, b = sample.split()
    chroma = ImageChops.lighter(
        ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b)),
        ImageChops.difference(r, b),
    )
    coloured = sum(chroma.histogram()[_GREY_CHROMA:])
    return coloured <= _GREY_MAX_SHARE * sample.width * sample.height


@dataclass(frozen=True)
class _Done:
    """One image decoded and scaled, with its encoding at the first rung."""

    scaled: dict[int, _Scaled | None]
    first: Encoded | None


def _scale(job: _Job, dpis: list[int], first: Rung) -> _Done:
    """The image's pixels brought to each resolution cap (never enlarged), and encoded at
    ``first``: in the same worker, while the pixels are in its cache."""
    from PIL import Image

    placement = job.placement
    width_px = _number(placement.xobject, "/Width", 1)
    height_px = _number(placement.xobject, "/Height", 1)
    own_dpi = min(width_px / placement.width_in, height_px / placement.height_in)
    top = max(dpis)
    largest = (
        min(width_px, round(placement.width_in * top)),
        min(height_px, round(placement.height_in * top)),
    )
    image = _pixels(job, largest)
    if image is None:
        return _Done(dict.fromkeys(dpis), None)
    grey = image.mode == "L" or _nearly_grey(image)
    if grey and image.mode != "L":
        image = image.convert("L")
    result: dict[int, _Scaled | None] = {}
    for dpi in dpis:
        size = (
            max(1, round(placement.width_in * dpi)),
            max(1, round(placement.height_in * dpi)),
        )
        # The pixels may already be near the size wanted: a JPEG decoded at a reduced scale.
        shrink = size[0] < image.width * _MIN_SHRINK
        # Bilinear (a triangle filter as wide as the shrink): against bicubic it smooths the
        # scanner's grain, which JPEG then spends fewer bytes on, and it is cheaper; SSIM at
        # 150 dpi was equal or better on the bench's noisier scans (bench/README.md).
        scaled = image.resize(size, Image.Resampling.BILINEAR) if shrink else image
        result[dpi] = _Scaled(scaled, grey, min(own_dpi, scaled.width / placement.width_in))
    at_first = result.get(first.dpi)
    return _Done(result, None if at_first is None else _encoded(at_first, first, job.raw_size))


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def build_ladder(pdf: pikepdf.Pdf, rungs: list[Rung], progress: Progress = no_progress) -> Ladder:
    """Decode and scale every eligible image of ``pdf`` for the ladder's resolutions, and
    encode it at the first rung; ``progress`` hears of each page done."""
    pages = len(pdf.pages)
    ladder = Ladder(pages, progress)
    first = rungs[0]
    ladder.attempts.append(first)
    dpis = sorted({rung.dpi for rung in rungs}, reverse=True)
    workers = _workers()
    pool = ThreadPoolExecutor(max_workers=workers)
    pending: deque[tuple[tuple[int, int], Future[_Done]]] = deque()
    done_pages = 0

    def settle(limit: int) -> None:
        nonlocal done_pages
        # Also whatever has finished at the front, so progress moves page by page.
        while len(pending) > limit or (pending and pending[0][1].done()):
            key, future = pending.popleft()
            done = future.result()
            ladder.scaled[key] = done.scaled
            ladder.encodings[key][first] = done.first
            done_pages = max(done_pages, ladder.last_page[key])
            progress(PackStep(done_pages, pages))

    try:
        for placement in image_placements(pdf):
            job = _job(placement)
            if job is None:
                continue
            key = placement.xobject.objgen
            ladder.raw_sizes[key] = job.raw_size
            ladder.encodings[key] = {}
            ladder.last_page[key] = max(placement.pages) + 1
            pending.append((key, pool.submit(_scale, job, dpis, first)))
            # Full-size decoded images wait in memory for a worker; a few per worker keep
            # it busy without holding a whole scanned book at 300 dpi.
            settle(2 * workers)
        settle(0)
    except BaseException:
        # Stopped (a callback raised, or a page failed): queued pages are not decoded.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    progress(PackStep(pages, pages))
    return ladder


def apply_rung(pdf: pikepdf.Pdf, ladder: Ladder, rung: Rung) -> None:
    """Replace each image of ``pdf`` (opened from the same bytes) by its encoding at ``rung``."""
    import pikepdf

    ladder.encode(rung)
    for key, per in ladder.encodings.items():
        encoded = per.get(rung)
        if encoded is None:
            continue
        xobject = pdf.get_object(key)
        xobject.write(encoded.data, filter=pikepdf.Name.DCTDecode)
        xobject.Width = encoded.width
        xobject.Height = encoded.height
        xobject.BitsPerComponent = 8
        xobject.ColorSpace = pikepdf.Name.DeviceGray if encoded.grey else pikepdf.Name.DeviceRGB
        for stale in ("/DecodeParms", "/Decode"):
            if stale in xobject:
                del xobject[stale]
